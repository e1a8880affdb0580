//! The names a handler binds to computed values (`const parsed = schema.safeParse(row)`), so
//! that a rule can follow a validated value back to where it came from.

use tree_sitter::Node;

use super::FUNCTION_KINDS;
use super::conditions;
use crate::node_util::{named_children, text};
use hsl_facts::Binding;

/// Every `const`/`let`/`var` declarator of `function`'s body that binds a plain name to a
/// value, in source order; the bodies of nested functions are their own.
pub(super) fn bindings(function: Node<'_>, source: &str) -> Vec<Binding> {
    let Some(body) = function.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if FUNCTION_KINDS.contains(&node.kind()) {
            continue;
        }
        if node.kind() == "variable_declarator"
            && let Some(binding) = binding(node, source)
        {
            found.push(binding);
        }
        let mut children = named_children(node);
        children.reverse();
        stack.extend(children);
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, binding)| binding).collect()
}

/// The binding a declarator makes, with where it starts, when it binds a name to a value.
fn binding(declarator: Node<'_>, source: &str) -> Option<(usize, Binding)> {
    let name = declarator
        .child_by_field_name("name")
        .filter(|name| name.kind() == "identifier")?;
    let value = declarator.child_by_field_name("value")?;
    Some((
        declarator.start_byte(),
        Binding {
            name: text(name, source).to_string(),
            value: conditions::words(value, source),
            arguments: call_arguments(value, source),
        },
    ))
}

/// The plain names passed to the outermost call of `value`, looking through `await` and
/// parentheses.
fn call_arguments(value: Node<'_>, source: &str) -> Vec<String> {
    let mut node = value;
    while matches!(node.kind(), "await_expression" | "parenthesized_expression") {
        let Some(inner) = node.named_child(0) else {
            return Vec::new();
        };
        node = inner;
    }
    if node.kind() != "call_expression" {
        return Vec::new();
    }
    node.child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
        .into_iter()
        .filter(|argument| argument.kind() == "identifier")
        .map(|argument| text(argument, source).to_string())
        .collect()
}
