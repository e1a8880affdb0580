//! Where a response sits in its handler's control flow: the conditions on the way to it (`if`,
//! `if let`, `let … else`, match arms, guards, early returns) and the failure handler around it.

use tree_sitter::Node;

use super::conditions::{pattern as read_pattern, rust_condition, words as read_words};
use crate::node_util::{Parents, named_children, text};
use hsl_facts::{ByteRange, Context, Pattern, PatternKind};

/// Where a response sits in its handler's control flow: the `if`s, `if let`s, `let … else`s,
/// match arms (with guards), early-return guards and `.ok_or(..)` / `.map_err(..)` receivers on
/// the way to it, and the innermost failure handler (`Err` arm) around it.
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
            "match_arm" => {
                let pattern_node = ancestor.child_by_field_name("pattern");
                let guard = pattern_node.and_then(|p| p.child_by_field_name("condition"));
                let pattern = pattern_node
                    .and_then(|p| named_children(p).into_iter().next())
                    .filter(|p| guard.is_none_or(|g| g.id() != p.id()))
                    .map_or_else(
                        || Pattern::implied(PatternKind::Other),
                        |p| read_pattern(p, source),
                    );
                if let Some(guard) = guard {
                    conditions.push(rust_condition(guard, None, false, source));
                }
                let scrutinee = parents
                    .parent(ancestor)
                    .and_then(|block| parents.parent(block))
                    .filter(|m| m.kind() == "match_expression")
                    .and_then(|m| m.child_by_field_name("value"));
                if let Some(scrutinee) = scrutinee {
                    conditions.push(rust_condition(
                        scrutinee,
                        Some(pattern.clone()),
                        false,
                        source,
                    ));
                }
                if pattern.kind == PatternKind::Err {
                    context.in_err_arm = true;
                    note_failure(&mut context, ancestor, &pattern, scrutinee, source);
                }
            }
            "if_expression" => {
                if let Some(condition) = ancestor.child_by_field_name("condition")
                    && condition.id() != child.id()
                {
                    let negated = ancestor
                        .child_by_field_name("alternative")
                        .is_some_and(|alternative| alternative.id() == child.id());
                    if condition.kind() == "let_condition"
                        && let (Some(pattern), Some(value)) = (
                            condition.child_by_field_name("pattern"),
                            condition.child_by_field_name("value"),
                        )
                    {
                        let pattern = read_pattern(pattern, source);
                        let fails = (!negated && pattern.kind == PatternKind::Err)
                            || (negated && pattern.kind == PatternKind::Ok);
                        if fails {
                            context.in_err_arm = true;
                            note_failure(&mut context, child, &pattern, Some(value), source);
                        }
                        conditions.push(rust_condition(value, Some(pattern), negated, source));
                    } else {
                        conditions.push(rust_condition(condition, None, negated, source));
                    }
                }
            }
            "let_declaration" => {
                if let Some(alternative) = ancestor.child_by_field_name("alternative")
                    && alternative.id() == child.id()
                    && let (Some(pattern), Some(value)) = (
                        ancestor.child_by_field_name("pattern"),
                        ancestor.child_by_field_name("value"),
                    )
                {
                    let pattern = read_pattern(pattern, source);
                    if pattern.kind == PatternKind::Ok {
                        context.in_err_arm = true;
                        note_failure(&mut context, alternative, &pattern, Some(value), source);
                    }
                    conditions.push(rust_condition(value, Some(pattern), true, source));
                }
            }
            "block" => {
                let before = named_children(ancestor)
                    .into_iter()
                    .take_while(|sibling| sibling.end_byte() <= child.start_byte());
                let mut guards: Vec<hsl_facts::Condition> = before
                    .filter_map(|sibling| {
                        let statement = if sibling.kind() == "expression_statement" {
                            named_children(sibling).into_iter().next()?
                        } else {
                            sibling
                        };
                        (statement.kind() == "if_expression"
                            && statement.child_by_field_name("alternative").is_none()
                            && statement
                                .child_by_field_name("consequence")
                                .is_some_and(rust_block_leaves))
                        .then_some(statement)
                    })
                    .filter_map(|guard| guard.child_by_field_name("condition"))
                    .map(|condition| {
                        if condition.kind() == "let_condition"
                            && let (Some(pattern), Some(value)) = (
                                condition.child_by_field_name("pattern"),
                                condition.child_by_field_name("value"),
                            )
                        {
                            let pattern = read_pattern(pattern, source);
                            rust_condition(value, Some(pattern), true, source)
                        } else {
                            rust_condition(condition, None, true, source)
                        }
                    })
                    .collect();
                guards.reverse();
                conditions.extend(guards);
            }
            "arguments" => {
                let callee = ancestor
                    .parent()
                    .filter(|call| call.kind() == "call_expression")
                    .and_then(|call| call.child_by_field_name("function"))
                    .filter(|function| function.kind() == "field_expression");
                if let Some(callee) = callee
                    && let (Some(field), Some(receiver)) = (
                        callee.child_by_field_name("field"),
                        callee.child_by_field_name("value"),
                    )
                {
                    let kind = match text(field, source) {
                        "ok_or" | "ok_or_else" => Some(PatternKind::None),
                        "map_err" => Some(PatternKind::Err),
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        let pattern = Pattern::implied(kind);
                        if kind == PatternKind::Err {
                            context.in_err_arm = true;
                            note_failure(&mut context, child, &pattern, Some(receiver), source);
                        }
                        conditions.push(rust_condition(receiver, Some(pattern), false, source));
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

/// Records the innermost failure handler: `range` handles the failure of `tried`, binding the
/// error as the pattern says (`Err(e)` binds `e`).
pub(super) fn note_failure(
    context: &mut Context,
    range: Node<'_>,
    pattern: &Pattern,
    tried: Option<Node<'_>>,
    source: &str,
) {
    if context.failure.is_some() {
        return;
    }
    context.failure = Some(hsl_facts::Failure {
        range: range.byte_range(),
        binding: pattern.binding.clone(),
        pattern: (pattern.kind == PatternKind::Err).then(|| pattern.clone()),
        tried: tried.map(|node| node.byte_range()),
        tried_words: tried.map_or_else(Default::default, |node| read_words(node, source)),
    });
}

/// A block whose last statement returns (`{ return Err(..); }`), so the code after an `if`
/// with this block runs only when the test failed.
pub(super) fn rust_block_leaves(block: Node<'_>) -> bool {
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
