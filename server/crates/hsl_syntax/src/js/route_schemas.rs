//! In-code contracts in a registration's options: Fastify's
//! `{ schema: { response: { 201: .., '4xx': .., default: .. } } }` declares the statuses the
//! route answers. The keys leading there are table data (`routes.response_schema`).

use tree_sitter::Node;

use super::Extractor;
use super::declared_responses::{property_pair, property_value};
use crate::node_util::{integer_value, named_children, string_value, text};
use hsl_facts::{DeclaredKey, DeclaredResponses};
use hsl_tables::ResponseSchema;

impl<'t> Extractor<'_, 't> {
    /// The responses the options objects among a registration's arguments declare; `None`
    /// when none declares any, or when a key cannot be read (a computed name, a spread), as a
    /// contract seen in part would report statuses it declares.
    pub(super) fn schema_responses(&self, args: &[Node<'t>]) -> Option<DeclaredResponses> {
        let keys = self
            .tables
            .iter()
            .find_map(|table| table.routes.as_ref()?.response_schema.as_ref())?;
        args.iter()
            .filter(|arg| arg.kind() == "object")
            .find_map(|options| self.declared_in(keys, *options))
    }

    /// The responses one options object declares under `schema.response`.
    fn declared_in(&self, keys: &ResponseSchema, options: Node<'t>) -> Option<DeclaredResponses> {
        let schema = property_value(options, &keys.schema_key, self.source)?;
        let responses = property_value(schema, &keys.responses_key, self.source)?;
        if responses.kind() != "object" {
            return None;
        }
        let mut declared = Vec::new();
        for entry in named_children(responses) {
            if entry.kind() == "comment" {
                continue;
            }
            let key = self.response_key(entry)?;
            if !declared.contains(&key) {
                declared.push(key);
            }
        }
        Some(DeclaredResponses {
            keys: declared,
            range: responses_key_range(schema, &keys.responses_key, self.source)?,
            source: format!("{}.{}", keys.schema_key, keys.responses_key),
        })
    }

    /// The key of one entry of a response object: `201`, `'201'`, `'4xx'`, `default`.
    fn response_key(&self, entry: Node<'t>) -> Option<DeclaredKey> {
        if entry.kind() != "pair" {
            return None;
        }
        let key = entry.child_by_field_name("key")?;
        if let Some(number) = integer_value(key, self.source) {
            return u16::try_from(number).ok().map(DeclaredKey::Code);
        }
        match key.kind() {
            "property_identifier" => DeclaredKey::parse(text(key, self.source)),
            _ => DeclaredKey::parse(&string_value(key, self.source)?),
        }
    }
}

/// Where `response:` is written in a schema object, for related information.
fn responses_key_range(schema: Node<'_>, key: &str, source: &str) -> Option<hsl_facts::ByteRange> {
    let pair = property_pair(schema, key, source)?;
    let name = pair.child_by_field_name("key")?;
    Some(name.byte_range())
}
