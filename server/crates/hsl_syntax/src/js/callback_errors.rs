//! Node-style callbacks: `jwt.verify(token, key, (err, user) => { if (err) … })` passes the
//! call's failure as the callback's first argument, so the branch that tests it handles that
//! failure as a `catch` around the call would.

use tree_sitter::Node;

use super::FUNCTION_KINDS;
use super::conditions;
use crate::node_util::{Parents, named_children, text};
use hsl_facts::Failure;

/// Names the error of a Node-style callback is bound to.
const ERROR_PARAMS: &[&str] = &["err", "error", "er"];

/// The failure the branch of `condition` handles, when the branch taken (`negated`: the
/// `else`) is the one where the first parameter of a Node-style callback holds an error:
/// `if (err)` or the `else` of `if (!err)`.
pub(super) fn callback_failure<'t>(
    parents: &Parents<'t>,
    condition: Node<'t>,
    negated: bool,
    source: &str,
) -> Option<Failure> {
    let (name, tests_presence) = tested_name(condition)?;
    if tests_presence == negated {
        return None;
    }
    let name = text(name, source);
    if !ERROR_PARAMS.contains(&name) {
        return None;
    }
    let callback = parents
        .ancestors(condition)
        .find(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()))?;
    let first = callback
        .child_by_field_name("parameters")
        .and_then(|params| named_children(params).into_iter().next())
        .or_else(|| callback.child_by_field_name("parameter"))?;
    if text(first, source) != name {
        return None;
    }
    // The callback is the last argument of the call whose failure it receives.
    let arguments = parents
        .parent(callback)
        .filter(|parent| parent.kind() == "arguments")?;
    let last = named_children(arguments).last().copied()?;
    if last.id() != callback.id() {
        return None;
    }
    let call = parents
        .parent(arguments)
        .filter(|parent| parent.kind() == "call_expression")?;
    let callee = call.child_by_field_name("function")?;
    // The failure is handled by the branch taken, not by the test that picks it.
    let side = if negated {
        "alternative"
    } else {
        "consequence"
    };
    let handled = parents
        .parent(condition)
        .and_then(|branch| branch.child_by_field_name(side))?;
    Some(Failure {
        range: handled.byte_range(),
        binding: Some(name.to_string()),
        pattern: None,
        tried: Some(callee.byte_range()),
        // What the call tried: `jwt.verify` on `token` (a credential), not the callback's body.
        tried_words: conditions::words_of_call(call, callback, source),
    })
}

/// The identifier a test checks and whether it tests its presence (`err`) or absence (`!err`).
fn tested_name(condition: Node<'_>) -> Option<(Node<'_>, bool)> {
    let mut node = condition;
    let mut present = true;
    for _ in 0..4 {
        match node.kind() {
            "parenthesized_expression" => node = named_children(node).into_iter().next()?,
            "unary_expression" if node.child(0).is_some_and(|op| op.kind() == "!") => {
                present = !present;
                node = node.child_by_field_name("argument")?;
            }
            "identifier" => return Some((node, present)),
            _ => return None,
        }
    }
    None
}
