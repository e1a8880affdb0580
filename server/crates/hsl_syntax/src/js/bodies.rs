//! What a response's body shows: a literal object with its entries, an empty string, nothing,
//! or content the syntax cannot see into.

use tree_sitter::Node;

use super::Extractor;
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{Body, LiteralValue, ObjectLiteral};

/// Properties that give a collection's size.
const SIZES: &[&str] = &["length", "size"];

/// The text of an object key: a string key unquoted, any other key as written.
pub(super) fn key_text(key: Node<'_>, source: &str) -> String {
    string_value(key, source).unwrap_or_else(|| text(key, source).to_string())
}

/// An object literal's entries with their literal values, for rules about a body's content.
pub(super) fn object_literal(object: Node<'_>, source: &str) -> ObjectLiteral {
    let mut entries = Vec::new();
    for pair in named_children(object) {
        match pair.kind() {
            "pair" => {
                let (Some(key), Some(value)) = (
                    pair.child_by_field_name("key"),
                    pair.child_by_field_name("value"),
                ) else {
                    continue;
                };
                entries.push((key_text(key, source), literal_value(value, source)));
            }
            "shorthand_property_identifier" => {
                let name = text(pair, source).to_string();
                entries.push((name.clone(), LiteralValue::Variable(name)));
            }
            _ => {}
        }
    }
    ObjectLiteral {
        range: object.byte_range(),
        entries,
    }
}

/// What a value in an object literal is, as far as the syntax shows.
pub(super) fn literal_value(value: Node<'_>, source: &str) -> LiteralValue {
    match value.kind() {
        "null" | "undefined" => LiteralValue::Null,
        "true" => LiteralValue::Bool(true),
        "false" => LiteralValue::Bool(false),
        "number" => LiteralValue::Number,
        // A collection's size (`errors.length`, `failed.size`) is a number too.
        "member_expression"
            if value
                .child_by_field_name("property")
                .is_some_and(|property| SIZES.contains(&text(property, source))) =>
        {
            LiteralValue::Number
        }
        "identifier" => LiteralValue::Variable(text(value, source).to_string()),
        _ => match string_value(value, source) {
            Some(text) => LiteralValue::String(text),
            None => LiteralValue::Other,
        },
    }
}

impl<'t> Extractor<'_, 't> {
    /// What a body argument shows: nothing, empty, a literal object (also through
    /// `JSON.stringify`), or content the syntax cannot see into.
    pub(super) fn body_of(&self, arg: Option<Node<'t>>) -> Body {
        let Some(arg) = arg else {
            return Body::None;
        };
        match arg.kind() {
            "object" => Body::Object(object_literal(arg, self.source)),
            // `JSON.stringify({ .. })`: the literal object is the content.
            "call_expression"
                if arg
                    .child_by_field_name("function")
                    .is_some_and(|f| text(f, self.source) == "JSON.stringify") =>
            {
                let object = arg
                    .child_by_field_name("arguments")
                    .and_then(|args| named_children(args).into_iter().next())
                    .filter(|first| first.kind() == "object");
                match object {
                    Some(object) => Body::Object(object_literal(object, self.source)),
                    None => Body::Opaque {
                        range: arg.byte_range(),
                        words: super::conditions::words(arg, self.source),
                    },
                }
            }
            "null" | "undefined" => Body::None,
            "identifier" if text(arg, self.source) == "undefined" => Body::None,
            _ => match string_value(arg, self.source) {
                Some(value) if value.is_empty() => Body::Empty,
                _ => Body::Opaque {
                    range: arg.byte_range(),
                    words: super::conditions::words(arg, self.source),
                },
            },
        }
    }
}
