//! Tested expressions (an `if` or ternary condition, an early-return guard) as
//! [`hsl_facts::Condition`]s: the one place that decides how a JavaScript test is recorded.

use tree_sitter::Node;

use super::nodes::strip_parens;
use crate::node_util::text;

/// A tested expression as a [`hsl_facts::Condition`], without its parentheses.
pub(super) fn js_condition(
    condition: Node<'_>,
    negated: bool,
    source: &str,
) -> hsl_facts::Condition {
    let inner = strip_parens(condition);
    hsl_facts::Condition {
        text: text(inner, source).to_string(),
        range: inner.byte_range(),
        pattern: None,
        negated,
    }
}
