//! Where a response sits in its handler's control flow: the conditions on the way to it and the
//! failure handler (`catch`, promise `.catch(..)`) around it.

use tree_sitter::Node;

use super::FUNCTION_KINDS;
use super::conditions::{self, js_condition};
use super::nodes::always_leaves;
use crate::node_util::{Parents, named_children, text};
use hsl_facts::{ByteRange, Context};

/// Where a response sits in its handler's control flow: the `if`s, ternaries and early-return
/// guards on the way to it (with the branch taken), and the innermost `catch` (or promise
/// `.catch(..)` callback) around it.
pub(super) fn context_of<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    handler: Option<ByteRange>,
    source: &str,
) -> Context {
    let mut context = Context::default();
    let mut conditions = Vec::new();
    let mut child = node;
    for ancestor in parents.ancestors(node) {
        if let Some(range) = &handler
            && ancestor.byte_range() == *range
        {
            break;
        }
        match ancestor.kind() {
            "catch_clause" => {
                context.in_catch = true;
                if context.failure.is_none() {
                    let tried = parents
                        .parent(ancestor)
                        .filter(|parent| parent.kind() == "try_statement")
                        .and_then(|parent| parent.child_by_field_name("body"));
                    context.failure = Some(hsl_facts::Failure {
                        range: ancestor.byte_range(),
                        binding: ancestor
                            .child_by_field_name("parameter")
                            .map(|param| text(param, source).to_string()),
                        pattern: None,
                        tried: tried.map(|body| body.byte_range()),
                        tried_words: tried
                            .map(|body| conditions::words(body, source))
                            .unwrap_or_default(),
                    });
                }
            }
            "if_statement" | "ternary_expression" => {
                if let Some(condition) = ancestor.child_by_field_name("condition")
                    && condition.id() != child.id()
                {
                    let negated = ancestor
                        .child_by_field_name("alternative")
                        .is_some_and(|alternative| alternative.id() == child.id());
                    conditions.push(js_condition(condition, negated, source));
                }
            }
            "statement_block" | "program" | "switch_case" => {
                let before = named_children(ancestor)
                    .into_iter()
                    .take_while(|sibling| sibling.end_byte() <= child.start_byte());
                let mut guards: Vec<hsl_facts::Condition> = before
                    .filter(|sibling| {
                        sibling.kind() == "if_statement"
                            && sibling.child_by_field_name("alternative").is_none()
                            && sibling
                                .child_by_field_name("consequence")
                                .is_some_and(always_leaves)
                    })
                    .filter_map(|guard| guard.child_by_field_name("condition"))
                    .map(|condition| js_condition(condition, true, source))
                    .collect();
                guards.reverse();
                conditions.extend(guards);
            }
            "arguments" => {
                if let Some(failure) = promise_catch(parents, ancestor, child, source) {
                    context.in_catch = true;
                    if context.failure.is_none() {
                        context.failure = Some(failure);
                    }
                }
            }
            _ => {}
        }
        child = ancestor;
    }
    conditions.reverse();
    context.branch_conditions = conditions;
    context
}

/// `promise.catch((err) => …)`: the callback `child` handles the promise's failure.
pub(super) fn promise_catch<'t>(
    parents: &Parents<'t>,
    arguments: Node<'t>,
    child: Node<'t>,
    source: &str,
) -> Option<hsl_facts::Failure> {
    if !FUNCTION_KINDS.contains(&child.kind()) {
        return None;
    }
    let call = parents
        .parent(arguments)
        .filter(|p| p.kind() == "call_expression")?;
    let callee = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "member_expression")?;
    let property = callee.child_by_field_name("property")?;
    if text(property, source) != "catch" {
        return None;
    }
    let binding = child
        .child_by_field_name("parameter")
        .or_else(|| {
            child
                .child_by_field_name("parameters")
                .and_then(|params| named_children(params).into_iter().next())
        })
        .map(|param| text(param, source).to_string());
    let promise = callee.child_by_field_name("object");
    Some(hsl_facts::Failure {
        range: child.byte_range(),
        binding,
        pattern: None,
        tried: promise.map(|object| object.byte_range()),
        tried_words: promise
            .map(|object| conditions::words(object, source))
            .unwrap_or_default(),
    })
}
