//! The calls a handler's body makes, each with the collection it runs once per entry of
//! (`for (var tag in tags) yield addTag(tag)`), so that a rule can tell a handler that writes
//! one thing from one that writes an entry per item of the request.

use tree_sitter::Node;

use super::FUNCTION_KINDS;
use super::conditions;
use crate::node_util::{named_children, text};
use hsl_facts::BodyCall;
use hsl_tables::Conditions;

/// A node still to read, with the collection whose entries it runs for, if any.
struct Pending<'t> {
    node: Node<'t>,
    per_entry_of: Option<Node<'t>>,
}

/// Every call of `function`'s body, in no promised order, with the collection a `for … in` /
/// `for … of` loop or a per-entry callback around it walks. The bodies of other nested
/// functions are their own.
pub(super) fn body_calls(function: Node<'_>, source: &str) -> Vec<BodyCall> {
    let Some(body) = function.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut stack = vec![Pending {
        node: body,
        per_entry_of: None,
    }];
    while let Some(Pending { node, per_entry_of }) = stack.pop() {
        if FUNCTION_KINDS.contains(&node.kind()) {
            continue;
        }
        if node.kind() == "call_expression" {
            if let Some(name) = callee_name(node, source) {
                found.push(BodyCall {
                    name,
                    per_entry_of: per_entry_of
                        .map(|collection| conditions::words(collection, source)),
                });
            }
            stack.extend(per_entry_callbacks(node, source));
        }
        let loop_over = walked_collection(node);
        for child in named_children(node) {
            let per_entry_of = match loop_over {
                Some((collection, runs)) if runs.id() == child.id() => Some(collection),
                _ => per_entry_of,
            };
            stack.push(Pending {
                node: child,
                per_entry_of,
            });
        }
    }
    found
}

/// For a `for … in` / `for … of` loop, the collection it walks and the body that runs per
/// entry.
fn walked_collection(node: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    if node.kind() != "for_in_statement" {
        return None;
    }
    Some((
        node.child_by_field_name("right")?,
        node.child_by_field_name("body")?,
    ))
}

/// The bodies of the callbacks a call to a per-entry array method takes
/// (`items.forEach(item => ..)`), each to be read as running per entry of the array.
fn per_entry_callbacks<'t>(call: Node<'t>, source: &str) -> Vec<Pending<'t>> {
    let Some(callee) = call
        .child_by_field_name("function")
        .filter(|callee| callee.kind() == "member_expression")
    else {
        return Vec::new();
    };
    let per_entry = callee
        .child_by_field_name("property")
        .is_some_and(|method| {
            let name = text(method, source);
            Conditions::get()
                .creation
                .per_entry_methods
                .iter()
                .any(|wanted| wanted == name)
        });
    let (true, Some(array), Some(arguments)) = (
        per_entry,
        callee.child_by_field_name("object"),
        call.child_by_field_name("arguments"),
    ) else {
        return Vec::new();
    };
    named_children(arguments)
        .into_iter()
        .filter(|argument| FUNCTION_KINDS.contains(&argument.kind()))
        .filter_map(|callback| callback.child_by_field_name("body"))
        .map(|body| Pending {
            node: body,
            per_entry_of: Some(array),
        })
        .collect()
}

/// The last name of what a call calls: `addModuleTag` for `packageService.addModuleTag(..)`,
/// `insert` for `insert(..)`.
fn callee_name(call: Node<'_>, source: &str) -> Option<String> {
    let callee = call.child_by_field_name("function")?;
    let name = match callee.kind() {
        "identifier" => callee,
        "member_expression" => callee.child_by_field_name("property")?,
        _ => return None,
    };
    Some(text(name, source).to_string())
}
