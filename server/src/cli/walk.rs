//! Which files a run reads: gitignore-aware walking and the cheap literal prefilter.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use ignore::WalkBuilder;

use crate::config::{self, Resolver};
use crate::syntax::language_of;

/// Every Rust/TS/JS file under the given paths, gitignore-aware, in a stable order, filtered
/// by each directory's `http-status-ls.toml`: a walked file is kept when its config's `include`
/// (if any) matches it and `exclude` does not; excluded directories are not entered. Files named
/// explicitly are kept even when ignored or excluded (like ruff), unless `force_exclude`;
/// unknown extensions are reported back.
pub fn files_with(
    paths: &[PathBuf],
    configs: &Arc<Resolver>,
    force_exclude: bool,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for path in paths {
        if path.is_file() {
            if language_of(path).is_none() {
                unknown.push(path.clone());
            } else if !force_exclude || configs.selects(&config::absolute(path)) {
                found.push(path.clone());
            }
            continue;
        }
        let pruning = configs.clone();
        let walker = WalkBuilder::new(path)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .require_git(false)
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || !entry.file_type().is_some_and(|t| t.is_dir())
                    || !pruning.excludes_dir(&config::absolute(entry.path()))
            })
            .build();
        for entry in walker.flatten() {
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if is_file
                && language_of(entry.path()).is_some()
                && configs.selects(&config::absolute(entry.path()))
            {
                found.push(entry.into_path());
            }
        }
    }
    found.sort();
    found.dedup();
    (found, unknown)
}

/// The project root a path belongs to: the nearest ancestor holding `.git`, `package.json` or
/// `Cargo.toml`. The cross-file index looks for registrations there.
pub fn project_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()?.to_path_buf()
    };
    let start = if start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        start
    };
    let absolute = std::fs::canonicalize(&start).ok()?;
    let markers = [".git", "package.json", "Cargo.toml"];
    let mut best = None;
    for dir in absolute.ancestors() {
        if markers.iter().any(|marker| dir.join(marker).exists()) {
            best = Some(dir.to_path_buf());
            if dir.join(".git").exists() {
                break;
            }
        }
    }
    best
}

/// A multi-literal matcher: a file that contains none of the literals cannot hold what we look
/// for and is not parsed.
pub struct Prefilter {
    matcher: Option<AhoCorasick>,
}

impl Prefilter {
    /// A prefilter for any of `literals`; with no literals nothing passes.
    pub fn new<I: IntoIterator<Item = String>>(literals: I) -> Prefilter {
        let literals: Vec<String> = literals.into_iter().filter(|l| !l.is_empty()).collect();
        let matcher = if literals.is_empty() {
            None
        } else {
            AhoCorasick::new(literals).ok()
        };
        Prefilter { matcher }
    }

    /// Whether the bytes may hold a match.
    pub fn passes(&self, bytes: &[u8]) -> bool {
        self.matcher
            .as_ref()
            .is_some_and(|matcher| matcher.is_match(bytes))
    }
}
