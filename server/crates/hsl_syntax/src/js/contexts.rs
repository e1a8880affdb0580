//! JavaScript's control flow for the shared climb from a status site to its context
//! ([`crate::flow`]): `if` statements and ternaries branch, statement blocks hold early-return
//! guards, and a `catch` clause or a promise's `.catch(..)` callback handles a failure.

use tree_sitter::Node;

use super::FUNCTION_KINDS;
use super::callback_errors::callback_failure;
use super::conditions::{self, js_condition};
use super::nodes::always_leaves;
use crate::flow::{self, ControlFlow, Flow};
use crate::node_util::{Parents, named_children, text};
use hsl_facts::{ByteRange, Condition, Context, Failure};

/// Where a response sits in its handler's control flow: the `if`s, ternaries and early-return
/// guards on the way to it (with the branch taken), and the innermost `catch` (or promise
/// `.catch(..)` callback) around it.
pub(super) fn context_of<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    handler: Option<ByteRange>,
    source: &str,
) -> Context {
    flow::context_of(&JsFlow { parents, source }, parents, node, handler)
}

/// JavaScript's answers to [`ControlFlow`].
struct JsFlow<'a, 't> {
    parents: &'a Parents<'t>,
    source: &'a str,
}

impl<'t> ControlFlow<'t> for JsFlow<'_, 't> {
    fn branch_kinds(&self) -> &'static [&'static str] {
        &["if_statement", "ternary_expression"]
    }

    fn block_kinds(&self) -> &'static [&'static str] {
        &["statement_block", "program", "switch_case"]
    }

    fn branch(&self, flow: &mut Flow, condition: Node<'t>, negated: bool, _: Node<'t>) {
        flow.condition(js_condition(condition, negated, self.source));
        // `if (err)` in a Node-style callback: the branch handles the call's failure.
        if let Some(failure) = callback_failure(self.parents, condition, negated, self.source) {
            flow.in_catch(|| failure);
        }
    }

    /// `if (test) { …; return; }` with no `else`: what follows runs when the test fails.
    fn guard(&self, statement: Node<'t>) -> Option<Condition> {
        let leaves = statement.kind() == "if_statement"
            && statement.child_by_field_name("alternative").is_none()
            && statement
                .child_by_field_name("consequence")
                .is_some_and(always_leaves);
        if !leaves {
            return None;
        }
        let condition = statement.child_by_field_name("condition")?;
        Some(js_condition(condition, true, self.source))
    }

    fn other(&self, flow: &mut Flow, ancestor: Node<'t>, child: Node<'t>) {
        match ancestor.kind() {
            "catch_clause" => flow.in_catch(|| self.catch_clause(ancestor)),
            "arguments" => {
                if let Some(failure) = self.promise_catch(ancestor, child) {
                    flow.in_catch(|| failure);
                }
            }
            _ => {}
        }
    }

    /// A handler that is a promise's `.catch(..)` callback (`.catch(() => new Response(..,
    /// { status: 429 }))`) handles that promise's failure.
    fn handler_itself(&self, flow: &mut Flow, handler: Node<'t>) {
        let Some(arguments) = self
            .parents
            .parent(handler)
            .filter(|parent| parent.kind() == "arguments")
        else {
            return;
        };
        if let Some(failure) = self.promise_catch(arguments, handler) {
            flow.in_catch(|| failure);
        }
    }
}

impl<'t> JsFlow<'_, 't> {
    /// `try { … } catch (err) { … }`: the clause handles the failure of the `try` block.
    fn catch_clause(&self, clause: Node<'t>) -> Failure {
        let tried = self
            .parents
            .parent(clause)
            .filter(|parent| parent.kind() == "try_statement")
            .and_then(|parent| parent.child_by_field_name("body"));
        Failure {
            range: clause.byte_range(),
            binding: clause
                .child_by_field_name("parameter")
                .map(|param| text(param, self.source).to_string()),
            pattern: None,
            tried: tried.map(|body| body.byte_range()),
            tried_words: tried
                .map(|body| conditions::words(body, self.source))
                .unwrap_or_default(),
        }
    }

    /// `promise.catch((err) => …)`: the callback `child` handles the promise's failure.
    fn promise_catch(&self, arguments: Node<'t>, child: Node<'t>) -> Option<Failure> {
        if !FUNCTION_KINDS.contains(&child.kind()) {
            return None;
        }
        let call = self
            .parents
            .parent(arguments)
            .filter(|p| p.kind() == "call_expression")?;
        let callee = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "member_expression")?;
        let property = callee.child_by_field_name("property")?;
        if text(property, self.source) != "catch" {
            return None;
        }
        let binding = child
            .child_by_field_name("parameter")
            .or_else(|| {
                child
                    .child_by_field_name("parameters")
                    .and_then(|params| named_children(params).into_iter().next())
            })
            .map(|param| text(param, self.source).to_string());
        let promise = callee.child_by_field_name("object");
        Some(Failure {
            range: child.byte_range(),
            binding,
            pattern: None,
            tried: promise.map(|object| object.byte_range()),
            tried_words: promise
                .map(|object| conditions::words(object, self.source))
                .unwrap_or_default(),
        })
    }
}
