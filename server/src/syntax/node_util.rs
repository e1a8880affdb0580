//! Small helpers over tree-sitter nodes shared by the extractors.

use tree_sitter::Node;

/// The text of a node; empty when the range is not valid UTF-8 boundaries (never for a tree of
/// this text).
pub fn text<'a>(node: Node<'_>, source: &'a str) -> &'a str {
    source.get(node.byte_range()).unwrap_or("")
}

/// The named children of a node, collected (tree-sitter's iterator borrows a cursor).
pub fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|child| !child.is_extra())
        .collect()
}

/// The ancestors of a node, nearest first.
pub fn ancestors(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    std::iter::successors(node.parent(), |node| node.parent())
}

/// Unquotes a string literal's text (`'a'`, `"a"`, `` `a` ``); `None` when it is not one or when a
/// template has substitutions.
pub fn string_value(node: Node<'_>, source: &str) -> Option<String> {
    match node.kind() {
        "string" | "string_literal" | "raw_string_literal" => {
            let raw = text(node, source);
            let inner = raw
                .trim_start_matches('r')
                .trim_start_matches('#')
                .trim_end_matches('#');
            let inner = inner.get(1..inner.len().saturating_sub(1))?;
            Some(inner.to_string())
        }
        "template_string" => {
            if named_children(node)
                .iter()
                .any(|child| child.kind() == "template_substitution")
            {
                return None;
            }
            let raw = text(node, source);
            Some(raw.get(1..raw.len().saturating_sub(1))?.to_string())
        }
        _ => None,
    }
}

/// Parses an integer literal (`302`, `302u16`, `3_02`); `None` for anything else.
pub fn integer_value(node: Node<'_>, source: &str) -> Option<u32> {
    if !matches!(node.kind(), "number" | "integer_literal") {
        return None;
    }
    let raw = text(node, source);
    let end = raw
        .find(|ch: char| !(ch.is_ascii_digit() || ch == '_'))
        .unwrap_or(raw.len());
    let (number, rest) = raw.split_at(end);
    if rest.starts_with(['.', 'e', 'E', 'x', 'X', 'o', 'b', 'n']) {
        return None;
    }
    number.replace('_', "").parse().ok()
}
