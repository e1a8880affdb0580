//! `--format github`: GitHub Actions workflow commands, one annotation per finding.

use std::fmt::Write;

use super::FileView;
use hsl_rules::Severity;

/// Renders findings as `::warning file=…,line=…::message` lines.
pub fn render(files: &[FileView]) -> String {
    let mut out = String::new();
    for file in files {
        for finding in &file.findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&file.display),
                finding.start.0,
                finding.start.1,
                finding.end.0,
                finding.end.1,
                escape_property(&format!("http-status-ls ({})", finding.rule)),
                escape_data(&finding.message)
            );
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
