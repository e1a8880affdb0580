//! Tested expressions (an `if` or ternary condition, an early-return guard) as
//! [`hsl_facts::Condition`]s: the one place that decides how a JavaScript test is recorded —
//! what it tests (`!token`, `a && b`, `user.id !== post.authorId`, `req.get("Authorization")`)
//! and its words.

use hsl_facts::{Comparison, Condition, Literal, Operand, Path, Step, Test, Words};
use tree_sitter::Node;

use super::nodes::strip_parens;
use crate::node_util::{named_children, text};
use crate::words::{WordKinds, summary_of, words_of, words_outside};

/// Past this depth of nested tests or operands the rest is not modelled: deep input must not
/// drive the reader's recursion.
const MAX_DEPTH: usize = 64;

/// The node kinds the word walk reads in JavaScript and TypeScript.
pub(crate) const JS_WORDS: WordKinds = WordKinds {
    names: &[
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "private_property_identifier",
        "type_identifier",
        "this",
    ],
    strings: &["string", "template_string"],
    string_parts: &["string_fragment", "escape_sequence"],
    calls: &["call_expression"],
    word_operators: &["instanceof", "typeof"],
    escapes: &["throw_statement"],
};

/// A tested expression as a [`hsl_facts::Condition`], without its parentheses.
pub(super) fn js_condition(condition: Node<'_>, negated: bool, source: &str) -> Condition {
    self::condition(strip_parens(condition), negated, source)
}

/// A tested expression as a condition: what it tests and its words.
pub(crate) fn condition(node: Node<'_>, negated: bool, source: &str) -> Condition {
    Condition {
        range: node.byte_range(),
        test: test(node, source, 0),
        negated,
        words: words_of(node, source, &JS_WORDS),
    }
}

/// The words of an expression (a body, a `try` block).
pub(crate) fn words(node: Node<'_>, source: &str) -> Words {
    words_of(node, source, &JS_WORDS)
}

/// The words of the call `call` without those of its argument `left_out` (a Node-style
/// callback, whose own body is not what the call tried).
pub(crate) fn words_of_call(call: Node<'_>, left_out: Node<'_>, source: &str) -> Words {
    words_outside(call, Some(left_out), source, &JS_WORDS)
}

/// The words of a handler's body (sorted, without repeats).
pub(crate) fn summary(node: Node<'_>, source: &str) -> Words {
    summary_of(node, source, &JS_WORDS)
}

/// Where an answer may leave a function unspelled: its `throw` statements.
pub(crate) fn escapes(node: Node<'_>) -> Vec<hsl_facts::ByteRange> {
    crate::words::escapes_of(node, &JS_WORDS)
}

fn test(node: Node<'_>, source: &str, depth: usize) -> Test {
    if depth > MAX_DEPTH {
        return Test::Opaque;
    }
    match node.kind() {
        "parenthesized_expression" => node
            .named_child(0)
            .map_or(Test::Opaque, |inner| test(inner, source, depth + 1)),
        "unary_expression" => {
            let operator = node.child_by_field_name("operator").map(|op| op.kind());
            match (operator, node.child_by_field_name("argument")) {
                (Some("!"), Some(argument)) => {
                    Test::Not(Box::new(test(argument, source, depth + 1)))
                }
                _ => Test::Opaque,
            }
        }
        "binary_expression" => binary(node, source, depth),
        _ => match operand(node, source, depth + 1) {
            Operand::Other => Test::Opaque,
            value => Test::Present(value),
        },
    }
}

fn binary(node: Node<'_>, source: &str, depth: usize) -> Test {
    let (Some(left), Some(operator), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("operator"),
        node.child_by_field_name("right"),
    ) else {
        return Test::Opaque;
    };
    let op = match operator.kind() {
        "&&" | "||" => {
            let parts = vec![
                test(left, source, depth + 1),
                test(right, source, depth + 1),
            ];
            return join(operator.kind() == "&&", parts);
        }
        "===" | "==" => Comparison::Equal,
        "!==" | "!=" => Comparison::NotEqual,
        "<" => Comparison::Less,
        "<=" => Comparison::LessOrEqual,
        ">" => Comparison::Greater,
        ">=" => Comparison::GreaterOrEqual,
        _ => return Test::Opaque,
    };
    Test::Compare {
        left: operand(left, source, depth + 1),
        op,
        right: operand(right, source, depth + 1),
    }
}

/// `a && (b && c)` as one `All` of three parts, `||` as one `Any`.
fn join(all: bool, parts: Vec<Test>) -> Test {
    let mut flat = Vec::new();
    for part in parts {
        match (all, part) {
            (true, Test::All(inner)) | (false, Test::Any(inner)) => flat.extend(inner),
            (_, other) => flat.push(other),
        }
    }
    if all {
        Test::All(flat)
    } else {
        Test::Any(flat)
    }
}

/// A value in a test.
fn operand(node: Node<'_>, source: &str, depth: usize) -> Operand {
    if depth > MAX_DEPTH {
        return Operand::Other;
    }
    match node.kind() {
        "null" | "undefined" => Operand::Literal(Literal::Null),
        "identifier" if text(node, source) == "undefined" => Operand::Literal(Literal::Null),
        "true" => Operand::Literal(Literal::Bool(true)),
        "false" => Operand::Literal(Literal::Bool(false)),
        "number" => Operand::Literal(Literal::Number(text(node, source).to_string())),
        "string" => Operand::Literal(Literal::String(string(node, source))),
        "template_string" if !has_substitution(node) => {
            Operand::Literal(Literal::String(string(node, source)))
        }
        "parenthesized_expression"
        | "await_expression"
        | "non_null_expression"
        | "as_expression"
        | "satisfies_expression" => node
            .named_child(0)
            .map_or(Operand::Other, |inner| operand(inner, source, depth + 1)),
        _ => path(node, source, depth).map_or(Operand::Other, Operand::Path),
    }
}

/// A member chain read from its root outwards: `req.headers["x"].trim()`.
fn path(node: Node<'_>, source: &str, depth: usize) -> Option<Path> {
    // Walk to the root first (iteratively: chains can be long), then read back outwards.
    let mut chain = vec![node];
    let mut current = node;
    loop {
        let inner = match current.kind() {
            "member_expression" | "subscript_expression" => current.child_by_field_name("object"),
            "call_expression" => current.child_by_field_name("function"),
            "non_null_expression" | "parenthesized_expression" => current.named_child(0),
            _ => None,
        };
        let Some(inner) = inner else {
            break;
        };
        chain.push(inner);
        current = inner;
    }
    let mut steps = Vec::new();
    for link in chain.into_iter().rev() {
        match link.kind() {
            "identifier" | "this" | "super" => {
                steps.push(Step::Name(text(link, source).to_string()))
            }
            "member_expression" => {
                let property = link.child_by_field_name("property")?;
                steps.push(Step::Name(text(property, source).to_string()));
            }
            "subscript_expression" => {
                let index = link.child_by_field_name("index")?;
                steps.push(Step::Index(Box::new(operand(index, source, depth + 1))));
            }
            "call_expression" => {
                let arguments = link.child_by_field_name("arguments");
                let args = arguments
                    .map(named_children)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|argument| operand(argument, source, depth + 1))
                    .collect();
                steps.push(Step::Call(args));
            }
            "non_null_expression" | "parenthesized_expression" => {}
            _ => return None,
        }
    }
    (!steps.is_empty()).then_some(Path { steps })
}

fn has_substitution(template: Node<'_>) -> bool {
    named_children(template)
        .iter()
        .any(|part| part.kind() == "template_substitution")
}

fn string(node: Node<'_>, source: &str) -> String {
    named_children(node)
        .into_iter()
        .filter(|part| JS_WORDS.string_parts.contains(&part.kind()))
        .map(|part| text(part, source))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_facts::Language;

    fn test_of(expression: &str) -> Test {
        let source = format!("if ({expression}) {{}}");
        let tree = crate::parse(Language::TypeScript, &source).expect("tree");
        let statement = tree.root_node().named_child(0).expect("if");
        let condition = statement
            .child_by_field_name("condition")
            .expect("condition");
        condition_test(condition, &source)
    }

    fn condition_test(node: Node<'_>, source: &str) -> Test {
        condition(node, false, source).test
    }

    #[test]
    fn negation_and_conjunction() {
        let Test::Any(parts) = test_of("!a || !b.startsWith(\"Bearer \") || c") else {
            panic!("an Any");
        };
        assert_eq!(parts.len(), 3);
        assert!(matches!(parts[0], Test::Not(_)));
        assert!(matches!(test_of("a && b && c"), Test::All(parts) if parts.len() == 3));
    }

    #[test]
    fn comparisons_with_nothing() {
        let Test::Compare { left, op, right } = test_of("req.user === undefined") else {
            panic!("a comparison");
        };
        assert_eq!(op, Comparison::Equal);
        assert_eq!(
            left.path().map(|p| p.names().collect::<Vec<_>>()),
            Some(vec!["req", "user"])
        );
        assert!(right.is_null());
    }

    #[test]
    fn getter_calls_keep_their_arguments() {
        let Test::Present(Operand::Path(path)) = test_of("c.req.header('Authorization')") else {
            panic!("a path");
        };
        assert_eq!(path.names().collect::<Vec<_>>(), ["c", "req", "header"]);
        assert!(matches!(
            path.steps.last(),
            Some(Step::Call(args)) if args == &[Operand::Literal(Literal::String("Authorization".into()))]
        ));
    }

    #[test]
    fn deep_nesting_is_cut_off_not_recursed() {
        let deep = format!("{}x{}", "(".repeat(5_000), ")".repeat(5_000));
        assert!(matches!(test_of(&deep), Test::Opaque));
        let calls = format!("{}x{}", "f(".repeat(5_000), ")".repeat(5_000));
        assert!(matches!(test_of(&calls), Test::Present(_)));
    }
}
