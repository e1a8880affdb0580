//! Whether a value is what a handler returns (a tail, `return`, a match arm, through `Ok`,
//! `.into_response()`, `?`), and the wrappers climbed on the way.

use tree_sitter::Node;

use crate::handlers::HandlerTable;

use super::nodes::{in_table, method_name, rust_tables};
use crate::node_util::{Parents, named_children, text};

/// Skips `.unwrap()`, `?`, parentheses and `.into()` around an expression.
pub(super) fn climb_wrappers<'t>(
    parents: &Parents<'t>,
    mut node: Node<'t>,
    source: &str,
) -> Node<'t> {
    loop {
        let Some(parent) = parents.parent(node) else {
            return node;
        };
        match parent.kind() {
            "try_expression" | "parenthesized_expression" | "reference_expression" => node = parent,
            "field_expression" => {
                let field = parent
                    .child_by_field_name("field")
                    .map_or("", |f| text(f, source));
                let call = parents
                    .parent(parent)
                    .filter(|p| p.kind() == "call_expression");
                match call {
                    Some(call) if in_table(field, |t| &t.transparent_methods) => node = call,
                    _ => return node,
                }
            }
            _ => return node,
        }
    }
}

/// An expression statement without a closing `;` (a block-like expression such as `match`).
pub(super) fn is_unterminated(statement: Node<'_>) -> bool {
    statement
        .child(statement.child_count().saturating_sub(1))
        .is_none_or(|last| last.kind() != ";")
}

/// Whether an expression's value is what a handler returns: a tail expression, `return x`,
/// a match arm, or wrapped in `Ok`/`Err`/`.into_response()` there; in a registered closure,
/// or a closure whose value becomes the response (`.map_err(|e| ..)?`).
pub(super) fn in_response_position<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    source: &str,
    registered: &HandlerTable,
) -> bool {
    let mut node = node;
    for _ in 0..64 {
        let Some(parent) = parents.parent(node) else {
            return false;
        };
        match parent.kind() {
            // `return` leaves the nearest function, closure or async block.
            "return_expression" => {
                let owner = parents.ancestors(parent).find(|a| {
                    matches!(
                        a.kind(),
                        "function_item" | "closure_expression" | "async_block"
                    )
                });
                match owner {
                    Some(owner) if owner.kind() == "function_item" => return true,
                    Some(owner) if owner.kind() == "closure_expression" => {
                        match closure_value_flows(parents, owner, source, registered) {
                            Some(call) if propagates_error(parents, call, source) => return true,
                            Some(call) => node = call,
                            None => return is_registered(owner, registered),
                        }
                    }
                    Some(owner) => node = owner,
                    None => return false,
                }
            }
            "closure_expression" => {
                match closure_value_flows(parents, parent, source, registered) {
                    Some(call) if propagates_error(parents, call, source) => return true,
                    Some(call) => node = call,
                    None => return is_registered(parent, registered),
                }
            }
            "block" => {
                let children = named_children(parent);
                let is_tail = children.last().map(|last| last.id()) == Some(node.id())
                    && (node.kind() != "expression_statement" || is_unterminated(node));
                if !is_tail {
                    return false;
                }
                let Some(owner) = parents.parent(parent) else {
                    return false;
                };
                match owner.kind() {
                    "function_item" => return true,
                    "else_clause" => node = parents.parent(owner).unwrap_or(owner),
                    // A closure's block body: the closure arm above decides.
                    _ => node = parent,
                }
            }
            "match_arm" => {
                let Some(expression) = parents
                    .ancestors(parent)
                    .find(|a| a.kind() == "match_expression")
                else {
                    return false;
                };
                node = expression;
            }
            // A `match` or `if` at the end of a block parses as a statement without `;`.
            "expression_statement" if is_unterminated(parent) => node = parent,
            "if_expression"
                if parent
                    .child_by_field_name("condition")
                    .is_some_and(|condition| condition.id() == node.id()) =>
            {
                return false;
            }
            "if_expression"
            | "else_clause"
            | "async_block"
            | "unsafe_block"
            | "parenthesized_expression"
            | "try_expression" => node = parent,
            "arguments" => {
                let Some(call) = parents.parent(parent) else {
                    return false;
                };
                let function = call
                    .child_by_field_name("function")
                    .map_or("", |f| text(f, source));
                if in_table(function, |t| &t.value_wrappers) {
                    node = call;
                    continue;
                }
                // `option.ok_or(StatusCode::NOT_FOUND)?`: the `?` returns the error value.
                return method_name(call, source)
                    .is_some_and(|name| in_table(name, |t| &t.error_value_methods))
                    && parents
                        .parent(call)
                        .is_some_and(|p| p.kind() == "try_expression");
            }
            "field_expression" => {
                let field = parent
                    .child_by_field_name("field")
                    .map_or("", |f| text(f, source));
                let Some(call) = parents
                    .parent(parent)
                    .filter(|p| p.kind() == "call_expression")
                else {
                    return false;
                };
                if in_table(field, |t| &t.response_conversions) {
                    node = call;
                } else {
                    return false;
                }
            }
            _ => return false,
        }
    }
    false
}

pub(super) fn is_registered(closure: Node<'_>, registered: &HandlerTable) -> bool {
    registered.contains(closure)
}

/// For a closure passed to an adapter (`res.map_err(|e| ..)`), the call whose value carries the
/// closure's value; `None` for any other closure.
pub(super) fn closure_value_flows<'t>(
    parents: &Parents<'t>,
    closure: Node<'t>,
    source: &str,
    registered: &HandlerTable,
) -> Option<Node<'t>> {
    if is_registered(closure, registered) {
        return None;
    }
    let call = parents
        .parent(closure)
        .filter(|p| p.kind() == "arguments")
        .and_then(|arguments| parents.parent(arguments))?;
    let name = method_name(call, source)?;
    if !rust_tables().any(|table| table.closure_adapters.iter().any(|a| a == name)) {
        return None;
    }
    Some(call)
}

/// `res.map_err(|e| ..)?` and `opt.ok_or_else(|| ..)?`: the closure's value is the error the
/// `?` returns.
pub(super) fn propagates_error<'t>(parents: &Parents<'t>, call: Node<'t>, source: &str) -> bool {
    method_name(call, source).is_some_and(|name| {
        rust_tables().any(|table| table.error_adapters.iter().any(|a| a == name))
    }) && parents
        .parent(call)
        .is_some_and(|p| p.kind() == "try_expression")
}
