//! Finding a project's contract file, and the crate's one piece of IO: reading it.
//!
//! Discovery is pure: the caller lists the files at the project root (its walker already has
//! them) and gives the path the configuration names, if any. [`load`] reads one file, at most
//! [`MAX_DOCUMENT_BYTES`] of it, and never fails: an unreadable file is a [`Problem`] like any
//! other.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::{Position, Problem};
use crate::openapi::{Loaded, read_document};

/// The contract files looked for at a project root when the configuration names none, in
/// order of preference.
pub const CONVENTIONAL_NAMES: [&str; 5] = [
    "openapi.yaml",
    "openapi.yml",
    "openapi.json",
    "swagger.yaml",
    "swagger.json",
];

/// The files that make a folder a project root (where a contract file is looked for).
pub const PROJECT_MARKERS: [&str; 2] = ["package.json", "Cargo.toml"];

/// The largest document read: large enough for any real API description (the largest public
/// ones are a few megabytes), small enough that a mistaken path to a data dump costs nothing.
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Whether a folder holding these files is a project root.
pub fn is_project_root(files_at_root: &[&str]) -> bool {
    PROJECT_MARKERS
        .iter()
        .any(|marker| files_at_root.contains(marker))
}

/// The contract file of a project: the configured one (relative to the root, or absolute)
/// whether or not it exists — [`load`] reports a missing one — or else the first conventional
/// name among the files at the root.
pub fn discover(root: &Path, configured: Option<&Path>, files_at_root: &[&str]) -> Option<PathBuf> {
    if let Some(configured) = configured {
        return Some(root.join(configured));
    }
    CONVENTIONAL_NAMES
        .iter()
        .find(|name| files_at_root.contains(name))
        .map(|name| root.join(name))
}

/// Reads and parses one OpenAPI document. Every way this can go wrong (missing, unreadable,
/// too large, not UTF-8, not YAML, not OpenAPI) is a problem in the result, with a position.
pub fn load(path: &Path) -> Loaded {
    load_at_most(path, MAX_DOCUMENT_BYTES)
}

fn load_at_most(path: &Path, limit: u64) -> Loaded {
    match read_text(path, limit) {
        Ok(text) => read_document(path, text.strip_prefix('\u{feff}').unwrap_or(&text)),
        Err((at, message)) => {
            let problem = Problem {
                file: path.to_path_buf(),
                line: at.line,
                column: at.column,
                message,
            };
            Loaded {
                contract: None,
                problems: vec![problem],
            }
        }
    }
}

fn read_text(path: &Path, limit: u64) -> Result<String, (Position, String)> {
    let cannot_read =
        |error: std::io::Error| (Position::START, format!("cannot read the file: {error}"));
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    let too_large = |size: u64| {
        let message = format!(
            "the file has {} and contracts are read from files of at most {}: skipped",
            describe_size(size),
            describe_size(limit)
        );
        (Position::START, message)
    };
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let at = position_after(error.as_bytes().get(..valid).unwrap_or_default());
        (at, "not UTF-8 text".to_string())
    })
}

fn describe_size(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{bytes} bytes"),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

/// The position of the character after `valid`, a prefix of valid UTF-8.
fn position_after(valid: &[u8]) -> Position {
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let column = text
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch folder of its own for each test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hsl-contracts-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const SMALL: &str = "openapi: 3.1.0\npaths:\n  /a:\n    get: {responses: {'200': {}}}\n";

    #[test]
    fn the_configured_file_wins_over_conventional_names() {
        let root = Path::new("/project");
        let files = ["package.json", "openapi.yaml"];
        let configured = discover(root, Some(Path::new("spec/api.yaml")), &files);
        assert_eq!(configured, Some(PathBuf::from("/project/spec/api.yaml")));
    }

    #[test]
    fn the_first_conventional_name_present_is_found() {
        let root = Path::new("/project");
        let files = ["Cargo.toml", "swagger.json", "openapi.yml", "README.md"];
        assert_eq!(
            discover(root, None, &files),
            Some(PathBuf::from("/project/openapi.yml"))
        );
        assert_eq!(discover(root, None, &["Cargo.toml", "api.yaml"]), None);
    }

    #[test]
    fn project_roots_are_the_folders_with_a_manifest() {
        assert!(is_project_root(&["src", "package.json"]));
        assert!(is_project_root(&["Cargo.toml"]));
        assert!(!is_project_root(&["openapi.yaml"]));
    }

    #[test]
    fn a_file_is_read_and_parsed() {
        let dir = scratch("read");
        let path = dir.join("openapi.yaml");
        std::fs::write(&path, format!("\u{feff}{SMALL}")).unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.problems, []);
        assert_eq!(loaded.contract.unwrap().operations.len(), 1);
    }

    #[test]
    fn a_missing_file_is_a_problem() {
        let dir = scratch("missing");
        let loaded = load(&dir.join("spec/api.yaml"));
        assert!(loaded.contract.is_none());
        let problem = &loaded.problems[0];
        assert_eq!((problem.line, problem.column), (1, 1));
        assert!(
            problem.message.starts_with("cannot read the file: "),
            "{}",
            problem.message
        );
    }

    #[test]
    fn a_file_over_the_limit_is_not_read() {
        let dir = scratch("large");
        let path = dir.join("openapi.yaml");
        std::fs::write(&path, SMALL).unwrap();
        let loaded = load_at_most(&path, 20);
        assert!(loaded.contract.is_none());
        let expected = format!(
            "the file has {} bytes and contracts are read from files of at most 20 bytes: skipped",
            SMALL.len()
        );
        assert_eq!(loaded.problems[0].message, expected);
        assert_eq!(describe_size(32 * 1024 * 1024), "33.6 MB");
        assert_eq!(load_at_most(&path, SMALL.len() as u64).problems, []);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_a_problem_at_their_position() {
        let dir = scratch("latin1");
        let path = dir.join("openapi.yaml");
        std::fs::write(&path, b"openapi: 3.1.0\ninfo: {title: caf\xe9}\n").unwrap();
        let loaded = load(&path);
        assert!(loaded.contract.is_none());
        let problem = &loaded.problems[0];
        assert_eq!(
            (problem.line, problem.column, problem.message.as_str()),
            (2, 18, "not UTF-8 text")
        );
    }
}
