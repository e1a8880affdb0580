//! What the whole file says that every statement's facts depend on, read from the text so that a
//! statement parsed on its own sees the same: the quote style and a leading directive.

use tree_sitter::Node;

use crate::node_util::{named_children, string_value};
use hsl_tables::Tables;

/// The directives the tables' helper defaults depend on, collected once (asked after every edit).
pub(super) fn directives() -> &'static [&'static str] {
    static DIRECTIVES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    DIRECTIVES.get_or_init(|| Tables::get().js_directives())
}

/// Whether a statement is the directive `"<name>"` (a string alone as an expression statement).
pub(super) fn is_directive(statement: Node<'_>, name: &str, source: &str) -> bool {
    statement.kind() == "expression_statement"
        && named_children(statement)
            .first()
            .is_some_and(|expr| string_value(*expr, source).as_deref() == Some(name))
}

/// Whether the text's first statement is the directive `"<name>"`, comments and blank lines
/// before it skipped (read from the text: a statement parsed on its own must see the same).
pub(super) fn starts_with_directive(source: &str, name: &str) -> bool {
    let mut rest = source.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("//") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else if let Some(shebang) = rest.strip_prefix("#!") {
            rest = shebang.split_once('\n').map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    // The string must be the whole statement: `"use server".length` is not a directive.
    [format!("'{name}'"), format!("\"{name}\"")]
        .iter()
        .filter_map(|quoted| rest.strip_prefix(quoted.as_str()))
        .map(|after| after.trim_start_matches([' ', '\t']))
        .any(|after| {
            after.is_empty()
                || after.starts_with([';', '\n', '\r'])
                || after.starts_with("//")
                || after.starts_with("/*")
        })
}

/// The quote the file writes strings with: the one that opens more strings (a quote after a
/// non-word character; `don't` in a comment does not count), double quotes on a tie.
pub(super) fn quote_style(source: &str) -> char {
    let bytes = source.as_bytes();
    let mut single = 0;
    let mut double = 0;
    // Only the quotes are visited (the language server asks after every edit of a large file).
    for at in memchr::memchr2_iter(b'\'', b'"', bytes) {
        let previous = at.checked_sub(1).map_or(b' ', |before| bytes[before]);
        // Bytes of non-ASCII characters count as word characters (`é'`).
        let opens = !(previous.is_ascii_alphanumeric() || previous >= 0x80 || previous == b'\\');
        match bytes[at] {
            b'\'' if opens => single += 1,
            b'"' if opens => double += 1,
            _ => {}
        }
    }
    if single > double { '\'' } else { '"' }
}
