//! What a response's body shows: a literal (`json!({ .. })` with its entries), an empty body, a
//! body wrapper, or nothing the syntax can prove.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{in_table, last_two, path_segments_of, rust_tables};
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{Body, LiteralValue, ObjectLiteral, Replacement};

/// The object of `json!({ "key": value, .. })`, when every entry is `key: value` with a
/// literal or identifier key; values other than one literal token are [`LiteralValue::Other`].
pub(super) fn json_object(macro_node: Node<'_>, source: &str) -> Option<ObjectLiteral> {
    let outer = named_children(macro_node)
        .into_iter()
        .find(|child| child.kind() == "token_tree")?;
    let object = match tokens(outer).as_slice() {
        [open, inner, close]
            if text(*open, source) == "("
                && text(*close, source) == ")"
                && inner.kind() == "token_tree"
                && text(*inner, source).starts_with('{') =>
        {
            *inner
        }
        _ => return None,
    };
    let inner = tokens(object);
    let inner = inner.get(1..inner.len().checked_sub(1)?)?;
    let mut entries = Vec::new();
    for entry in inner.split(|token| text(*token, source) == ",") {
        if entry.is_empty() {
            continue;
        }
        entries.push(json_entry(entry, source)?);
    }
    Some(ObjectLiteral {
        range: macro_node.byte_range(),
        entries,
    })
}

/// The tokens of a token tree, brackets included.
fn tokens(tree: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = tree.walk();
    tree.children(&mut cursor).collect()
}

/// One `key: value` entry of a `json!` object, from its tokens.
fn json_entry(entry: &[Node<'_>], source: &str) -> Option<(String, LiteralValue)> {
    let [key, colon, value @ ..] = entry else {
        return None;
    };
    if text(*colon, source) != ":" || value.is_empty() {
        return None;
    }
    let key = match key.kind() {
        "string_literal" => string_value(*key, source)?,
        "identifier" => text(*key, source).to_string(),
        _ => return None,
    };
    Some((key, json_value(value, source)))
}

/// A `json!` value, when it is one literal token (or a negative number).
fn json_value(value: &[Node<'_>], source: &str) -> LiteralValue {
    match value {
        [single] => match (single.kind(), text(*single, source)) {
            (_, "null") => LiteralValue::Null,
            (_, "true") => LiteralValue::Bool(true),
            (_, "false") => LiteralValue::Bool(false),
            ("string_literal" | "raw_string_literal", _) => {
                string_value(*single, source).map_or(LiteralValue::Other, LiteralValue::String)
            }
            ("integer_literal" | "float_literal", _) => LiteralValue::Number,
            ("identifier", name) => LiteralValue::Variable(name.to_string()),
            _ => LiteralValue::Other,
        },
        [minus, number]
            if text(*minus, source) == "-"
                && matches!(number.kind(), "integer_literal" | "float_literal") =>
        {
            LiteralValue::Number
        }
        _ => LiteralValue::Other,
    }
}

impl<'t> Extractor<'_, 't> {
    /// What an expression shows of a body. Only what the syntax proves counts: a literal, a body
    /// wrapper (`Json(x)` always serialises something), or a conversion of those; a variable
    /// or an unknown call may be empty, so it stays [`Body::Unknown`].
    pub(super) fn body_of(&self, node: Node<'t>) -> Body {
        let Some(_level) = crate::depth::Nesting::enter() else {
            return Body::Unknown;
        };
        match node.kind() {
            "unit_expression" => Body::Empty,
            "string_literal" | "raw_string_literal" => match string_value(node, self.source) {
                Some(value) if value.is_empty() => Body::Empty,
                _ => self.opaque(node),
            },
            "parenthesized_expression" | "reference_expression" => named_children(node)
                .last()
                .map_or(Body::Unknown, |inner| self.body_of(*inner)),
            "macro_invocation" => self.macro_body(node),
            "call_expression" => self.call_body(node),
            _ => Body::Unknown,
        }
    }

    /// A body macro (`format!`) or object macro (`json!`): content; `json!({ "error": "x" })`
    /// is a literal object with its entries.
    fn macro_body(&self, node: Node<'t>) -> Body {
        // `serde_json::json!` names the same macro as `json!`.
        let name = node
            .child_by_field_name("macro")
            .map_or("", |name| text(name, self.source));
        let name = name.rsplit("::").next().unwrap_or(name);
        let object_macro = rust_tables().any(|table| table.object_macros.iter().any(|m| m == name));
        if !object_macro && !rust_tables().any(|table| table.body_macros.iter().any(|m| m == name))
        {
            return Body::Unknown;
        }
        match json_object(node, self.source) {
            Some(object) if object_macro => Body::Object(object),
            _ => self.opaque(node),
        }
    }

    /// A call's body: a conversion of a body (`"x".to_string()`), an empty body the tables name
    /// (`Body::empty()`), a body wrapper (`Json(x)`), or a constructor from one argument
    /// (`Body::from("x")`).
    fn call_body(&self, node: Node<'t>) -> Body {
        let Some(function) = node.child_by_field_name("function") else {
            return Body::Unknown;
        };
        let args = node
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        // `"x".to_string()`, `"x".into()`: the receiver is the body.
        if function.kind() == "field_expression" {
            let field = function
                .child_by_field_name("field")
                .map_or("", |f| text(f, self.source));
            return match function.child_by_field_name("value") {
                Some(receiver) if args.is_empty() && in_table(field, |t| &t.string_conversions) => {
                    self.body_of(receiver)
                }
                _ => Body::Unknown,
            };
        }
        let function = text(function, self.source);
        let segments = path_segments_of(function);
        if self.is_empty_body(function, &segments) {
            return Body::Empty;
        }
        let last = segments.last().map_or("", String::as_str);
        let is_wrapper = self
            .tables
            .iter()
            .any(|table| table.body_wrappers.iter().any(|w| w == last));
        let [arg] = args.as_slice() else {
            return if is_wrapper {
                self.opaque(node)
            } else {
                Body::Unknown
            };
        };
        if is_wrapper {
            // `Json(json!({ .. }))`: the object is the body.
            return match self.body_of(*arg) {
                Body::Object(object) => Body::Object(object),
                _ => self.opaque(node),
            };
        }
        // `Body::from("x")`, `String::from("")`: the argument decides.
        if !(matches!(last, "from" | "new") && segments.len() >= 2) {
            return Body::Unknown;
        }
        match self.body_of(*arg) {
            Body::Empty => Body::Empty,
            Body::Unknown => Body::Unknown,
            // `Bytes::from(json!({ .. }).to_string())` is still that object.
            Body::Object(object) => Body::Object(object),
            _ => self.opaque(node),
        }
    }

    /// A body the syntax sees but cannot read: content, with its words.
    fn opaque(&self, node: Node<'t>) -> Body {
        Body::Opaque {
            range: node.byte_range(),
            words: super::conditions::words(node, self.source),
        }
    }

    /// Whether a function the tables name makes an empty body; `reply()` after `use
    /// warp::reply;` is `warp::reply()`.
    fn is_empty_body(&self, function: &str, segments: &[String]) -> bool {
        let qualified = self.qualified(segments);
        self.tables.iter().any(|table| {
            table.empty_bodies.iter().any(|empty| {
                function == *empty
                    || function.ends_with(&format!("::{empty}"))
                    || qualified == *empty
            })
        })
    }

    /// The builder's `.body(arg)` argument rewritten as an empty body of the same type, when
    /// the syntax names the type: `Body::from("x")` → `Body::empty()`, `"x"` → `""`.
    pub(super) fn empty_body_like(&self, arg: Node<'t>) -> Option<Replacement> {
        let replacement = match arg.kind() {
            "string_literal" | "raw_string_literal" => "\"\"".to_string(),
            "call_expression" => {
                let function = arg.child_by_field_name("function")?;
                // `"x".to_string()` is a `String`.
                if function.kind() == "field_expression" {
                    let field = text(function.child_by_field_name("field")?, self.source);
                    let receiver = function.child_by_field_name("value")?;
                    if !matches!(field, "to_string" | "to_owned")
                        || string_value(receiver, self.source).is_none()
                    {
                        return None;
                    }
                    return Some(Replacement {
                        range: arg.byte_range(),
                        text: "String::new()".to_string(),
                    });
                }
                let function = text(function, self.source);
                let segments = path_segments_of(function);
                let (last, ty) = last_two(&segments)?;
                if !matches!(last, "from" | "new") {
                    return None;
                }
                let prefix = function.strip_suffix(last)?;
                let empty = rust_tables().find_map(|table| table.empty_body_ctors.get(ty))?;
                format!("{prefix}{empty}")
            }
            _ => return None,
        };
        Some(Replacement {
            range: arg.byte_range(),
            text: replacement,
        })
    }
}
