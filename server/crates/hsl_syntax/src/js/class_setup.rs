//! What a class method works under without writing it: the options its class's constructor
//! hands the base class (`super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() })`).
//! A Passport strategy says there where its credential comes from, and its `validate` method,
//! which answers the request, never names it again. A class whose base is an authentication
//! library's strategy (`extends PassportStrategy(Strategy, "jwt")`) checks a credential and
//! nothing else, which every function written in it inherits.

use tree_sitter::Node;

use crate::node_util::{Parents, named_children, text};
use hsl_facts::Words;
use hsl_tables::Conditions;

/// How deep the search for the base's call goes under `extends`: `PassportStrategy(..)` is the
/// heritage's expression or one wrapper below it (`extends_clause` in TypeScript).
const HERITAGE_DEPTH: usize = 3;

/// Whether `function` is written in a class (a method, or a function inside one, such as the
/// token extractor its constructor hands `super(..)`) that extends an authentication library's
/// strategy base (`PassportStrategy(..)`, `conditions.toml` `identity.authentication_bases`).
pub(super) fn in_strategy_class<'t>(
    parents: &Parents<'t>,
    function: Node<'t>,
    source: &str,
) -> bool {
    let Some(class) = parents
        .nearest("class body", function, |node| node.kind() == "class_body")
        .and_then(|body| parents.parent(body))
    else {
        return false;
    };
    named_children(class)
        .into_iter()
        .find(|child| child.kind() == "class_heritage")
        .and_then(|heritage| base_call_name(heritage, source))
        .is_some_and(|base| {
            Conditions::get()
                .identity
                .authentication_bases
                .iter()
                .any(|known| known == base)
        })
}

/// The name of the function the class's heritage calls for its base: `PassportStrategy` in
/// `extends PassportStrategy(Strategy, "jwt")`.
fn base_call_name<'s>(heritage: Node<'_>, source: &'s str) -> Option<&'s str> {
    let mut node = heritage;
    for _ in 0..HERITAGE_DEPTH {
        node = node.named_child(0)?;
        if node.kind() == "call_expression" {
            let function = node.child_by_field_name("function")?;
            return (function.kind() == "identifier").then(|| text(function, source));
        }
    }
    None
}

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
