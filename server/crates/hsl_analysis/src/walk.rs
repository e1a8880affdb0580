//! Which files a run reads: gitignore-aware walking and the cheap literal prefilter.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use ignore::{DirEntry, WalkBuilder, WalkState};

use hsl_config::{self as config, Resolver, default_excludes};
use hsl_facts::Language;

/// How a file came to be checked: named on the command line, or found by walking a directory.
/// A named file is checked even where a walk would leave it out (like ruff).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Named,
    Walked,
}

/// A path the walk passed over without reading, and why: every such path gets a note, so that
/// nothing a user expects checked is left out in silence.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// `None` for a problem that names no path.
    pub path: Option<PathBuf>,
    /// Reads after the path: "skipped, a symbolic link (not followed)".
    pub reason: String,
}

/// What walking the paths named on the command line found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The Rust/TS/JS files to check, sorted, each once.
    pub files: Vec<(PathBuf, Origin)>,
    /// Files named explicitly whose extension is not one we read.
    pub unknown: Vec<PathBuf>,
    /// Paths met while walking that could not be read or are not followed.
    pub skipped: Vec<Skipped>,
}

/// Every Rust/TS/JS file under the given paths, gitignore-aware, in a stable order, filtered
/// by each directory's `http-status-ls.toml` and the default excludes: a walked file is kept
/// when its config's `include` (if any) matches it and `exclude` does not; excluded directories
/// are not entered. Files named explicitly are kept even when ignored or excluded (like ruff),
/// unless `force_exclude`; unknown extensions are reported back.
pub fn files_with(
    paths: &[PathBuf],
    configs: &Arc<Resolver>,
    force_exclude: bool,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let walked = walk(paths, configs, force_exclude);
    let files = walked.files.into_iter().map(|(path, _)| path).collect();
    (files, walked.unknown)
}

/// [`files_with`], also saying where each file came from and which paths were passed over.
pub fn walk(paths: &[PathBuf], configs: &Arc<Resolver>, force_exclude: bool) -> Walked {
    let mut walked = Walked::default();
    for path in paths {
        if path.is_file() {
            if Language::of_path(path).is_none() {
                walked.unknown.push(path.clone());
            } else if !force_exclude || named_file_selected(path, configs) {
                walked.files.push((path.clone(), Origin::Named));
            }
            continue;
        }
        let (files, skipped) = walk_dir(path, configs);
        walked
            .files
            .extend(files.into_iter().map(|file| (file, Origin::Walked)));
        walked.skipped.extend(skipped);
    }
    walked.files.sort();
    walked.files.dedup_by(|later, earlier| later.0 == earlier.0);
    walked.skipped.sort();
    walked.skipped.dedup();
    walked
}

/// Whether a file named on the command line is checked under `--force-exclude`: its config
/// selects it and, unless that config turns them off, no default exclude matches its name or
/// a directory on its way from the working directory (or its config's directory).
fn named_file_selected(path: &Path, configs: &Resolver) -> bool {
    let absolute = config::absolute(path);
    if !configs.selects(&absolute) {
        return false;
    }
    let Some(parent) = absolute.parent() else {
        return true;
    };
    if !configs.default_excludes_in(parent) {
        return true;
    }
    // Directories above the working directory (or above the config's, for a file elsewhere)
    // are where the project lives, not what it contains.
    let base = if absolute.starts_with(config::working_dir()) {
        config::working_dir().to_path_buf()
    } else {
        configs
            .for_file(&absolute)
            .map_or_else(|| parent.to_path_buf(), |config| config.dir.clone())
    };
    let below = parent.strip_prefix(&base).unwrap_or(Path::new(""));
    let mut directories = below.iter().filter_map(|name| name.to_str());
    let file_name = absolute.file_name().and_then(|name| name.to_str());
    !(file_name.is_some_and(default_excludes::excludes_file_name)
        || directories.any(default_excludes::excludes_dir_name))
}

/// Whether a walk leaves out this directory: its config excludes it, or its name is a default
/// exclude the config governing its parent keeps on.
fn prunes_dir(entry: &DirEntry, configs: &Resolver) -> bool {
    let absolute = config::absolute(entry.path());
    if configs.excludes_dir(&absolute) {
        return true;
    }
    default_name(
        entry,
        &absolute,
        configs,
        default_excludes::excludes_dir_name,
    )
}

/// Whether the entry's name matches a default exclude and the defaults apply where it lies.
fn default_name(
    entry: &DirEntry,
    absolute: &Path,
    configs: &Resolver,
    excludes: fn(&str) -> bool,
) -> bool {
    entry.file_name().to_str().is_some_and(excludes)
        && absolute
            .parent()
            .is_some_and(|parent| configs.default_excludes_in(parent))
}

/// What the walk makes of one entry below the walked directory.
enum Seen {
    File(PathBuf),
    Skipped(Skipped),
    Nothing,
}

/// Sorts one entry: a selected source file is checked; a symbolic link or special file that
/// would otherwise be a candidate is noted; anything else is passed over as the user asked
/// (gitignore, config, default excludes, other extensions).
fn see(entry: DirEntry, configs: &Resolver) -> Seen {
    let Some(file_type) = entry.file_type() else {
        return Seen::Nothing;
    };
    if entry.depth() == 0 || file_type.is_dir() {
        return Seen::Nothing;
    }
    // Only a source file, or a link that may lead to one or to a directory, can matter.
    let source = Language::of_path(entry.path()).is_some();
    if !source && !file_type.is_symlink() {
        return Seen::Nothing;
    }
    let absolute = config::absolute(entry.path());
    if default_name(
        &entry,
        &absolute,
        configs,
        default_excludes::excludes_file_name,
    ) || !configs.selects(&absolute)
    {
        return Seen::Nothing;
    }
    let reason = if file_type.is_file() {
        return Seen::File(entry.into_path());
    } else if file_type.is_symlink() {
        match std::fs::metadata(entry.path()) {
            Ok(target) if target.is_dir() => {
                "skipped, a symbolic link to a directory (not followed)"
            }
            Ok(_) if source => {
                "skipped, a symbolic link (not followed; name it on the command line to check it)"
            }
            Err(_) if source => "skipped, a symbolic link to nothing",
            _ => return Seen::Nothing,
        }
    } else {
        "skipped, not a regular file"
    };
    Seen::Skipped(Skipped {
        path: Some(entry.into_path()),
        reason: reason.to_string(),
    })
}

/// The note for an error the walker met: a directory it could not list (no permission, a path
/// longer than the system allows), a symbolic-link loop, a `.gitignore` it could not read.
fn skipped_from_error(err: &ignore::Error) -> Skipped {
    match err {
        ignore::Error::WithPath { path, err } => Skipped {
            path: Some(path.clone()),
            ..skipped_from_error(err)
        },
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            skipped_from_error(err)
        }
        ignore::Error::Loop { child, .. } => Skipped {
            path: Some(child.clone()),
            reason: "skipped, a symbolic link loop".to_string(),
        },
        ignore::Error::Io(io) => Skipped {
            path: None,
            reason: format!("skipped, cannot be read: {io}"),
        },
        ignore::Error::Partial(errors) => match errors.as_slice() {
            [one] => skipped_from_error(one),
            _ => Skipped {
                path: None,
                reason: err.to_string(),
            },
        },
        other => Skipped {
            path: None,
            reason: other.to_string(),
        },
    }
}

/// The selected Rust/TS/JS files under one directory, in no particular order, and the paths
/// passed over. The walk runs on `ignore`'s parallel walker: listing directories and matching
/// `.gitignore` files is system calls and glob matching per entry, a tenth of the server's
/// start-up index when done on one thread.
fn walk_dir(dir: &Path, configs: &Arc<Resolver>) -> (Vec<PathBuf>, Vec<Skipped>) {
    let pruning = configs.clone();
    let walker = WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .require_git(false)
        .filter_entry(move |entry| {
            entry.depth() == 0
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || !prunes_dir(entry, &pruning)
        })
        .build_parallel();
    let found = Mutex::new((Vec::new(), Vec::new()));
    walker.run(|| {
        // Each thread collects its own files and hands them over once, when the walk is over.
        let mut mine = Collector {
            files: Vec::new(),
            skipped: Vec::new(),
            into: &found,
        };
        Box::new(move |entry| {
            match entry {
                Ok(entry) => match see(entry, configs) {
                    Seen::File(path) => mine.files.push(path),
                    Seen::Skipped(skipped) => mine.skipped.push(skipped),
                    Seen::Nothing => {}
                },
                Err(err) => mine.skipped.push(skipped_from_error(&err)),
            }
            WalkState::Continue
        })
    });
    found
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One walker thread's findings, added to the shared lists when the thread's visitor is
/// dropped.
struct Collector<'a> {
    files: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    into: &'a Mutex<(Vec<PathBuf>, Vec<Skipped>)>,
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let mut all = self
            .into
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        all.0.append(&mut self.files);
        all.1.append(&mut self.skipped);
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
