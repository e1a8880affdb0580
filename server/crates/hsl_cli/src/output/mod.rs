//! Reporters. Each renders the same views: positions already 1-based lines and character columns.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use std::path::PathBuf;

use hsl_rules::Severity;

/// One file's findings as reporters see them.
#[derive(Clone)]
pub struct FileView {
    /// The path as text, relative to the working directory when below it; a name that is not
    /// UTF-8 shows U+FFFD for each bad byte.
    pub display: String,
    /// The same path, byte for byte, for the formats that can say it exactly.
    pub name: PathBuf,
    pub findings: Vec<FindingView>,
}

impl FileView {
    /// Whether [`FileView::display`] is lossy: the name is not valid UTF-8.
    pub fn name_is_lossy(&self) -> bool {
        self.name.to_str().is_none()
    }
}

/// A finding with positions resolved.
#[derive(Clone)]
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
#[derive(Clone)]
pub struct RelatedView {
    pub display: String,
    /// The path byte for byte (see [`FileView::name`]).
    pub name: PathBuf,
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub message: String,
}

/// A fix with positions resolved.
#[derive(Clone)]
pub struct FixView {
    pub title: String,
    pub applicability: &'static str,
    pub edits: Vec<EditView>,
}

/// One edit with positions resolved.
#[derive(Clone)]
pub struct EditView {
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub new_text: String,
}

/// A path's exact bytes as an RFC 3986 URI path: separators as `/`, every byte outside the
/// unreserved set (`A–Z a–z 0–9 - . _ ~`) percent-encoded. Lossless for any file name, UTF-8 or
/// not, so SARIF URIs and JSON's `file_percent_encoded` point back to the real file. (Next.js
/// folders such as `[id]` are not valid in a URI either.)
pub fn percent_encoded(path: &std::path::Path) -> String {
    let mut out = String::new();
    for &byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            b'\\' if cfg!(windows) => out.push('/'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
