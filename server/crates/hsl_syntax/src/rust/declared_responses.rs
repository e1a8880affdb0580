//! In-code contracts on Rust handlers: utoipa's
//! `#[utoipa::path(post, path = "/x", responses((status = 201, ..), (status = NOT_FOUND, ..)))]`
//! lists the responses of the function it sits on. The attribute's shape is table data
//! (`routes.response_attribute`).

use tree_sitter::Node;

use super::Extractor;
use super::attributes::{attribute_tokens, item_after_attributes};
use super::nodes::path_segments;
use crate::node_util::{integer_value, named_children, string_value, text};
use hsl_facts::{DeclaredKey, DeclaredResponses};
use hsl_tables::ResponseAttribute;

impl<'t> Extractor<'_, 't> {
    /// Records on the function after `attribute` the responses it lists, when it is a response
    /// attribute of a table and every status in it can be read (a list given as a type,
    /// `responses(MyResponses)`, or a status the syntax cannot name leaves it without one).
    pub(super) fn declared_responses_attribute(&mut self, attribute: Node<'t>) {
        let Some(shape) = self.response_attribute_named(attribute) else {
            return;
        };
        let Some((declared, key_ranges)) = self.listed_responses(shape, attribute) else {
            return;
        };
        let additions = key_ranges
            .last()
            .map(|last| {
                let entry = format!(
                    "({} = {{code}}, description = \"{{description}}\")",
                    shape.status_key
                );
                crate::contract_edits::after_last_entry(self.source, last, &entry)
            })
            .into_iter()
            .collect();
        let Some(item) = self.parents.parent(attribute) else {
            return;
        };
        let next = item_after_attributes(&self.parents, item);
        let Some(function) = next.filter(|n| n.kind() == "function_item") else {
            return;
        };
        let id = self.handler_id(function);
        if let Some(handler) = self.facts.handlers.get_mut(id) {
            handler.declared = Some(DeclaredResponses {
                keys: declared,
                key_ranges,
                additions,
                range: item.byte_range(),
                source: format!("#[{}]", shape.path.join("::")),
            });
        }
    }

    /// The table shape of a response attribute written with this path, if any.
    fn response_attribute_named(&self, attribute: Node<'t>) -> Option<&'static ResponseAttribute> {
        let path = named_children(attribute).first().copied()?;
        let segments = path_segments(path, self.source);
        self.tables
            .iter()
            .filter_map(|table| table.routes.as_ref()?.response_attribute.as_ref())
            .find(|shape| shape.path == segments)
    }

    /// The keys of `<list_key>((<status_key> = ..), ..)` in the attribute's arguments, with
    /// the entry that declares each.
    fn listed_responses(
        &self,
        shape: &ResponseAttribute,
        attribute: Node<'t>,
    ) -> Option<(Vec<DeclaredKey>, Vec<hsl_facts::ByteRange>)> {
        let tokens = attribute_tokens(attribute);
        let at = tokens.iter().position(|token| {
            token.kind() == "identifier" && text(*token, self.source) == shape.list_key
        })?;
        let list = tokens.get(at + 1).filter(|t| t.kind() == "token_tree")?;
        let mut keys = Vec::new();
        let mut ranges = Vec::new();
        for entry in named_children(*list) {
            if entry.kind() != "token_tree" {
                return None;
            }
            let key = self.entry_status(shape, entry)?;
            if !keys.contains(&key) {
                keys.push(key);
                ranges.push(entry.byte_range());
            }
        }
        (!keys.is_empty()).then_some((keys, ranges))
    }

    /// The status of one `(status = .., description = ..)` entry.
    fn entry_status(&self, shape: &ResponseAttribute, entry: Node<'t>) -> Option<DeclaredKey> {
        let mut cursor = entry.walk();
        let tokens: Vec<Node<'t>> = entry.children(&mut cursor).collect();
        let at = tokens.iter().position(|token| {
            token.kind() == "identifier" && text(*token, self.source) == shape.status_key
        })?;
        if tokens.get(at + 1).map(|eq| text(*eq, self.source)) != Some("=") {
            return None;
        }
        let value: Vec<Node<'t>> = tokens
            .iter()
            .skip(at + 2)
            .take_while(|token| !matches!(text(**token, self.source), "," | ")"))
            .copied()
            .collect();
        match value.as_slice() {
            [single] if single.kind() == "integer_literal" => {
                let number = integer_value(*single, self.source)?;
                u16::try_from(number).ok().map(DeclaredKey::Code)
            }
            [single] if single.kind() == "string_literal" => {
                DeclaredKey::parse(&string_value(*single, self.source)?)
            }
            _ => self.constant_key(shape, &value),
        }
    }

    /// `NOT_FOUND`, `StatusCode::NOT_FOUND`, `http::StatusCode::NOT_FOUND`: a constant of the
    /// family its type names (the table's `constant_type` when it is bare).
    fn constant_key(&self, shape: &ResponseAttribute, value: &[Node<'t>]) -> Option<DeclaredKey> {
        let names: Vec<&str> = value
            .iter()
            .filter(|token| text(**token, self.source) != "::")
            .map(|token| {
                (token.kind() == "identifier")
                    .then(|| text(*token, self.source))
                    .ok_or(())
            })
            .collect::<Result<_, ()>>()
            .ok()?;
        let (name, path) = names.split_last()?;
        let ty = path.last().copied().unwrap_or(shape.constant_type.as_str());
        let (_, _, code) = self.constant_in_families(ty, name)?;
        Some(DeclaredKey::Code(code))
    }
}
