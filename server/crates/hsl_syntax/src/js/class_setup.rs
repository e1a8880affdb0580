//! What a class method works under without writing it: the options its class's constructor
//! hands the base class (`super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() })`).
//! A Passport strategy says there where its credential comes from, and its `validate` method,
//! which answers the request, never names it again.

use tree_sitter::Node;

use crate::node_util::{named_children, text};
use hsl_facts::Words;

/// The words of the arguments the constructor of `method`'s class passes to `super(..)`;
/// `None` when `method` is no class method or its class calls no `super(..)` with arguments.
pub(super) fn base_options_words(method: Node<'_>, source: &str) -> Option<Words> {
    if method.kind() != "method_definition" || is_constructor(method, source) {
        return None;
    }
    let class_body = method
        .parent()
        .filter(|parent| parent.kind() == "class_body")?;
    let constructor = named_children(class_body)
        .into_iter()
        .find(|member| member.kind() == "method_definition" && is_constructor(*member, source))?;
    let body = constructor.child_by_field_name("body")?;
    let arguments = named_children(body)
        .into_iter()
        .filter(|statement| statement.kind() == "expression_statement")
        .filter_map(|statement| statement.named_child(0))
        .find(|expression| {
            expression.kind() == "call_expression"
                && expression
                    .child_by_field_name("function")
                    .is_some_and(|function| function.kind() == "super")
        })?
        .child_by_field_name("arguments")?;
    (arguments.named_child_count() > 0).then(|| super::conditions::summary(arguments, source))
}

fn is_constructor(method: Node<'_>, source: &str) -> bool {
    method
        .child_by_field_name("name")
        .is_some_and(|name| text(name, source) == "constructor")
}

/// `words` with `more` added, each list kept sorted and without repeats.
pub(super) fn merge_words(words: &mut Words, more: Words) {
    for (list, extra) in [
        (&mut words.names, more.names),
        (&mut words.strings, more.strings),
        (&mut words.calls, more.calls),
    ] {
        list.extend(extra);
        list.sort();
        list.dedup();
    }
}
