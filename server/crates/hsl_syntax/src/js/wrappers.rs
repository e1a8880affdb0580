//! The statements a big wrapping statement holds, for reuse below the top level: a module that
//! registers its routes inside one exported function (`module.exports = function register(app)
//! { app.get(..); … }`) or a test file whose cases sit in one `describe('…', () => { it(..); … })`
//! is one top-level statement, and an edit in one of its calls should cost what it costs in a
//! flat file (see `chunks::nested`).

use tree_sitter::Node;

/// How many wrapping levels (`export`, `=`, a declarator, a call's callback) are looked through
/// to reach the wrapped function's body.
const WRAPPER_DEPTH: usize = 8;

/// The call statements (`app.get(..);`, `it(..);`, `await setup(..);`) directly inside the body
/// of the function `statement` wraps its code in, in source order; empty when the statement does
/// not wrap a function body.
pub(super) fn inner_calls<'t>(statement: Node<'t>) -> Vec<Node<'t>> {
    let Some(body) = wrapped_body(statement) else {
        return Vec::new();
    };
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter(|child| is_call_statement(*child))
        .collect()
}

/// The body block of the function a statement wraps its code in.
fn wrapped_body(statement: Node<'_>) -> Option<Node<'_>> {
    let mut node = statement;
    for _ in 0..WRAPPER_DEPTH {
        node = match node.kind() {
            "expression_statement" | "parenthesized_expression" | "await_expression" => {
                node.named_child(0)?
            }
            "export_statement" => node
                .child_by_field_name("declaration")
                .or_else(|| node.child_by_field_name("value"))?,
            "assignment_expression" => node.child_by_field_name("right")?,
            "lexical_declaration" | "variable_declaration" if node.named_child_count() == 1 => {
                node.named_child(0)?
            }
            "variable_declarator" => node.child_by_field_name("value")?,
            "call_expression" => wrapped_callee(node)?,
            kind if is_function(kind) => {
                let body = node.child_by_field_name("body")?;
                return (body.kind() == "statement_block").then_some(body);
            }
            _ => return None,
        };
    }
    None
}

/// What a wrapping call wraps: its last argument when that is a function (`describe('…', () =>
/// {…})`), or the function it calls when that is written in place (`(function () {…})()`).
fn wrapped_callee(call: Node<'_>) -> Option<Node<'_>> {
    let arguments = call.child_by_field_name("arguments")?;
    let last =
        arguments.named_child(u32::try_from(arguments.named_child_count().checked_sub(1)?).ok()?);
    if let Some(last) = last.filter(|last| is_function(last.kind())) {
        return Some(last);
    }
    call.child_by_field_name("function")
        .filter(|function| function.kind() == "parenthesized_expression")
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "arrow_function"
            | "function_expression"
            | "function"
            | "function_declaration"
            | "generator_function"
            | "generator_function_declaration"
    )
}

/// `app.get(..);` or `await run(..);`: a statement that only calls, declaring nothing another
/// statement could name.
fn is_call_statement(node: Node<'_>) -> bool {
    if node.kind() != "expression_statement" {
        return false;
    }
    let Some(expression) = node.named_child(0) else {
        return false;
    };
    let call = if expression.kind() == "await_expression" {
        expression.named_child(0)
    } else {
        Some(expression)
    };
    call.is_some_and(|call| call.kind() == "call_expression")
}
