//! Reporters. Each renders the same views: positions already 1-based lines and character columns.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use hsl_rules::Severity;

/// One file's findings as reporters see them.
pub struct FileView {
    pub display: String,
    pub findings: Vec<FindingView>,
}

/// A finding with positions resolved.
pub struct FindingView {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// 1-based line and character column.
    pub start: (usize, usize),
    pub end: (usize, usize),
    /// The source line the finding starts on, for the snippet.
    pub line_text: String,
    pub related: Vec<RelatedView>,
    pub fixes: Vec<FixView>,
}

/// A related location, possibly in another file.
pub struct RelatedView {
    pub display: String,
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub message: String,
}

/// A fix with positions resolved.
pub struct FixView {
    pub title: String,
    pub applicability: &'static str,
    pub edits: Vec<EditView>,
}

/// One edit with positions resolved.
pub struct EditView {
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub new_text: String,
}
