//! Tested expressions (an `if` condition, a `match` scrutinee with an arm's pattern, a guard)
//! as [`hsl_facts::Condition`]s: the one place that decides how a Rust test is recorded —
//! `token.is_none()`, `!claims.is_admin`, `user.id != post.owner_id`,
//! `let Some(token) = … else`, `Err(e)` — and its words.

use hsl_facts::{
    Comparison, Condition, Literal, Operand, Path, Pattern, PatternKind, Step, Test, Words,
};
use tree_sitter::Node;

use crate::node_util::{named_children, text};
use crate::words::{WordKinds, summary_of, words_of};

/// Past this depth of nested tests or operands the rest is not modelled: deep input must not
/// drive the reader's recursion.
const MAX_DEPTH: usize = 64;

/// The node kinds the word walk reads in Rust.
pub(crate) const RUST_WORDS: WordKinds = WordKinds {
    names: &["identifier", "field_identifier", "type_identifier", "self"],
    strings: &["string_literal", "raw_string_literal"],
    string_parts: &["string_content", "escape_sequence"],
    calls: &["call_expression"],
    word_operators: &[],
    escapes: &["try_expression"],
};

/// A tested expression as a [`hsl_facts::Condition`].
pub(super) fn rust_condition(
    node: Node<'_>,
    pattern: Option<Pattern>,
    negated: bool,
    source: &str,
) -> Condition {
    condition(node, pattern, negated, source)
}

/// A tested expression as a condition. With a `pattern` (a `match` arm, `if let`, `let … else`,
/// `.ok_or(..)`), the test is "the value matches it".
pub(crate) fn condition(
    node: Node<'_>,
    pattern: Option<Pattern>,
    negated: bool,
    source: &str,
) -> Condition {
    let mut words = words_of(node, source, &RUST_WORDS);
    let test = match pattern {
        Some(pattern) => {
            words.names.extend(pattern.names.iter().cloned());
            Test::Matches {
                value: operand(node, source, 0),
                pattern,
            }
        }
        None => test(node, source, 0),
    };
    Condition {
        range: node.byte_range(),
        test,
        negated,
        words,
    }
}

/// The words of an expression (a body, a matched value).
pub(crate) fn words(node: Node<'_>, source: &str) -> Words {
    words_of(node, source, &RUST_WORDS)
}

/// The words of a handler's body (sorted, without repeats).
pub(crate) fn summary(node: Node<'_>, source: &str) -> Words {
    summary_of(node, source, &RUST_WORDS)
}

/// Where an answer may leave a function unspelled: its `?` operators.
pub(crate) fn escapes(node: Node<'_>) -> Vec<hsl_facts::ByteRange> {
    crate::words::escapes_of(node, &RUST_WORDS)
}

/// What a pattern accepts: `Some(t)`, `None`, `Ok(_)`, `Err(e)`, `Err(Error::NotFound)`.
pub(crate) fn pattern(node: Node<'_>, source: &str) -> Pattern {
    let words = words_of(node, source, &RUST_WORDS);
    let (kind, takes_all, binding) = match node.kind() {
        "tuple_struct_pattern" => {
            let kind = node
                .child_by_field_name("type")
                .map_or(PatternKind::Other, |ty| kind_of(last_name(ty, source)));
            let inner: Vec<Node<'_>> = named_children(node)
                .into_iter()
                .filter(|child| {
                    Some(child.id()) != node.child_by_field_name("type").map(|t| t.id())
                })
                .collect();
            match inner.as_slice() {
                [only] => {
                    let binding = binding_of(*only, source);
                    let wildcard = matches!(only.kind(), "_" | "remaining_field_pattern")
                        || text(*only, source) == "_"
                        || text(*only, source) == "..";
                    (kind, wildcard || binding.is_some(), binding)
                }
                [] => (kind, true, None),
                _ => (kind, false, None),
            }
        }
        "identifier" | "scoped_identifier" => {
            let kind = kind_of(last_name(node, source));
            (kind, kind == PatternKind::None, None)
        }
        _ if text(node, source) == "_" => (PatternKind::Other, true, None),
        _ => (PatternKind::Other, false, None),
    };
    Pattern {
        kind,
        takes_all,
        names: words.names,
        binding,
    }
}

fn kind_of(name: &str) -> PatternKind {
    match name {
        "Some" => PatternKind::Some,
        "None" => PatternKind::None,
        "Ok" => PatternKind::Ok,
        "Err" => PatternKind::Err,
        _ => PatternKind::Other,
    }
}

/// The last name of a path: `NotFound` of `Error::NotFound`.
fn last_name<'a>(node: Node<'_>, source: &'a str) -> &'a str {
    match node.kind() {
        "scoped_identifier" | "scoped_type_identifier" => node
            .child_by_field_name("name")
            .map_or("", |name| text(name, source)),
        _ => text(node, source),
    }
}

/// The variable a pattern binds everything to: `e` in `Err(e)`, `ref e`, `mut e`.
fn binding_of(node: Node<'_>, source: &str) -> Option<String> {
    let node = match node.kind() {
        "ref_pattern" | "mut_pattern" => named_children(node).into_iter().last()?,
        _ => node,
    };
    let name = text(node, source);
    (node.kind() == "identifier" && name != "_" && name.starts_with(|c: char| c.is_lowercase()))
        .then(|| name.to_string())
}

fn test(node: Node<'_>, source: &str, depth: usize) -> Test {
    if depth > MAX_DEPTH {
        return Test::Opaque;
    }
    match node.kind() {
        "parenthesized_expression" => node
            .named_child(0)
            .map_or(Test::Opaque, |inner| test(inner, source, depth + 1)),
        "unary_expression" if text(node, source).starts_with('!') => {
            node.named_child(0).map_or(Test::Opaque, |inner| {
                Test::Not(Box::new(test(inner, source, depth + 1)))
            })
        }
        "binary_expression" => binary(node, source, depth),
        "let_condition" => {
            let (Some(pattern_node), Some(value)) = (
                node.child_by_field_name("pattern"),
                node.child_by_field_name("value"),
            ) else {
                return Test::Opaque;
            };
            Test::Matches {
                value: operand(value, source, depth + 1),
                pattern: pattern(pattern_node, source),
            }
        }
        "let_chain" => Test::All(
            named_children(node)
                .into_iter()
                .map(|part| test(part, source, depth + 1))
                .collect(),
        ),
        "call_expression" => option_check(node, source, depth)
            .unwrap_or_else(|| present(operand(node, source, depth + 1))),
        _ => present(operand(node, source, depth + 1)),
    }
}

fn present(value: Operand) -> Test {
    match value {
        Operand::Other => Test::Opaque,
        value => Test::Present(value),
    }
}

/// `x.is_some()`, `x.is_ok()` (present) and `x.is_none()`, `x.is_err()`, `x.is_empty()` (not).
fn option_check(call: Node<'_>, source: &str, depth: usize) -> Option<Test> {
    let function = call.child_by_field_name("function")?;
    let arguments = call.child_by_field_name("arguments")?;
    if function.kind() != "field_expression" || !named_children(arguments).is_empty() {
        return None;
    }
    let method = text(function.child_by_field_name("field")?, source);
    let receiver = operand(function.child_by_field_name("value")?, source, depth + 1);
    let is_present = match method {
        "is_some" | "is_ok" => true,
        "is_none" | "is_err" | "is_empty" => false,
        _ => return None,
    };
    let test = present(receiver);
    Some(if is_present {
        test
    } else {
        Test::Not(Box::new(test))
    })
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
            let all = operator.kind() == "&&";
            let mut parts = Vec::new();
            for part in [
                test(left, source, depth + 1),
                test(right, source, depth + 1),
            ] {
                match (all, part) {
                    (true, Test::All(inner)) | (false, Test::Any(inner)) => parts.extend(inner),
                    (_, other) => parts.push(other),
                }
            }
            return if all {
                Test::All(parts)
            } else {
                Test::Any(parts)
            };
        }
        "==" => Comparison::Equal,
        "!=" => Comparison::NotEqual,
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

/// A value in a test.
fn operand(node: Node<'_>, source: &str, depth: usize) -> Operand {
    if depth > MAX_DEPTH {
        return Operand::Other;
    }
    match node.kind() {
        "identifier" if text(node, source) == "None" => Operand::Literal(Literal::Null),
        "boolean_literal" => Operand::Literal(Literal::Bool(text(node, source) == "true")),
        "integer_literal" | "float_literal" => {
            Operand::Literal(Literal::Number(text(node, source).to_string()))
        }
        "string_literal" | "raw_string_literal" => Operand::Literal(Literal::String(
            named_children(node)
                .into_iter()
                .filter(|part| RUST_WORDS.string_parts.contains(&part.kind()))
                .map(|part| text(part, source))
                .collect(),
        )),
        "parenthesized_expression"
        | "reference_expression"
        | "try_expression"
        | "await_expression" => node
            .named_children(&mut node.walk())
            .last()
            .map_or(Operand::Other, |inner| operand(inner, source, depth + 1)),
        _ => path(node, source, depth).map_or(Operand::Other, Operand::Path),
    }
}

/// A path read from its root outwards: `headers.get(AUTHORIZATION).and_then(..)`,
/// `http::header::AUTHORIZATION`.
fn path(node: Node<'_>, source: &str, depth: usize) -> Option<Path> {
    let mut chain = vec![node];
    let mut current = node;
    loop {
        let inner = match current.kind() {
            "field_expression" => current.child_by_field_name("value"),
            "call_expression" => current.child_by_field_name("function"),
            "index_expression" => current.named_child(0),
            "generic_function" => current.child_by_field_name("function"),
            "scoped_identifier" => current.child_by_field_name("path"),
            "try_expression" | "await_expression" | "reference_expression" => {
                current.named_children(&mut current.walk()).last()
            }
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
            "identifier" | "self" | "crate" | "super" | "field_identifier" => {
                steps.push(Step::Name(text(link, source).to_string()));
            }
            "field_expression" => {
                let field = link.child_by_field_name("field")?;
                steps.push(Step::Name(text(field, source).to_string()));
            }
            "scoped_identifier" => {
                let name = link.child_by_field_name("name")?;
                steps.push(Step::Name(text(name, source).to_string()));
            }
            "call_expression" => {
                let args = link
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|argument| operand(argument, source, depth + 1))
                    .collect();
                steps.push(Step::Call(args));
            }
            "index_expression" => {
                let index = link.named_child(1)?;
                steps.push(Step::Index(Box::new(operand(index, source, depth + 1))));
            }
            "generic_function" | "try_expression" | "await_expression" | "reference_expression" => {
            }
            _ => return None,
        }
    }
    (!steps.is_empty()).then_some(Path { steps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_facts::Language;

    fn condition_of(expression: &str) -> Condition {
        let source = format!("fn f() {{ if {expression} {{}} }}");
        let tree = crate::parse(Language::Rust, &source).expect("tree");
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "if_expression" {
                let test = node.child_by_field_name("condition").expect("condition");
                return condition(test, None, false, &source);
            }
            stack.extend(named_children(node));
        }
        panic!("no if in {source}");
    }

    #[test]
    fn option_checks_are_presence_tests() {
        assert!(matches!(condition_of("auth.is_none()").test, Test::Not(_)));
        assert!(matches!(
            condition_of("auth.is_some()").test,
            Test::Present(_)
        ));
        assert!(matches!(
            condition_of("!claims.is_admin").test,
            Test::Not(_)
        ));
    }

    #[test]
    fn comparisons_and_paths() {
        let Test::Compare { left, op, right } = condition_of("user.id != post.owner_id").test
        else {
            panic!("a comparison");
        };
        assert_eq!(op, Comparison::NotEqual);
        assert_eq!(
            left.path().map(|p| p.names().collect::<Vec<_>>()),
            Some(vec!["user", "id"])
        );
        assert_eq!(
            right.path().map(|p| p.names().collect::<Vec<_>>()),
            Some(vec!["post", "owner_id"])
        );
        let Test::Present(Operand::Path(path)) =
            condition_of("headers.get(header::AUTHORIZATION)").test
        else {
            panic!("a path");
        };
        assert_eq!(path.names().collect::<Vec<_>>(), ["headers", "get"]);
    }

    #[test]
    fn patterns_say_their_kind_and_binding() {
        let source =
            "fn f() { match x { Err(e) => 1, Err(Error::NotFound) => 2, None => 3, _ => 4 } }";
        let tree = crate::parse(Language::Rust, source).expect("tree");
        let mut patterns = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "match_pattern"
                && let Some(inner) = node.child(0)
            {
                patterns.push(pattern(inner, source));
            }
            stack.extend(named_children(node).into_iter().rev());
        }
        assert_eq!(patterns.len(), 4);
        assert_eq!(patterns[0].kind, PatternKind::Err);
        assert_eq!(patterns[0].binding.as_deref(), Some("e"));
        assert!(patterns[0].takes_all);
        assert_eq!(patterns[1].kind, PatternKind::Err);
        assert!(!patterns[1].takes_all);
        assert_eq!(patterns[2].kind, PatternKind::None);
        assert!(patterns[3].takes_all);
    }
}
