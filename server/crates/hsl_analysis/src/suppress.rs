//! Inline suppression: `// http-status-ls-ignore: rule-id[, rule-id…]` on the flagged line or
//! on the line above it silences those rules there; `// http-status-ls-ignore-file: rule-id`
//! anywhere in the file silences them in the whole file. An id that silences nothing, or names
//! no rule, is itself reported as `unused-ignore`, so stale ignores get cleaned up.

use hsl_facts::ByteRange;
use hsl_fixes::{Edit, Fix};
use hsl_rules::{self as rules, Finding, Severity};
use hsl_text::LineIndex;

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
                let (before, ids) = line.split_once(FILE_MARKER)?;
                before.trim_end().ends_with("//").then_some(ids)
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

/// The rule id of findings about ignore comments themselves: an id that silences nothing (a
/// stale ignore) or that names no rule. `analysis` reports them after suppression; they are not
/// a rule in [`hsl_rules::RULES`], and `// http-status-ls-ignore: unused-ignore` silences
/// them like any other.
pub use hsl_rules::UNUSED_IGNORE;

/// What an ignore comment covers, so the caller can say whether a rule could have fired there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A line ignore: the comment's line and the next, as a byte range of the text.
    Lines(ByteRange),
    /// A file-wide ignore.
    File,
}

/// One ignore comment, as far as stale-ignore reporting reads it.
#[derive(Debug)]
struct IgnoreComment {
    scope: Scope,
    /// The zero-based line holding the comment.
    line: usize,
    /// The rule ids it names, in order: the leading tokens shaped like rule ids (`a-b`); text
    /// after them (a reason) is not an id.
    ids: Vec<ByteRange>,
    /// What deleting the whole comment removes: the whole line when the comment is alone on it.
    removal: Option<ByteRange>,
}

/// Drops the findings that suppression comments silence (as [`retain_unsuppressed`]) and adds an
/// [`UNUSED_IGNORE`] finding for each id in an ignore comment that silenced nothing, or that
/// names no rule.
///
/// `judged(rule, scope)` says whether `rule` ran on this file and its silence in `scope` can be
/// trusted (a rule turned off, or one that needs a handler's method the index does not know, is
/// not judged); an ignore of a rule not judged is never reported as stale.
pub fn retain_unsuppressed_reporting_unused(
    text: &str,
    found: &mut Vec<Finding>,
    judged: impl Fn(&str, &Scope) -> bool,
) {
    if !text.contains(MARKER) && !text.contains(FILE_MARKER) {
        return;
    }
    let line_index = LineIndex::new(text);
    let finding_lines: Vec<(&str, usize)> = found
        .iter()
        .map(|finding| (finding.rule, line_index.line_of(finding.range.start)))
        .collect();
    let mut unused = Vec::new();
    for comment in ignore_comments(text) {
        let mut stale = vec![false; comment.ids.len()];
        let mut unknown = Vec::new();
        for (index, range) in comment.ids.iter().enumerate() {
            let Some(id) = text.get(range.clone()) else {
                continue;
            };
            if id == UNUSED_IGNORE {
                continue;
            }
            let Some(meta) = rules::meta(id) else {
                unknown.push(index);
                continue;
            };
            if !judged(meta.id, &comment.scope) {
                continue;
            }
            let used = finding_lines.iter().any(|(rule, line)| {
                *rule == meta.id
                    && match comment.scope {
                        Scope::File => true,
                        Scope::Lines(_) => *line == comment.line || *line == comment.line + 1,
                    }
            });
            stale[index] = !used;
        }
        for (index, range) in comment.ids.iter().enumerate() {
            let Some(id) = text.get(range.clone()) else {
                continue;
            };
            if stale[index] {
                let message = match comment.scope {
                    Scope::File => format!(
                        "`{id}` reports nothing in this file, so this file-wide ignore is stale: remove it"
                    ),
                    Scope::Lines(_) => format!(
                        "`{id}` reports nothing on this line or the next, so this ignore is stale: remove it"
                    ),
                };
                unused.push(Finding {
                    rule: UNUSED_IGNORE,
                    severity: Severity::Hint,
                    range: range.clone(),
                    message,
                    fixes: removal_fix(&comment, &stale, index, id)
                        .into_iter()
                        .collect(),
                    related: Vec::new(),
                });
            } else if unknown.contains(&index) {
                let nearest = nearest_rule(id);
                let message = match nearest {
                    Some(near) => format!(
                        "`{id}` is not a rule of http-status-ls, so it ignores nothing: did you mean `{near}`?"
                    ),
                    None => {
                        format!("`{id}` is not a rule of http-status-ls, so it ignores nothing")
                    }
                };
                let fixes = nearest
                    .map(|near| {
                        Fix::suggested(
                            format!("Use `{near}`"),
                            vec![Edit {
                                range: range.clone(),
                                new_text: near.to_string(),
                            }],
                        )
                    })
                    .into_iter()
                    .collect();
                unused.push(Finding {
                    rule: UNUSED_IGNORE,
                    severity: Severity::Warning,
                    range: range.clone(),
                    message,
                    fixes,
                    related: Vec::new(),
                });
            }
        }
    }
    retain_unsuppressed(text, found);
    retain_unsuppressed(text, &mut unused);
    if unused.is_empty() {
        return;
    }
    found.extend(unused);
    found.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
    });
}

/// The safe fix for the stale id at `index`: the whole comment when every id in it is stale,
/// else the id with one separator. Ids before the first kept one take the separator after them,
/// the others the separator before them, so the fixes of one comment never overlap.
fn removal_fix(comment: &IgnoreComment, stale: &[bool], index: usize, id: &str) -> Option<Fix> {
    let Some(first_kept) = stale.iter().position(|is_stale| !is_stale) else {
        let removal = comment.removal.clone()?;
        return Some(Fix::safe(
            "Remove the ignore comment".to_string(),
            vec![Edit {
                range: removal,
                new_text: String::new(),
            }],
        ));
    };
    let this = comment.ids.get(index)?;
    let range = if index < first_kept {
        this.start..comment.ids.get(index + 1)?.start
    } else {
        comment.ids.get(index.checked_sub(1)?)?.end..this.end
    };
    Some(Fix::safe(
        format!("Remove `{id}` from the ignore comment"),
        vec![Edit {
            range,
            new_text: String::new(),
        }],
    ))
}

/// Every ignore comment of the text that is plainly a comment: the code before it on its line
/// closes every string it opens (a marker inside a string literal, as in a test of this very
/// module, is not a comment and is not reported).
fn ignore_comments(text: &str) -> Vec<IgnoreComment> {
    let mut comments = Vec::new();
    let mut line_start = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let start = line_start;
        line_start += line.len();
        let next_end = text
            .get(line_start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| line_start + i + 1);
        let at = LineAt {
            number,
            start,
            text: line,
            next_end,
        };
        for (marker, file_wide) in [(FILE_MARKER, true), (MARKER, false)] {
            comments.extend(ignore_comment(&at, marker, file_wide));
        }
    }
    comments
}

/// One line of a text, where it starts, and where the line after it ends.
struct LineAt<'a> {
    number: usize,
    start: usize,
    text: &'a str,
    next_end: usize,
}

/// The ignore comment with `marker` on a line, when it is plainly a comment.
fn ignore_comment(line: &LineAt<'_>, marker: &str, file_wide: bool) -> Option<IgnoreComment> {
    let body = line.text.trim_end_matches('\n').trim_end_matches('\r');
    let (before, after_marker) = body.split_once(marker)?;
    let (opener, block) = if let Some(code) = before.trim_end().strip_suffix("//") {
        (code.len(), false)
    } else if !file_wide && let Some(open) = before.rfind("/*") {
        (open, true)
    } else {
        return None;
    };
    let code = body.get(..opener)?;
    if !closes_its_strings(code) {
        return None;
    }
    let start = line.start;
    let rest_start = before.len() + marker.len();
    let ids = id_tokens(after_marker)
        .into_iter()
        .map(|range| start + rest_start + range.start..start + rest_start + range.end)
        .collect::<Vec<_>>();
    if ids.is_empty() {
        return None;
    }
    let code_before = code.trim_end();
    let removal = if block {
        after_marker.find("*/").map(|close| {
            let close = rest_start + close + 2;
            let after = body.get(close..).unwrap_or_default();
            if code_before.is_empty() && after.trim().is_empty() {
                start..start + line.text.len()
            } else if after.trim().is_empty() {
                start + code_before.len()..start + body.len()
            } else {
                start + opener..start + close
            }
        })
    } else if code_before.is_empty() {
        Some(start..start + line.text.len())
    } else {
        Some(start + code_before.len()..start + body.len())
    };
    let scope = if file_wide {
        Scope::File
    } else {
        Scope::Lines(start..line.next_end)
    };
    Some(IgnoreComment {
        scope,
        line: line.number,
        ids,
        removal,
    })
}

/// Whether the code before a comment is plain code: it leaves no string open, and no comment
/// starts in it (an ignore inside commented-out code, or inside a string, is not judged).
fn closes_its_strings(code: &str) -> bool {
    let mut open: Option<char> = None;
    let mut escaped = false;
    let mut previous = ' ';
    for ch in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match (ch, open) {
            ('\\', Some(_)) => escaped = true,
            ('"' | '\'' | '`', None) => open = Some(ch),
            (quote, Some(current)) if quote == current => open = None,
            ('/' | '*', None) if previous == '/' => return false,
            _ => {}
        }
        previous = if open.is_none() { ch } else { ' ' };
    }
    open.is_none()
}

/// The ranges (relative to `rest`) of the ids a comment names: the leading tokens shaped like
/// rule ids (lower-case words joined by `-`). After the first, a token counts only when a comma
/// comes before it or it is a known id, so a reason (`legacy-clients need it`) is not an id.
/// Separators are commas, whitespace and the `*/` of a block comment.
fn id_tokens(rest: &str) -> Vec<ByteRange> {
    let mut tokens = Vec::new();
    let mut token_start = None;
    let mut comma = false;
    let is_separator = |ch: char| ch == ',' || ch.is_whitespace() || ch == '*' || ch == '/';
    for (offset, ch) in rest.char_indices().chain([(rest.len(), ' ')]) {
        match (is_separator(ch), token_start) {
            (false, None) => token_start = Some(offset),
            (true, Some(begin)) => {
                token_start = None;
                let token = rest.get(begin..offset).unwrap_or_default();
                let known = token == UNUSED_IGNORE || rules::meta(token).is_some();
                let listed = tokens.is_empty() || comma || known;
                if !is_id_shaped(token) || !listed {
                    break;
                }
                tokens.push(begin..offset);
                comma = false;
            }
            _ => {}
        }
        if ch == ',' {
            comma = true;
        }
    }
    tokens
}

fn is_id_shaped(token: &str) -> bool {
    token.contains('-')
        && !token.starts_with('-')
        && !token.ends_with('-')
        && !token.contains("--")
        && token.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-')
}

/// The rule id nearest to an unknown one (a typo: at most three edits away, and closer than any
/// other), or `None`.
fn nearest_rule(id: &str) -> Option<&'static str> {
    let mut best: Option<(&'static str, usize)> = None;
    let mut tie = false;
    let candidates = rules::RULES
        .iter()
        .map(|(meta, _)| meta.id)
        .chain([UNUSED_IGNORE]);
    for candidate in candidates {
        let distance = strsim::levenshtein(id, candidate);
        match best {
            Some((_, current)) if distance > current => {}
            Some((_, current)) if distance == current => tie = true,
            _ => {
                best = Some((candidate, distance));
                tie = false;
            }
        }
    }
    let (name, distance) = best?;
    (!tie && distance <= 3 && distance * 3 < id.len()).then_some(name)
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
    let offset = hsl_text::clamp_to_boundary(text, offset);
    let start = line_start(text, offset);
    let end = text
        .get(offset..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| offset + i);
    let this_line = text.get(start..end).unwrap_or_default();
    let above = match start.checked_sub(1) {
        Some(newline) => text
            .get(line_start(text, newline)..newline)
            .unwrap_or_default(),
        None => "",
    };
    [this_line, above].iter().any(|line| names_rule(line, rule))
}

/// Where the line holding `offset` starts.
fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

fn names_rule(line: &str, rule: &str) -> bool {
    let Some((before, ids)) = line.split_once(MARKER) else {
        return false;
    };
    if !before.trim_end().ends_with("//") && !before.contains("/*") {
        return false;
    }
    ids.split(|ch: char| ch == ',' || ch.is_whitespace() || ch == '*' || ch == '/')
        .any(|id| id == rule)
}

/// The edit that inserts a suppression comment for `rule` above the line holding `offset`, with
/// that line's indentation and line ending.
pub fn ignore_edit(text: &str, offset: usize, rule: &str) -> Option<Edit> {
    let offset = hsl_text::clamp_to_boundary(text, offset);
    let start = line_start(text, offset);
    let line = text.get(start..)?;
    let indent: String = line
        .chars()
        .take_while(|ch| *ch == ' ' || *ch == '\t')
        .collect();
    let first_line = line.split('\n').next().unwrap_or_default();
    let newline = if first_line.ends_with('\r') {
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
        let (fixed, _) = hsl_fixes::apply(text, &[edit]);
        assert_eq!(
            fixed,
            "#!/usr/bin/env node\n// http-status-ls-ignore-file: redirect-changes-method\nres.status(302);\n"
        );
        let finding = |rule: &'static str| Finding {
            rule,
            severity: hsl_rules::Severity::Warning,
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
        let (fixed, _) = hsl_fixes::apply(text, &[edit]);
        assert_eq!(
            fixed,
            "f();\n    // http-status-ls-ignore: redirect-changes-method\n    res.redirect('/');\n"
        );
        let at = fixed.find("res").expect("res");
        assert!(is_suppressed(&fixed, at, "redirect-changes-method"));
    }

    fn finding_at(text: &str, needle: &str, rule: &'static str) -> Finding {
        let start = text.find(needle).expect("needle");
        Finding {
            rule,
            severity: hsl_rules::Severity::Warning,
            range: start..start + needle.len(),
            message: String::new(),
            fixes: Vec::new(),
            related: Vec::new(),
        }
    }

    fn report(text: &str, found: &mut Vec<Finding>) -> Vec<Finding> {
        retain_unsuppressed_reporting_unused(text, found, |_, _| true);
        found
            .iter()
            .filter(|finding| finding.rule == UNUSED_IGNORE)
            .cloned()
            .collect()
    }

    fn fixed(text: &str, unused: &[Finding]) -> String {
        let edits: Vec<Edit> = unused
            .iter()
            .flat_map(|finding| finding.fixes.iter().take(1))
            .flat_map(|fix| fix.edits.iter().cloned())
            .collect();
        hsl_fixes::apply(text, &edits).0
    }

    #[test]
    fn an_ignore_that_silences_something_is_not_reported() {
        let text = "  // http-status-ls-ignore: redirect-changes-method\n  res.redirect('/');\n";
        let mut found = vec![finding_at(text, "redirect", "redirect-changes-method")];
        found[0].range.start = text.find("res.").expect("res");
        assert!(report(text, &mut found).is_empty());
        assert!(found.is_empty(), "the finding itself is suppressed");
    }

    #[test]
    fn a_stale_line_ignore_is_a_hint_whose_fix_deletes_the_line() {
        let text = "f();\n  // http-status-ls-ignore: redirect-changes-method\n  res.redirect(303, '/');\n";
        let unused = report(text, &mut Vec::new());
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].severity, Severity::Hint);
        assert_eq!(
            text.get(unused[0].range.clone()),
            Some("redirect-changes-method")
        );
        assert_eq!(
            unused[0].fixes[0].applicability,
            hsl_fixes::Applicability::Safe
        );
        assert_eq!(fixed(text, &unused), "f();\n  res.redirect(303, '/');\n");
    }

    #[test]
    fn the_line_two_below_is_not_covered() {
        let text =
            "// http-status-ls-ignore: body-on-bodiless-status\nok();\nres.status(204).json(1);\n";
        let mut found = vec![finding_at(text, "204", "body-on-bodiless-status")];
        assert_eq!(report(text, &mut found).len(), 1);
        assert_eq!(found.len(), 2, "the finding stays and the ignore is stale");
    }

    #[test]
    fn rules_not_judged_are_never_stale() {
        let text = "x(); // http-status-ls-ignore: numeric-status-literal\n";
        let mut found = Vec::new();
        retain_unsuppressed_reporting_unused(text, &mut found, |rule, _| {
            rule != "numeric-status-literal"
        });
        assert!(found.is_empty());
    }

    #[test]
    fn file_wide_ignores_look_at_the_whole_file() {
        let text = "// http-status-ls-ignore-file: invalid-status-code, body-on-bodiless-status\na();\nres.status(2000);\n";
        let mut found = vec![finding_at(text, "2000", "invalid-status-code")];
        let unused = report(text, &mut found);
        assert_eq!(unused.len(), 1);
        assert_eq!(
            text.get(unused[0].range.clone()),
            Some("body-on-bodiless-status")
        );
        assert!(unused[0].message.contains("in this file"));
        assert_eq!(
            fixed(text, &unused),
            "// http-status-ls-ignore-file: invalid-status-code\na();\nres.status(2000);\n"
        );
    }

    #[test]
    fn removing_several_stale_ids_never_overlaps() {
        let ids = [
            "redirect-changes-method",
            "body-on-bodiless-status",
            "invalid-status-code",
        ];
        for kept in 0..ids.len() {
            let text = format!("x(); // http-status-ls-ignore: {}\n", ids.join(", "));
            let mut found = vec![finding_at(&text, "x()", ids[kept])];
            let unused = report(&text, &mut found);
            assert_eq!(unused.len(), 2);
            assert_eq!(
                fixed(&text, &unused),
                format!("x(); // http-status-ls-ignore: {}\n", ids[kept])
            );
        }
        let text = format!("x(); // http-status-ls-ignore: {}\n", ids.join(", "));
        let unused = report(&text, &mut Vec::new());
        assert_eq!(unused.len(), 3);
        assert_eq!(fixed(&text, &unused), "x();\n");
    }

    #[test]
    fn an_unknown_id_suggests_the_nearest_rule() {
        let text = "res.redirect('/'); // http-status-ls-ignore: redirect-change-method\n";
        let unused = report(text, &mut Vec::new());
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].severity, Severity::Warning);
        assert!(
            unused[0]
                .message
                .ends_with("did you mean `redirect-changes-method`?")
        );
        assert_eq!(
            unused[0].fixes[0].applicability,
            hsl_fixes::Applicability::Suggested
        );
        let far = "x(); // http-status-ls-ignore: no-such-thing\n";
        let unused = report(far, &mut Vec::new());
        assert_eq!(unused.len(), 1);
        assert!(unused[0].fixes.is_empty());
        assert_eq!(nearest_rule("no-such-thing"), None);
    }

    #[test]
    fn reasons_strings_and_commented_out_code_are_not_ids() {
        let reason =
            "x(); // http-status-ls-ignore: body-on-bodiless-status legacy-clients read it\n";
        let mut found = vec![finding_at(reason, "x()", "body-on-bodiless-status")];
        assert!(report(reason, &mut found).is_empty());
        let string = "const s = \"// http-status-ls-ignore: redirect-changes-method\";\n";
        assert!(report(string, &mut Vec::new()).is_empty());
        let url = "res.redirect('http://a/'); // http-status-ls-ignore: redirect-changes-method\n";
        assert_eq!(report(url, &mut Vec::new()).len(), 1);
        let commented = "// old(); // http-status-ls-ignore: redirect-changes-method\n";
        assert!(report(commented, &mut Vec::new()).is_empty());
    }

    #[test]
    fn unused_ignore_silences_its_own_report() {
        let text = "x(); // http-status-ls-ignore: redirect-changes-method, unused-ignore\n";
        assert!(report(text, &mut Vec::new()).is_empty());
        let file = "// http-status-ls-ignore-file: unused-ignore\nx(); // http-status-ls-ignore: nope-nope\n";
        assert!(report(file, &mut Vec::new()).is_empty());
    }
}
