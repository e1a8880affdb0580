//! rustc/ruff-shaped text: `path:line:col: severity[rule] message`, a snippet with carets, the
//! fixes and notes, then a summary.

use std::fmt::Write;

use super::FileView;
use hsl_rules::Severity;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[34m";
const CYAN: &str = "\x1b[36m";

/// Renders findings as text; `color` adds ANSI colours.
pub fn render(files: &[FileView], checked: usize, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let (mut errors, mut warnings, mut others, mut fixable) = (0, 0, 0, 0);
    for file in files {
        for finding in &file.findings {
            match finding.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => others += 1,
            }
            let severity_color = match finding.severity {
                Severity::Error => "\x1b[1;31m",
                Severity::Warning => "\x1b[1;33m",
                _ => "\x1b[1;36m",
            };
            let (line, column) = finding.start;
            let _ = writeln!(
                out,
                "{}: {} {}",
                paint(BOLD, &format!("{}:{line}:{column}", file.display)),
                paint(
                    severity_color,
                    &format!("{}[{}]", finding.severity.as_str(), finding.rule)
                ),
                finding.message
            );
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(out, "{pad} {}", paint(BLUE, "|"));
            let _ = writeln!(
                out,
                "{} {} {}",
                paint(BLUE, &line.to_string()),
                paint(BLUE, "|"),
                finding.line_text
            );
            let width = if finding.end.0 == line {
                finding.end.1.saturating_sub(column).max(1)
            } else {
                finding
                    .line_text
                    .chars()
                    .count()
                    .saturating_sub(column - 1)
                    .max(1)
            };
            let lead: String = finding
                .line_text
                .chars()
                .take(column - 1)
                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(
                out,
                "{pad} {} {lead}{}",
                paint(BLUE, "|"),
                paint(severity_color, &"^".repeat(width))
            );
            for fix in &finding.fixes {
                let how = if fix.applicability == "safe" {
                    "fixable with `--fix`"
                } else {
                    "suggested, not applied by `--fix`"
                };
                let _ = writeln!(
                    out,
                    "{pad} {} {}: {} ({how})",
                    paint(BLUE, "="),
                    paint(CYAN, "help"),
                    fix.title
                );
            }
            if finding.fixes.iter().any(|fix| fix.applicability == "safe") {
                fixable += 1;
            }
            for related in &finding.related {
                let _ = writeln!(
                    out,
                    "{pad} {} {}: {} at {}:{}:{}",
                    paint(BLUE, "="),
                    paint(BOLD, "note"),
                    related.message,
                    related.display,
                    related.start.0,
                    related.start.1
                );
            }
            out.push('\n');
        }
    }
    let total = errors + warnings + others;
    let files_word = if checked == 1 { "file" } else { "files" };
    if total == 0 {
        let _ = writeln!(out, "No findings in {checked} {files_word}.");
    } else {
        let _ = writeln!(
            out,
            "Found {total} finding{} ({errors} error{}, {warnings} warning{}, {others} other) in {checked} {files_word}.",
            if total == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
        if fixable > 0 {
            let _ = writeln!(out, "{fixable} fixable with `http-status-ls check --fix`.");
        }
    }
    out
}
