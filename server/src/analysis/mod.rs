//! One file from bytes to findings: load, parse, extract, resolve methods, run rules, keep
//! only fixes that parse no worse than the original. Shared by the CLI and the server.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crate::facts::{FileFacts, Language};
use crate::fixes;
use crate::rules::{self, Finding, RuleContext};
use crate::syntax::{self, SyntaxProblem};
use crate::workspace::{IndexedFile, WorkspaceIndex};

/// Files larger than this are skipped with a note: generated bundles, not handler code.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// An analysed file.
pub struct SourceFile {
    pub path: PathBuf,
    pub language: Language,
    pub text: String,
    pub facts: FileFacts,
    pub problems: Vec<SyntaxProblem>,
}

/// Why a file was not analysed; each is reported as a note, never as an error of the run.
#[derive(Debug)]
pub enum Skip {
    UnknownLanguage,
    TooLarge(u64),
    Binary,
    NotUtf8,
    Unreadable(std::io::Error),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::UnknownLanguage => write!(f, "not a Rust, TypeScript or JavaScript file"),
            Skip::TooLarge(size) => write!(
                f,
                "larger than 2 MiB ({:.1} MiB), probably generated",
                *size as f64 / (1024.0 * 1024.0)
            ),
            Skip::Binary => write!(f, "binary content"),
            Skip::NotUtf8 => write!(f, "not valid UTF-8"),
            Skip::Unreadable(err) => write!(f, "cannot be read: {err}"),
        }
    }
}

/// Reads a file from disk and analyses it.
pub fn load(path: &Path) -> Result<SourceFile, Skip> {
    let language = syntax::language_of(path).ok_or(Skip::UnknownLanguage)?;
    let size = std::fs::metadata(path).map_err(Skip::Unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Skip::TooLarge(size));
    }
    let bytes = std::fs::read(path).map_err(Skip::Unreadable)?;
    let text = decode(&bytes)?;
    Ok(from_text(path.to_path_buf(), language, text))
}

/// Decodes file bytes, refusing binary content and invalid UTF-8.
pub fn decode(bytes: &[u8]) -> Result<String, Skip> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Skip::Binary);
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| Skip::NotUtf8)
}

/// Analyses text that is already in memory.
pub fn from_text(path: PathBuf, language: Language, text: String) -> SourceFile {
    let (facts, problems) = syntax::analyze(language, &text);
    SourceFile {
        path,
        language,
        text,
        facts,
        problems,
    }
}

impl SourceFile {
    /// The index's view of this file.
    pub fn indexed(&self) -> IndexedFile<'_> {
        IndexedFile {
            path: &self.path,
            language: self.language,
            facts: &self.facts,
        }
    }
}

/// The findings of one file. A panic inside a rule is caught: the file gets no findings and the
/// error is returned as a note, so one bad rule cannot end a run or a server.
pub fn findings(file: &SourceFile, index: &WorkspaceIndex<'_>) -> Result<Vec<Finding>, String> {
    let run = || {
        let methods = index.resolve_methods(&file.indexed());
        let ctx = RuleContext {
            facts: &file.facts,
            handler_methods: &methods,
        };
        rules::run_all(&ctx)
    };
    let mut found = catch_unwind(AssertUnwindSafe(run)).map_err(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!(
            "internal error while checking {}: {detail}",
            file.path.display()
        )
    })?;
    drop_fixes_that_break_parsing(file, &mut found);
    Ok(found)
}

/// A fix must never leave code that parses worse than before.
fn drop_fixes_that_break_parsing(file: &SourceFile, found: &mut [Finding]) {
    let before = file.problems.len();
    for finding in found.iter_mut() {
        finding.fixes.retain(|fix| {
            let (fixed, applied) = fixes::apply(&file.text, &fix.edits);
            applied == fix.edits.len() && syntax::error_count(file.language, &fixed) <= before
        });
    }
}

/// Applies the first safe fix of each finding (non-overlapping), if the result parses no worse.
/// Returns the new text and the number of findings fixed, or `None` when nothing applies.
pub fn apply_safe_fixes(file: &SourceFile, found: &[Finding]) -> Option<(String, usize)> {
    let mut edits = Vec::new();
    let mut fixed = 0;
    for finding in found {
        let Some(fix) = finding
            .fixes
            .iter()
            .find(|fix| fix.applicability == fixes::Applicability::Safe)
        else {
            continue;
        };
        let overlaps = fix.edits.iter().any(|edit| {
            edits.iter().any(|other: &fixes::Edit| {
                edit.range.start < other.range.end.max(other.range.start + 1)
                    && other.range.start < edit.range.end.max(edit.range.start + 1)
            })
        });
        if overlaps {
            continue;
        }
        edits.extend(fix.edits.iter().cloned());
        fixed += 1;
    }
    if fixed == 0 {
        return None;
    }
    let (text, _) = fixes::apply(&file.text, &edits);
    if syntax::error_count(file.language, &text) > file.problems.len() {
        return None;
    }
    Some((text, fixed))
}
