//! Rust's control flow for the shared climb from a status site to its context ([`crate::flow`]):
//! `if` expressions branch (an `if let Err(..)` is an error path), blocks hold early-return
//! guards, and `match` arms, `let … else` blocks and the arguments of `.ok_or(..)` /
//! `.map_err(..)` add the pattern their value must match.

use tree_sitter::Node;

use super::conditions::{pattern as read_pattern, rust_condition, words as read_words};
use crate::flow::{self, ControlFlow, Flow};
use crate::node_util::{Parents, named_children, text};
use hsl_facts::{ByteRange, Condition, Context, Failure, Pattern, PatternKind};

/// Where a response sits in its handler's control flow: the `if`s, `if let`s, `let … else`s,
/// match arms (with guards), early-return guards and `.ok_or(..)` / `.map_err(..)` receivers on
/// the way to it, and the innermost failure handler (`Err` arm) around it.
pub(super) fn context_of<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    handler: Option<ByteRange>,
    source: &str,
) -> Context {
    flow::context_of(&RustFlow { parents, source }, parents, node, handler)
}

/// Rust's answers to [`ControlFlow`].
struct RustFlow<'a, 't> {
    parents: &'a Parents<'t>,
    source: &'a str,
}

impl<'t> ControlFlow<'t> for RustFlow<'_, 't> {
    fn branch_kinds(&self) -> &'static [&'static str] {
        &["if_expression"]
    }

    fn block_kinds(&self) -> &'static [&'static str] {
        &["block"]
    }

    /// An `if let Err(..)` block, or the `else` of an `if let Ok(..)`, handles a failure.
    fn branch(&self, flow: &mut Flow, condition: Node<'t>, negated: bool, child: Node<'t>) {
        let Some((pattern, value)) = let_condition(condition) else {
            flow.condition(rust_condition(condition, None, negated, self.source));
            return;
        };
        let pattern = read_pattern(pattern, self.source);
        let fails = (!negated && pattern.kind == PatternKind::Err)
            || (negated && pattern.kind == PatternKind::Ok);
        if fails {
            flow.in_err_arm(|| self.failure(child, &pattern, Some(value)));
        }
        flow.condition(rust_condition(value, Some(pattern), negated, self.source));
    }

    /// `if test { …; return …; }` with no `else` (as a statement of its own or the block's
    /// tail): what follows runs when the test fails. `let Some(v) = value else { … };` is the
    /// same guard turned round: what follows runs when the pattern matches.
    fn guard(&self, statement: Node<'t>) -> Option<Condition> {
        if let Some(matched) = self.let_else_guard(statement) {
            return Some(matched);
        }
        let statement = match statement.kind() {
            "expression_statement" => named_children(statement).into_iter().next()?,
            _ => statement,
        };
        let leaves = statement.kind() == "if_expression"
            && statement.child_by_field_name("alternative").is_none()
            && statement
                .child_by_field_name("consequence")
                .is_some_and(block_leaves);
        if !leaves {
            return None;
        }
        let condition = statement.child_by_field_name("condition")?;
        Some(match let_condition(condition) {
            Some((pattern, value)) => {
                let pattern = read_pattern(pattern, self.source);
                rust_condition(value, Some(pattern), true, self.source)
            }
            None => rust_condition(condition, None, true, self.source),
        })
    }

    fn other(&self, flow: &mut Flow, ancestor: Node<'t>, child: Node<'t>) {
        match ancestor.kind() {
            "match_arm" => self.match_arm(flow, ancestor),
            "let_declaration" => self.let_else(flow, ancestor, child),
            "arguments" => self.adapter_argument(flow, ancestor, child),
            _ => {}
        }
    }
}

impl<'t> RustFlow<'_, 't> {
    /// A `match` arm: its guard, its pattern against the scrutinee, and an `Err(..)` pattern
    /// handles a failure.
    fn match_arm(&self, flow: &mut Flow, arm: Node<'t>) {
        let pattern_node = arm.child_by_field_name("pattern");
        let guard = pattern_node.and_then(|p| p.child_by_field_name("condition"));
        let pattern = pattern_node
            .and_then(|p| named_children(p).into_iter().next())
            .filter(|p| guard.is_none_or(|g| g.id() != p.id()))
            .map_or_else(
                || Pattern::implied(PatternKind::Other),
                |p| read_pattern(p, self.source),
            );
        if let Some(guard) = guard {
            flow.condition(rust_condition(guard, None, false, self.source));
        }
        let scrutinee = self
            .parents
            .parent(arm)
            .and_then(|block| self.parents.parent(block))
            .filter(|m| m.kind() == "match_expression")
            .and_then(|m| m.child_by_field_name("value"));
        if let Some(scrutinee) = scrutinee {
            let matched = Some(pattern.clone());
            flow.condition(rust_condition(scrutinee, matched, false, self.source));
        }
        if pattern.kind == PatternKind::Err {
            flow.in_err_arm(|| self.failure(arm, &pattern, scrutinee));
        }
    }

    /// The `else` block of `let <pattern> = <value> else { … }`; of a `let Ok(..)`, it handles
    /// a failure.
    /// The test a `let … else` declaration leaves holding for the statements after it: its
    /// pattern matched its value (`size` is bound in `let Some(size) = header else { .. };`).
    fn let_else_guard(&self, declaration: Node<'t>) -> Option<Condition> {
        if declaration.kind() != "let_declaration" {
            return None;
        }
        declaration.child_by_field_name("alternative")?;
        let pattern = read_pattern(declaration.child_by_field_name("pattern")?, self.source);
        let value = declaration.child_by_field_name("value")?;
        Some(rust_condition(value, Some(pattern), false, self.source))
    }

    fn let_else(&self, flow: &mut Flow, declaration: Node<'t>, child: Node<'t>) {
        let Some(alternative) = declaration
            .child_by_field_name("alternative")
            .filter(|alternative| alternative.id() == child.id())
        else {
            return;
        };
        let (Some(pattern), Some(value)) = (
            declaration.child_by_field_name("pattern"),
            declaration.child_by_field_name("value"),
        ) else {
            return;
        };
        let pattern = read_pattern(pattern, self.source);
        if pattern.kind == PatternKind::Ok {
            flow.in_err_arm(|| self.failure(alternative, &pattern, Some(value)));
        }
        flow.condition(rust_condition(value, Some(pattern), true, self.source));
    }

    /// The argument of `.ok_or(..)` / `.ok_or_else(..)` (the receiver is `None`) or
    /// `.map_err(..)` (the receiver is an `Err`, a failure handled).
    fn adapter_argument(&self, flow: &mut Flow, arguments: Node<'t>, child: Node<'t>) {
        let Some(callee) = self
            .parents
            .parent(arguments)
            .filter(|call| call.kind() == "call_expression")
            .and_then(|call| call.child_by_field_name("function"))
            .filter(|function| function.kind() == "field_expression")
        else {
            return;
        };
        let (Some(field), Some(receiver)) = (
            callee.child_by_field_name("field"),
            callee.child_by_field_name("value"),
        ) else {
            return;
        };
        let kind = match text(field, self.source) {
            "ok_or" | "ok_or_else" => PatternKind::None,
            "map_err" => PatternKind::Err,
            _ => return,
        };
        let pattern = Pattern::implied(kind);
        if kind == PatternKind::Err {
            flow.in_err_arm(|| self.failure(child, &pattern, Some(receiver)));
        }
        flow.condition(rust_condition(receiver, Some(pattern), false, self.source));
    }

    /// The failure handler `range` for the failure of `tried`, binding the error as the
    /// pattern says (`Err(e)` binds `e`).
    fn failure(&self, range: Node<'_>, pattern: &Pattern, tried: Option<Node<'_>>) -> Failure {
        Failure {
            range: range.byte_range(),
            binding: pattern.binding.clone(),
            pattern: (pattern.kind == PatternKind::Err).then(|| pattern.clone()),
            tried: tried.map(|node| node.byte_range()),
            tried_words: tried.map_or_else(Default::default, |node| read_words(node, self.source)),
        }
    }
}

/// The pattern and value of an `if let` condition; `None` for a plain condition.
fn let_condition(condition: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    if condition.kind() != "let_condition" {
        return None;
    }
    Some((
        condition.child_by_field_name("pattern")?,
        condition.child_by_field_name("value")?,
    ))
}

/// A block whose last statement returns (`{ return Err(..); }`), so the code after an `if`
/// with this block runs only when the test failed.
fn block_leaves(block: Node<'_>) -> bool {
    named_children(block)
        .into_iter()
        .rev()
        .find(|n| !matches!(n.kind(), "line_comment" | "block_comment"))
        .is_some_and(|last| {
            let last = if last.kind() == "expression_statement" {
                named_children(last).into_iter().next().unwrap_or(last)
            } else {
                last
            };
            last.kind() == "return_expression"
        })
}
