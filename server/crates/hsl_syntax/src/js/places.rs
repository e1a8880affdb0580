//! Where a step stands: the statement and block it belongs to, and whether its response value
//! leaves the syntax's sight.

use tree_sitter::Node;

use super::StatementPlace;
use crate::node_util::Parents;

/// The block a statement sits in (to group statements on one response) and where it starts.
pub(super) fn statement_place<'t>(parents: &Parents<'t>, node: Node<'t>) -> StatementPlace<'t> {
    // Remembered along the way: every call of `a.b(c.d(e.f(…)))` climbs the same path.
    let statement = parents.nearest("statement or arrow body", node, |n| {
        matches!(n.kind(), "expression_statement" | "return_statement")
            || parents
                .parent(n)
                .is_some_and(|p| p.kind() == "arrow_function")
    });
    let Some(statement) = statement else {
        return StatementPlace {
            block: None,
            start: node.start_byte(),
            end: node.end_byte(),
            statement: None,
        };
    };
    match parents.parent(statement) {
        Some(block)
            if matches!(
                block.kind(),
                "statement_block" | "program" | "switch_case" | "switch_default"
            ) =>
        {
            StatementPlace {
                block: Some(block.id()),
                start: statement.start_byte(),
                end: statement.end_byte(),
                statement: Some(statement),
            }
        }
        _ => StatementPlace {
            block: None,
            start: statement.start_byte(),
            end: statement.end_byte(),
            statement: None,
        },
    }
}

/// Whether a response value leaves the syntax's sight: anything but being returned, thrown or
/// finished as a statement of its own (`const r = new Response(..)`, `withCors(res.json(x))`).
/// A property of an object literal that is returned stays in sight (`return { ok: false,
/// response: c.json(err, 401) }`, an auth helper's verdict): its caller sends it as built.
pub(super) fn value_escapes<'t>(parents: &Parents<'t>, node: Node<'t>) -> bool {
    let mut child = node;
    for parent in parents.ancestors(node) {
        match parent.kind() {
            "pair" => {
                let is_value = parent
                    .child_by_field_name("value")
                    .is_some_and(|value| value.id() == child.id());
                if !is_value {
                    return true;
                }
            }
            "object" => {}
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "sequence_expression" => {}
            "ternary_expression" | "binary_expression" => {
                let condition = parent
                    .child_by_field_name("condition")
                    .or_else(|| parent.child_by_field_name("left"))
                    .filter(|_| parent.kind() == "ternary_expression");
                if condition.is_some_and(|c| c.id() == child.id()) {
                    return true;
                }
            }
            "expression_statement" | "return_statement" | "throw_statement" => return false,
            "arrow_function" => {
                return parent
                    .child_by_field_name("body")
                    .is_none_or(|body| body.id() != child.id());
            }
            _ => return true,
        }
        child = parent;
    }
    true
}
