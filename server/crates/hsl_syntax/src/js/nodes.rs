//! Small shapes of the JavaScript grammar the other modules share: member-call chains, member
//! paths, parentheses, statements that always leave.

use tree_sitter::Node;

use super::{CallChain, ChainCall};
use crate::node_util::{Parents, named_children, text};

/// A statement that always returns or throws: `return x;`, `{ …; return; }`.
pub(super) fn always_leaves(statement: Node<'_>) -> bool {
    match statement.kind() {
        "return_statement" | "throw_statement" => true,
        "statement_block" => named_children(statement)
            .into_iter()
            .rev()
            .find(|n| n.kind() != "comment")
            .is_some_and(always_leaves),
        _ => false,
    }
}

/// The expression inside any parentheses around it.
pub(super) fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match named_children(node).into_iter().next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The object a member-call chain starts from (`ctx` in `ctx.set(..).redirect(..)`).
pub(super) fn chain_root(call: Node<'_>) -> Option<Node<'_>> {
    let mut current = call;
    loop {
        current = match current.kind() {
            "call_expression" => current.child_by_field_name("function")?,
            "member_expression" => current.child_by_field_name("object")?,
            _ => return Some(current),
        };
    }
}

/// Whether a call is the last of its member-call chain (nothing is called on its result).
pub(super) fn is_chain_top<'t>(parents: &Parents<'t>, call: Node<'t>) -> bool {
    let Some(parent) = parents.parent(call) else {
        return true;
    };
    if parent.kind() != "member_expression" {
        return true;
    }
    let Some(grand) = parents.parent(parent) else {
        return true;
    };
    !(grand.kind() == "call_expression"
        && grand.child_by_field_name("function").map(|f| f.id()) == Some(parent.id()))
}

/// The member-call chain that ends at `top`, calls in order; `None` when `top` is no method
/// call.
pub(super) fn chain_of<'t>(top: Node<'t>, source: &str) -> Option<CallChain<'t>> {
    let mut links = Vec::new();
    let mut current = top;
    loop {
        let function = match current.kind() {
            "call_expression" => current.child_by_field_name("function"),
            _ => None,
        };
        let Some(function) = function.filter(|f| f.kind() == "member_expression") else {
            break;
        };
        let (Some(object), Some(property)) = (
            function.child_by_field_name("object"),
            function.child_by_field_name("property"),
        ) else {
            break;
        };
        let args = current
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        links.push(ChainCall {
            method: text(property, source).to_string(),
            method_node: property,
            args,
            call: current,
        });
        current = object;
    }
    if links.is_empty() {
        return None;
    }
    links.reverse();
    Some(CallChain {
        root: current,
        links,
        top,
    })
}

/// `a.b.c` as `["a", "b", "c"]`; read from the outside in, without recursion, since a chain is
/// as long as its text.
pub(super) fn member_path(node: Node<'_>, source: &str) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut current = node;
    while current.kind() == "member_expression" {
        path.push(text(current.child_by_field_name("property")?, source).to_string());
        current = current.child_by_field_name("object")?;
    }
    if !matches!(current.kind(), "identifier" | "property_identifier") {
        return None;
    }
    path.push(text(current, source).to_string());
    path.reverse();
    Some(path)
}

/// Whether a node lies in `function`'s parameter list: a use of a name there declares it, so
/// readers of a parameter's uses leave it out.
pub(super) fn in_parameters_of<'t>(function: Node<'t>) -> impl Fn(Node<'t>) -> bool {
    let params = function
        .child_by_field_name("parameters")
        .or_else(|| function.child_by_field_name("parameter"))
        .map(|params| params.byte_range());
    move |node: Node<'t>| {
        params
            .as_ref()
            .is_some_and(|range| node.start_byte() >= range.start && node.end_byte() <= range.end)
    }
}
