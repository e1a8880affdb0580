//! Inline suppression: `// http-status-ls-ignore: rule-id[, rule-id…]` on the flagged line or
//! on the line above it silences those rules there; `// http-status-ls-ignore-file: rule-id`
//! anywhere in the file silences them in the whole file.

use crate::fixes::Edit;
use crate::rules::Finding;

/// The marker a suppression comment starts with.
pub const MARKER: &str = "http-status-ls-ignore:";
/// The marker of a file-wide suppression.
pub const FILE_MARKER: &str = "http-status-ls-ignore-file:";

/// Drops the findings that a suppression comment silences.
pub fn retain_unsuppressed(text: &str, found: &mut Vec<Finding>) {
    let lines = text.contains(MARKER);
    let file_wide: Vec<&str> = if text.contains(FILE_MARKER) {
        text.lines()
            .filter_map(|line| {
                let at = line.find(FILE_MARKER)?;
                line[..at]
                    .trim_end()
                    .ends_with("//")
                    .then(|| &line[at + FILE_MARKER.len()..])
            })
            .collect()
    } else {
        Vec::new()
    };
    if !lines && file_wide.is_empty() {
        return;
    }
    found.retain(|finding| {
        let in_file = file_wide.iter().any(|ids| {
            ids.split(|ch: char| ch == ',' || ch.is_whitespace())
                .any(|id| id == finding.rule)
        });
        let on_line = lines && is_suppressed(text, finding.range.start, finding.rule);
        !(in_file || on_line)
    });
}

/// The edit that silences `rule` in the whole file: a comment on the first line (after a
/// shebang).
pub fn ignore_file_edit(text: &str, rule: &str) -> Edit {
    let at = if text.starts_with("#!") {
        text.find('\n').map_or(text.len(), |i| i + 1)
    } else {
        0
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Edit {
        range: at..at,
        new_text: format!("// {FILE_MARKER} {rule}{newline}"),
    }
}

/// Whether the line holding `offset`, or the line above it, suppresses `rule`.
pub fn is_suppressed(text: &str, offset: usize, rule: &str) -> bool {
    let offset = crate::text::clamp_to_boundary(text, offset);
    let start = line_start(text, offset);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let this_line = &text[start..end];
    let above = if start == 0 {
        ""
    } else {
        let prev_start = line_start(text, start - 1);
        &text[prev_start..start - 1]
    };
    [this_line, above].iter().any(|line| names_rule(line, rule))
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn names_rule(line: &str, rule: &str) -> bool {
    let Some(at) = line.find(MARKER) else {
        return false;
    };
    let before = &line[..at];
    if !before.trim_end().ends_with("//") && !before.contains("/*") {
        return false;
    }
    line[at + MARKER.len()..]
        .split(|ch: char| ch == ',' || ch.is_whitespace() || ch == '*' || ch == '/')
        .any(|id| id == rule)
}

/// The edit that inserts a suppression comment for `rule` above the line holding `offset`, with
/// that line's indentation and line ending.
pub fn ignore_edit(text: &str, offset: usize, rule: &str) -> Option<Edit> {
    let offset = crate::text::clamp_to_boundary(text, offset);
    let start = line_start(text, offset);
    let line = &text[start..];
    let indent: String = line
        .chars()
        .take_while(|ch| *ch == ' ' || *ch == '\t')
        .collect();
    let end = line.find('\n').unwrap_or(line.len());
    let newline = if line[..end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    Some(Edit {
        range: start..start,
        new_text: format!("{indent}// {MARKER} {rule}{newline}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_and_line_above() {
        let text = "a\n  // http-status-ls-ignore: x-rule, other\n  res.status(302)\nb // http-status-ls-ignore: x-rule\n";
        let at = text.find("res").expect("res");
        assert!(is_suppressed(text, at, "x-rule"));
        assert!(is_suppressed(text, at, "other"));
        assert!(!is_suppressed(text, at, "x"));
        assert!(is_suppressed(text, text.find("b //").expect("b"), "x-rule"));
        assert!(!is_suppressed(text, 0, "x-rule"));
    }

    #[test]
    fn file_wide() {
        let text = "#!/usr/bin/env node\nres.status(302);\n";
        let edit = ignore_file_edit(text, "redirect-changes-method");
        let (fixed, _) = crate::fixes::apply(text, &[edit]);
        assert_eq!(
            fixed,
            "#!/usr/bin/env node\n// http-status-ls-ignore-file: redirect-changes-method\nres.status(302);\n"
        );
        let finding = |rule: &'static str| Finding {
            rule,
            severity: crate::rules::Severity::Warning,
            range: 60..63,
            message: String::new(),
            fixes: Vec::new(),
            related: Vec::new(),
        };
        let mut found = vec![
            finding("redirect-changes-method"),
            finding("invalid-status-code"),
        ];
        retain_unsuppressed(&fixed, &mut found);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, "invalid-status-code");
    }

    #[test]
    fn ignore_edit_keeps_indent() {
        let text = "f();\n    res.redirect('/');\n";
        let at = text.find("res").expect("res");
        let edit = ignore_edit(text, at, "redirect-changes-method").expect("edit");
        let (fixed, _) = crate::fixes::apply(text, &[edit]);
        assert_eq!(
            fixed,
            "f();\n    // http-status-ls-ignore: redirect-changes-method\n    res.redirect('/');\n"
        );
        let at = fixed.find("res").expect("res");
        assert!(is_suppressed(&fixed, at, "redirect-changes-method"));
    }
}
