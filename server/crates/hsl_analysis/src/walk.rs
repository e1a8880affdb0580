//! Which files a run reads: gitignore-aware walking and the cheap literal prefilter.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use ignore::{WalkBuilder, WalkState};

use hsl_config::{self as config, Resolver};

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
            if hsl_facts::Language::of_path(path).is_none() {
                unknown.push(path.clone());
            } else if !force_exclude || configs.selects(&config::absolute(path)) {
                found.push(path.clone());
            }
            continue;
        }
        found.extend(walk_dir(path, configs));
    }
    found.sort();
    found.dedup();
    (found, unknown)
}

/// The selected Rust/TS/JS files under one directory, in no particular order. The walk runs on
/// `ignore`'s parallel walker: listing directories and matching `.gitignore` files is system
/// calls and glob matching per entry, a tenth of the server's start-up index when done on one
/// thread.
fn walk_dir(dir: &Path, configs: &Arc<Resolver>) -> Vec<PathBuf> {
    let pruning = configs.clone();
    let walker = WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .require_git(false)
        .filter_entry(move |entry| {
            entry.depth() == 0
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || !pruning.excludes_dir(&config::absolute(entry.path()))
        })
        .build_parallel();
    let found = Mutex::new(Vec::new());
    walker.run(|| {
        // Each thread collects its own files and hands them over once, when the walk is over.
        let mut mine = Collector {
            files: Vec::new(),
            into: &found,
        };
        Box::new(move |entry| {
            if let Ok(entry) = entry
                && entry.file_type().is_some_and(|t| t.is_file())
                && hsl_facts::Language::of_path(entry.path()).is_some()
                && configs.selects(&config::absolute(entry.path()))
            {
                mine.files.push(entry.into_path());
            }
            WalkState::Continue
        })
    });
    found
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One walker thread's files, added to the shared list when the thread's visitor is dropped.
struct Collector<'a> {
    files: Vec<PathBuf>,
    into: &'a Mutex<Vec<PathBuf>>,
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let mut all = self
            .into
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        all.append(&mut self.files);
    }
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
        Prefilter::build(literals, None)
    }

    /// [`Prefilter::new`] compiled to a DFA, for a fixed set of some hundred literals that
    /// every file of a workspace is scanned for: it scans about twice as fast as the NFA that
    /// `aho-corasick` picks above a hundred literals, for under a MiB (0.8 MiB for the status
    /// and route literals, against 50 KiB). Not for sets that grow with the input (handler
    /// names), whose DFA would grow with them.
    pub fn dfa<I: IntoIterator<Item = String>>(literals: I) -> Prefilter {
        Prefilter::build(literals, Some(AhoCorasickKind::DFA))
    }

    fn build<I: IntoIterator<Item = String>>(
        literals: I,
        kind: Option<AhoCorasickKind>,
    ) -> Prefilter {
        let literals: Vec<String> = literals.into_iter().filter(|l| !l.is_empty()).collect();
        let matcher = if literals.is_empty() {
            None
        } else {
            AhoCorasick::builder().kind(kind).build(literals).ok()
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
