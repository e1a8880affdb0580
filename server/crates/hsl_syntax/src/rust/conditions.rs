//! Tested expressions (an `if` condition, a `match` scrutinee with an arm's pattern, a guard)
//! as [`hsl_facts::Condition`]s: the one place that decides how a Rust test is recorded.

use tree_sitter::Node;

use crate::node_util::text;

/// A tested expression as a [`hsl_facts::Condition`].
pub(super) fn rust_condition(
    node: Node<'_>,
    pattern: Option<String>,
    negated: bool,
    source: &str,
) -> hsl_facts::Condition {
    hsl_facts::Condition {
        text: text(node, source).to_string(),
        range: node.byte_range(),
        pattern,
        negated,
    }
}
