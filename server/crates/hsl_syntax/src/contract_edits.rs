//! How a new response is written into an in-code contract, in the contract's own layout: the
//! edits the quick fix of `undeclared-status` applies. Their texts hold `{code}` and
//! `{description}`, which the rule fills in for the status it declares.

use hsl_facts::{ByteRange, Replacement};

/// An entry added after `last`, the range of a list's last entry: on a line of its own with
/// the same indentation when the list ends its entries with a comma (one entry a line), else
/// after it, behind `, `.
pub(crate) fn after_last_entry(source: &str, last: &ByteRange, entry: &str) -> Replacement {
    let rest = source.get(last.end..).unwrap_or("");
    let spaced = rest.trim_start_matches([' ', '\t']);
    if spaced.starts_with(',') {
        let comma_end = last.end + (rest.len() - spaced.len()) + 1;
        let text = match indentation_at(source, last.start) {
            Some(indent) => format!("\n{indent}{entry},"),
            None => format!(" {entry},"),
        };
        return Replacement {
            range: comma_end..comma_end,
            text,
        };
    }
    Replacement {
        range: last.end..last.end,
        text: format!(", {entry}"),
    }
}

/// A line added above the line of `at`, with that line's indentation; `None` when something
/// other than whitespace precedes `at` on its line.
pub(crate) fn line_above(source: &str, at: usize, line: &str) -> Option<Replacement> {
    let indent = indentation_at(source, at)?;
    let start = at - indent.len();
    Some(Replacement {
        range: start..start,
        text: format!("{indent}{line}\n"),
    })
}

/// The whitespace that starts the line of `at`, when only whitespace precedes `at` there.
fn indentation_at(source: &str, at: usize) -> Option<&str> {
    let before = source.get(..at)?;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let indent = before.get(line_start..)?;
    indent
        .chars()
        .all(|ch| ch == ' ' || ch == '\t')
        .then_some(indent)
}

/// The quote a piece of code writes its strings with: the first of `'` and `"` in it, else `"`.
pub(crate) fn quote_in(text: &str) -> char {
    text.chars()
        .find(|ch| matches!(ch, '\'' | '"'))
        .unwrap_or('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_follow_the_list_layout() {
        let inline = "{ 201: a, 404: b }";
        let edit = after_last_entry(inline, &(10..16), "409: c");
        assert_eq!((edit.range, edit.text.as_str()), (16..16, ", 409: c"));
        let lines = "{\n  201: a,\n  404: b,\n}";
        let edit = after_last_entry(lines, &(14..20), "409: c");
        assert_eq!((edit.range, edit.text.as_str()), (21..21, "\n  409: c,"));
    }

    #[test]
    fn lines_above_keep_the_indentation() {
        let text = "class A {\n  @Get()\n  f() {}\n}";
        let edit = line_above(text, 12, "@X()");
        assert_eq!(
            edit.map(|e| (e.range, e.text)),
            Some((10..10, "  @X()\n".to_string()))
        );
        assert_eq!(line_above("a; @Get()", 3, "@X()"), None);
        assert_eq!(quote_in("import { a } from 'b'"), '\'');
        assert_eq!(quote_in("x"), '"');
    }
}
