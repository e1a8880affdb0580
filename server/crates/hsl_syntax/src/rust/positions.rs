//! Whether a value is what a handler returns (a tail, `return`, a match arm, through `Ok`,
//! `.into_response()`, `?`), and the wrappers climbed on the way.

use std::ops::ControlFlow as Walk;

use tree_sitter::Node;

use super::nodes::{in_table, method_name, rust_tables};
use crate::handlers::HandlerTable;
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
    let position = Position {
        parents,
        source,
        registered,
    };
    let mut node = node;
    for _ in 0..64 {
        let Some(parent) = parents.parent(node) else {
            return false;
        };
        match position.step(node, parent) {
            Walk::Continue(next) => node = next,
            Walk::Break(returned) => return returned,
        }
    }
    false
}

/// The climb of [`in_response_position`]: from a value to what it becomes, until it is known
/// to be returned or not.
struct Position<'a, 't> {
    parents: &'a Parents<'t>,
    source: &'a str,
    registered: &'a HandlerTable,
}

impl<'t> Position<'_, 't> {
    /// Where the value of `node` goes in `parent`: on into another node, or a verdict.
    fn step(&self, node: Node<'t>, parent: Node<'t>) -> Walk<bool, Node<'t>> {
        match parent.kind() {
            "return_expression" => self.returned(parent),
            "closure_expression" => self.closure_value(parent),
            "block" => self.block_tail(node, parent),
            "match_arm" => match self
                .parents
                .ancestors(parent)
                .find(|a| a.kind() == "match_expression")
            {
                Some(expression) => Walk::Continue(expression),
                None => Walk::Break(false),
            },
            // A `match` or `if` at the end of a block parses as a statement without `;`.
            "expression_statement" if is_unterminated(parent) => Walk::Continue(parent),
            "if_expression"
                if parent
                    .child_by_field_name("condition")
                    .is_some_and(|condition| condition.id() == node.id()) =>
            {
                Walk::Break(false)
            }
            "if_expression"
            | "else_clause"
            | "async_block"
            | "unsafe_block"
            | "parenthesized_expression"
            | "try_expression" => Walk::Continue(parent),
            "arguments" => self.argument(parent),
            "field_expression" => self.conversion(node, parent),
            _ => Walk::Break(false),
        }
    }

    /// `return` leaves the nearest function, closure or async block.
    fn returned(&self, ret: Node<'t>) -> Walk<bool, Node<'t>> {
        let owner = self.parents.ancestors(ret).find(|a| {
            matches!(
                a.kind(),
                "function_item" | "closure_expression" | "async_block"
            )
        });
        match owner {
            Some(owner) if owner.kind() == "function_item" => Walk::Break(true),
            Some(owner) if owner.kind() == "closure_expression" => self.closure_value(owner),
            Some(owner) => Walk::Continue(owner),
            None => Walk::Break(false),
        }
    }

    /// A closure's value: the response when the closure is registered, or when an adapter
    /// makes it the error `?` returns; it flows on through an adapter's call otherwise.
    fn closure_value(&self, closure: Node<'t>) -> Walk<bool, Node<'t>> {
        let (parents, source) = (self.parents, self.source);
        match closure_value_flows(parents, closure, source, self.registered) {
            Some(call) if propagates_error(parents, call, source) => Walk::Break(true),
            Some(call) => Walk::Continue(call),
            None => Walk::Break(is_registered(closure, self.registered)),
        }
    }

    /// The tail of a block: a function's result, an `else` branch's value, or a closure's body
    /// (the closure decides).
    fn block_tail(&self, node: Node<'t>, block: Node<'t>) -> Walk<bool, Node<'t>> {
        let children = named_children(block);
        let is_tail = children.last().map(|last| last.id()) == Some(node.id())
            && (node.kind() != "expression_statement" || is_unterminated(node));
        if !is_tail {
            return Walk::Break(false);
        }
        let Some(owner) = self.parents.parent(block) else {
            return Walk::Break(false);
        };
        match owner.kind() {
            "function_item" => Walk::Break(true),
            "else_clause" => Walk::Continue(self.parents.parent(owner).unwrap_or(owner)),
            _ => Walk::Continue(block),
        }
    }

    /// An argument: of a value wrapper (`Ok(..)`), it is the wrapper's value; of
    /// `option.ok_or(StatusCode::NOT_FOUND)?`, the error the `?` returns.
    fn argument(&self, arguments: Node<'t>) -> Walk<bool, Node<'t>> {
        let Some(call) = self.parents.parent(arguments) else {
            return Walk::Break(false);
        };
        let function = call
            .child_by_field_name("function")
            .map_or("", |f| text(f, self.source));
        if in_table(function, |t| &t.value_wrappers) {
            return Walk::Continue(call);
        }
        let returns_error = method_name(call, self.source)
            .is_some_and(|name| in_table(name, |t| &t.error_value_methods))
            && self
                .parents
                .parent(call)
                .is_some_and(|p| p.kind() == "try_expression");
        Walk::Break(returns_error)
    }

    /// A method on the value: a conversion into a response (`.into_response()`) keeps it, and
    /// so does a method that leaves an error as it is after an error adapter
    /// (`.map_err(|_| StatusCode::X).and_then(..)`).
    fn conversion(&self, node: Node<'t>, field_expression: Node<'t>) -> Walk<bool, Node<'t>> {
        let field = field_expression
            .child_by_field_name("field")
            .map_or("", |f| text(f, self.source));
        let Some(call) = self
            .parents
            .parent(field_expression)
            .filter(|p| p.kind() == "call_expression")
        else {
            return Walk::Break(false);
        };
        let keeps_error = in_table(field, |t| &t.error_preserving_methods)
            && node.kind() == "call_expression"
            && method_name(node, self.source)
                .is_some_and(|name| in_table(name, |t| &t.error_adapters));
        if keeps_error || in_table(field, |t| &t.response_conversions) {
            Walk::Continue(call)
        } else {
            Walk::Break(false)
        }
    }
}

/// Whether a closure is a registered handler.
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
