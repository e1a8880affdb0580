//! rustc/ruff-shaped text: `path:line:col: severity[rule] message`, a snippet with carets, the
//! fixes and notes, then a summary.

use std::fmt::Write;

use super::FileView;
use hsl_rules::Severity;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[34m";
const CYAN: &str = "\x1b[36m";

/// What the closing summary counts besides the findings shown.
pub struct Summary {
    /// Files read and checked.
    pub checked: usize,
    /// Findings `--fix` fixed, when it ran.
    pub fixed: Option<usize>,
}

/// Renders findings as text; `color` adds ANSI colours.
pub fn render(files: &[FileView], summary: &Summary, color: bool) -> String {
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
    write_summary(
        &mut out,
        files,
        (errors, warnings, others, fixable),
        summary,
    );
    out
}

/// The closing lines: what was found where, what `--fix` can do or did.
fn write_summary(
    out: &mut String,
    files: &[FileView],
    (errors, warnings, others, fixable): (usize, usize, usize, usize),
    summary: &Summary,
) {
    let total = errors + warnings + others;
    let checked = summary.checked;
    if total == 0 {
        let _ = writeln!(out, "No findings in {checked} {}.", plural(checked, "file"));
    } else {
        // Files with findings, out of the files checked (ruff and ESLint count the former).
        let with = files
            .iter()
            .filter(|file| !file.findings.is_empty())
            .count();
        let _ = writeln!(
            out,
            "Found {total} {} ({errors} {}, {warnings} {}, {others} other) in {with} {} ({checked} checked).",
            plural(total, "finding"),
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(with, "file"),
        );
        if fixable > 0 {
            let _ = writeln!(out, "{fixable} fixable with `http-status-ls check --fix`.");
        }
    }
    if let Some(fixed) = summary.fixed {
        let _ = writeln!(out, "{}", fix_tally(fixed, total));
    }
}

/// `--fix`'s tally: what it changed and what is left to do by hand.
pub fn fix_tally(fixed: usize, remaining: usize) -> String {
    format!("{fixed} fixed, {remaining} remaining.")
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
