//! Small shapes of the Rust grammar the other modules share: paths and their segments, method
//! names, references, token leaves, and table look-ups by name.

use tree_sitter::Node;

use crate::node_util::{named_children, text};
use hsl_tables::{Framework, Tables};

/// Skips `&`, `*` and parentheses around an expression or pattern.
pub(super) fn strip_refs(mut node: Node<'_>) -> Node<'_> {
    for _ in 0..8 {
        match node.kind() {
            "reference_expression"
            | "reference_pattern"
            | "unary_expression"
            | "parenthesized_expression" => match named_children(node).last() {
                Some(inner) => node = *inner,
                None => return node,
            },
            _ => return node,
        }
    }
    node
}

/// The Rust framework tables.
pub(super) fn rust_tables() -> impl Iterator<Item = &'static Framework> {
    Tables::get().for_language(hsl_facts::Family::Rust)
}

/// Whether a Rust table lists `name` in the list `list` picks.
pub(super) fn in_table(
    name: &str,
    list: impl Fn(&'static Framework) -> &'static Vec<String>,
) -> bool {
    rust_tables().any(|table| list(table).iter().any(|entry| entry == name))
}

/// The method a call invokes (`map_err` in `res.map_err(f)`); `None` for a plain function call.
pub(super) fn method_name<'s>(call: Node<'_>, source: &'s str) -> Option<&'s str> {
    let field = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "field_expression")?
        .child_by_field_name("field")?;
    Some(text(field, source))
}

/// The segments of a path as written (`web::Json` → `[web, Json]`).
pub(super) fn path_segments(node: Node<'_>, source: &str) -> Vec<String> {
    path_segments_of(text(node, source))
}

/// The segments of a path's text.
pub(super) fn path_segments_of(path: &str) -> Vec<String> {
    path.split("::")
        .map(|segment| segment.trim().to_string())
        .filter(|segment| !segment.is_empty())
        .collect()
}

/// A path's last segment and the one before it (`StatusCode::OK` → `(OK, StatusCode)`).
pub(super) fn last_two(segments: &[String]) -> Option<(&str, &str)> {
    let name = segments.last()?;
    let ty = segments.get(segments.len().checked_sub(2)?)?;
    Some((name.as_str(), ty.as_str()))
}

/// The tokens under `node`, in order; iterative, since a macro's token trees nest as deep as
/// its text's brackets.
pub(super) fn collect_leaves<'t>(node: Node<'t>, leaves: &mut Vec<Node<'t>>) {
    leaves.extend(
        crate::depth::descendants(node, |_| true)
            .into_iter()
            .filter(|child| child.child_count() == 0),
    );
}
