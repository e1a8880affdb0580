//! `--format json`: one object per finding, 1-based lines and character columns.

use serde::Serialize;

use super::{FileView, percent_encoded};
use crate::docs;

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: Position,
    end: Position,
    new_text: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    /// Only for a file name that is not UTF-8 (`file` then shows U+FFFD): its exact bytes,
    /// percent-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    file_percent_encoded: Option<String>,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    start: Position,
    end: Position,
    docs_url: String,
    fixes: Vec<JsonFix<'a>>,
}

fn position((line, column): (usize, usize)) -> Position {
    Position { line, column }
}

/// Renders findings as a JSON array.
pub fn render(files: &[FileView]) -> String {
    let mut all = Vec::new();
    for file in files {
        let exact = file.name_is_lossy().then(|| percent_encoded(&file.name));
        for finding in &file.findings {
            all.push(JsonFinding {
                file: &file.display,
                file_percent_encoded: exact.clone(),
                rule: finding.rule,
                severity: finding.severity.as_str(),
                message: &finding.message,
                start: position(finding.start),
                end: position(finding.end),
                docs_url: docs::docs_url(finding.rule).unwrap_or_default(),
                fixes: finding
                    .fixes
                    .iter()
                    .map(|fix| JsonFix {
                        title: &fix.title,
                        applicability: fix.applicability,
                        edits: fix
                            .edits
                            .iter()
                            .map(|edit| JsonEdit {
                                start: position(edit.start),
                                end: position(edit.end),
                                new_text: &edit.new_text,
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }
    }
    let mut out = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}
