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
        self.responses_declared(
            responses,
            responses_key_range(schema, &keys.responses_key, self.source)?,
            format!("{}.{}", keys.schema_key, keys.responses_key),
        )
    }

    /// The responses an object keyed by status declares (`{ 201: .., '4xx': .., default: .. }`);
    /// `range` is where related information points, `source` how messages name it.
    pub(super) fn responses_declared(
        &self,
        responses: Node<'t>,
        range: hsl_facts::ByteRange,
        source: String,
    ) -> Option<DeclaredResponses> {
        if responses.kind() != "object" {
            return None;
        }
        let mut declared = Vec::new();
        let mut key_ranges = Vec::new();
        let mut last = None;
        for entry in named_children(responses) {
            if entry.kind() == "comment" {
                continue;
            }
            last = Some(entry);
            let key = self.response_key(entry)?;
            if !declared.contains(&key) {
                declared.push(key);
                key_ranges.push(entry.child_by_field_name("key")?.byte_range());
            }
        }
        let additions = last
            .and_then(|last| self.schema_entry_after(responses, last))
            .into_iter()
            .collect();
        Some(DeclaredResponses {
            keys: declared,
            key_ranges,
            additions,
            range,
            source,
        })
    }

    /// A new `code: { description }` entry after the last one, its key quoted as the keys
    /// beside it are.
    fn schema_entry_after(
        &self,
        responses: Node<'t>,
        last: Node<'t>,
    ) -> Option<hsl_facts::Replacement> {
        let string_key = named_children(responses)
            .into_iter()
            .filter_map(|entry| entry.child_by_field_name("key"))
            .find(|key| key.kind() == "string");
        let key_quote = string_key.and_then(|key| text(key, self.source).chars().next());
        let quote = key_quote
            .unwrap_or_else(|| crate::contract_edits::quote_in(text(responses, self.source)));
        let key = match key_quote {
            Some(q) => format!("{q}{{code}}{q}"),
            None => "{code}".to_string(),
        };
        let entry = format!("{key}: {{ description: {quote}{{description}}{quote} }}");
        Some(crate::contract_edits::after_last_entry(
            self.source,
            &last.byte_range(),
            &entry,
        ))
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
pub(super) fn responses_key_range(
    schema: Node<'_>,
    key: &str,
    source: &str,
) -> Option<hsl_facts::ByteRange> {
    let pair = property_pair(schema, key, source)?;
    let name = pair.child_by_field_name("key")?;
    Some(name.byte_range())
}
