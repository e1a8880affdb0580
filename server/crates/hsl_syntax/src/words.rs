//! The words of an expression (`hsl_facts::Words`): its names, string contents and called
//! functions, gathered by one iterative walk over a small per-language table of node kinds, so
//! that deep input cannot drive a recursion and every language shares the walk.

use tree_sitter::Node;

use crate::node_util::text;
use hsl_facts::Words;

/// At most this many names and strings are kept per expression: a `try` block of a thousand
/// lines says what it calls, not every name in it.
const MAX_WORDS: usize = 256;

/// The node kinds of one language that the walk reads.
pub(crate) struct WordKinds {
    /// Kinds whose text is a name (identifiers, property and field names, type names).
    pub names: &'static [&'static str],
    /// Kinds of string literals.
    pub strings: &'static [&'static str],
    /// Kinds inside a string literal that hold its literal text.
    pub string_parts: &'static [&'static str],
    /// Kinds of calls, whose `function` field names the callee.
    pub calls: &'static [&'static str],
    /// Operators that read like words (`instanceof`, `typeof`), kept as names.
    pub word_operators: &'static [&'static str],
    /// Kinds by which an answer may leave a function unspelled (`throw_statement`,
    /// `try_expression`): [`escapes_of`] collects them.
    pub escapes: &'static [&'static str],
}

/// At most this many escapes are kept per function: one unaccounted is as good as many.
const MAX_ESCAPES: usize = 256;

/// The ranges under `node` by which an answer may leave it unspelled (see
/// [`WordKinds::escapes`]), in source order; functions nested in it count too, as a callback
/// may raise for it.
pub(crate) fn escapes_of(node: Node<'_>, kinds: &WordKinds) -> Vec<hsl_facts::ByteRange> {
    let mut escapes = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if kinds.escapes.contains(&node.kind()) {
            if escapes.len() >= MAX_ESCAPES {
                break;
            }
            escapes.push(node.byte_range());
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    escapes
}

/// The words of `node`.
pub(crate) fn words_of(node: Node<'_>, source: &str, kinds: &WordKinds) -> Words {
    words_outside(node, None, source, kinds)
}

/// The words of `node` without those of its descendant `left_out` (when given): the words of
/// `jwt.verify(token, key, callback)` that are the call's, not the callback's.
pub(crate) fn words_outside(
    node: Node<'_>,
    left_out: Option<Node<'_>>,
    source: &str,
    kinds: &WordKinds,
) -> Words {
    let mut words = Words::default();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if left_out.is_some_and(|left_out| left_out.id() == node.id()) {
            continue;
        }
        let kind = node.kind();
        if kinds.strings.contains(&kind) {
            if words.strings.len() < MAX_WORDS {
                words.strings.push(string_contents(node, source, kinds));
            }
            continue;
        }
        if kinds.names.contains(&kind) {
            if words.names.len() < MAX_WORDS {
                words.names.push(text(node, source).to_string());
            }
            continue;
        }
        if !node.is_named() && kinds.word_operators.contains(&kind) && words.names.len() < MAX_WORDS
        {
            words.names.push(kind.to_string());
        }
        if kinds.calls.contains(&kind)
            && let Some(callee) = node
                .child_by_field_name("function")
                .and_then(callee_name_node)
        {
            let name = text(callee, source);
            if !words.calls.iter().any(|known| known == name) {
                words.calls.push(name.to_string());
            }
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    words
}

/// At most this many distinct names or strings are kept for a whole function body.
const MAX_SUMMARY_WORDS: usize = 4096;

/// Strings longer than this are cut (on a character boundary): rules look for phrases.
const MAX_STRING_CHARS: usize = 200;

/// The words of a whole function body, each list sorted and without repeats.
pub(crate) fn summary_of(node: Node<'_>, source: &str, kinds: &WordKinds) -> Words {
    let mut names = std::collections::BTreeSet::new();
    let mut strings = std::collections::BTreeSet::new();
    let mut calls = std::collections::BTreeSet::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        let kind = node.kind();
        if kinds.strings.contains(&kind) {
            if strings.len() < MAX_SUMMARY_WORDS {
                let contents = string_contents(node, source, kinds);
                strings.insert(contents.chars().take(MAX_STRING_CHARS).collect::<String>());
            }
            continue;
        }
        if kinds.names.contains(&kind) {
            if names.len() < MAX_SUMMARY_WORDS {
                names.insert(text(node, source).to_string());
            }
            continue;
        }
        if kinds.calls.contains(&kind)
            && let Some(callee) = node
                .child_by_field_name("function")
                .and_then(callee_name_node)
        {
            calls.insert(text(callee, source).to_string());
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    Words {
        names: names.into_iter().collect(),
        strings: strings.into_iter().collect(),
        calls: calls.into_iter().collect(),
    }
}

/// The node naming a callee: the last name of `a.b.c`, `a::b::c`, `f::<T>`.
fn callee_name_node(function: Node<'_>) -> Option<Node<'_>> {
    let mut node = function;
    loop {
        let next = match node.kind() {
            "member_expression" => node.child_by_field_name("property"),
            "field_expression" => node.child_by_field_name("field"),
            "scoped_identifier" => node.child_by_field_name("name"),
            "generic_function" => node.child_by_field_name("function"),
            "parenthesized_expression" | "non_null_expression" => node.named_child(0),
            _ => return (node.named_child_count() == 0).then_some(node),
        };
        node = next?;
    }
}

/// A string literal's contents, escapes kept as written.
fn string_contents(node: Node<'_>, source: &str, kinds: &WordKinds) -> String {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|part| kinds.string_parts.contains(&part.kind()))
        .map(|part| text(part, source))
        .collect()
}
