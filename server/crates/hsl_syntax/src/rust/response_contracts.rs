//! Response enums that are contracts (poem-openapi): `#[derive(ApiResponse)] enum R {
//! #[oai(status = 201)] Created(..), #[oai(status_range = "4XX")] Client(StatusCode) }` is the
//! list of responses the framework documents for every endpoint that returns `R`, so a status
//! such an endpoint sends by other means (`poem::Error::from_status(..)`) is undeclared. The
//! enums are read once for the whole file; an endpoint of the same file looks its success type
//! up among them.

use std::collections::BTreeMap;

use tree_sitter::Node;

use super::Extractor;
use super::attributes::attribute_tokens;
use super::nodes::{collect_leaves, path_segments};
use crate::node_util::{integer_value, named_children, string_value, text};
use hsl_facts::{ByteRange, DeclaredKey, DeclaredResponses, HandlerId};
use hsl_tables::{Framework, StatusAttribute};

/// The responses one contract enum declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ResponseEnum {
    keys: Vec<DeclaredKey>,
    /// Where each key is written (the variant's attribute), in the order of `keys`.
    key_ranges: Vec<ByteRange>,
    /// The whole enum, where related information points.
    range: ByteRange,
}

/// The status attributes whose enums are contracts, from the tables.
fn contract_attributes(tables: &[&'static Framework]) -> Vec<&'static StatusAttribute> {
    tables
        .iter()
        .flat_map(|table| &table.status_attributes)
        .filter(|attribute| attribute.contract.is_some())
        .collect()
}

/// Whether `source` may declare a contract enum: it spells one of the derives.
pub(super) fn may_declare_response_enums(tables: &[&'static Framework], source: &str) -> bool {
    contract_attributes(tables).iter().any(|attribute| {
        attribute
            .contract
            .as_ref()
            .is_some_and(|contract| source.contains(contract.derive.as_str()))
    })
}

/// The contract enums the top level of `root` declares, by name. An enum with a status the
/// syntax cannot read (a constant path) is left out: its contract is not known.
pub(super) fn response_enums_of<'t>(
    tables: &[&'static Framework],
    root: Node<'t>,
    source: &str,
) -> BTreeMap<String, ResponseEnum> {
    if !may_declare_response_enums(tables, source) {
        return BTreeMap::new();
    }
    let attributes = contract_attributes(tables);
    named_children(root)
        .into_iter()
        .filter(|item| item.kind() == "enum_item")
        .filter_map(|item| {
            let shape = attributes
                .iter()
                .find(|shape| derives_contract(shape, item, source))?;
            let name = text(item.child_by_field_name("name")?, source).to_string();
            let declared = enum_keys(shape, item, source)?;
            Some((name, declared))
        })
        .collect()
}

/// The attribute items stacked before `item` (comments skipped), nearest first.
fn attributes_before(item: Node<'_>) -> Vec<Node<'_>> {
    let mut found = Vec::new();
    let mut previous = item.prev_named_sibling();
    while let Some(sibling) = previous {
        match sibling.kind() {
            "attribute_item" => found.push(sibling),
            "line_comment" | "block_comment" => {}
            _ => break,
        }
        previous = sibling.prev_named_sibling();
    }
    found
}

/// Whether an attribute stacked on `item` is `derive(..)` naming the shape's contract derive.
fn derives_contract(shape: &StatusAttribute, item: Node<'_>, source: &str) -> bool {
    let Some(contract) = &shape.contract else {
        return false;
    };
    attributes_before(item).into_iter().any(|attribute_item| {
        let mut leaves = Vec::new();
        collect_leaves(attribute_item, &mut leaves);
        let mut words = leaves.iter().map(|leaf| text(*leaf, source));
        words.clone().any(|word| word == "derive") && words.any(|word| word == contract.derive)
    })
}

/// The keys of every variant of a contract enum, each once; `None` when a variant's status
/// cannot be read.
fn enum_keys(shape: &StatusAttribute, item: Node<'_>, source: &str) -> Option<ResponseEnum> {
    let body = item.child_by_field_name("body")?;
    let mut declared = ResponseEnum {
        keys: Vec::new(),
        key_ranges: Vec::new(),
        range: item.byte_range(),
    };
    for variant in named_children(body)
        .into_iter()
        .filter(|child| child.kind() == "enum_variant")
    {
        let (key, range) = variant_key(shape, variant, source)?;
        if !declared.keys.contains(&key) {
            declared.keys.push(key);
            declared.key_ranges.push(range);
        }
    }
    (!declared.keys.is_empty()).then_some(declared)
}

/// The key one variant declares, with where it is written: its status, its status range, or
/// `default` when its attributes name neither.
fn variant_key(
    shape: &StatusAttribute,
    variant: Node<'_>,
    source: &str,
) -> Option<(DeclaredKey, ByteRange)> {
    let range_key = shape.contract.as_ref().map(|c| c.range_key.as_str());
    for attribute_item in attributes_before(variant) {
        let Some(attribute) = named_children(attribute_item).into_iter().next() else {
            continue;
        };
        let named = named_children(attribute)
            .first()
            .and_then(|path| path_segments(*path, source).pop());
        if named.as_deref() != Some(shape.attribute.as_str()) {
            continue;
        }
        let tokens = attribute_tokens(attribute);
        if let Some(value) = assigned_value(&tokens, &shape.key, source) {
            let code = (value.kind() == "integer_literal")
                .then(|| integer_value(value, source))
                .flatten()
                .and_then(|number| u16::try_from(number).ok())?;
            return Some((DeclaredKey::Code(code), value.byte_range()));
        }
        if let Some(value) = range_key.and_then(|key| assigned_value(&tokens, key, source)) {
            let key = string_value(value, source).and_then(|s| DeclaredKey::parse(&s))?;
            return Some((key, value.byte_range()));
        }
    }
    Some((DeclaredKey::Default, variant.byte_range()))
}

/// The token written as `<key> = <value>` among an attribute's tokens.
fn assigned_value<'t>(tokens: &[Node<'t>], key: &str, source: &str) -> Option<Node<'t>> {
    tokens.windows(3).find_map(|window| match window {
        [name, eq, value] if text(*name, source) == key && text(*eq, source) == "=" => Some(*value),
        _ => None,
    })
}

impl<'t> Extractor<'_, 't> {
    /// Records on the endpoint `id` the contract of the enum its success type names, when this
    /// file declares one: `-> R`, `-> Result<R>` or `-> Result<R, E>`, with the keys of a
    /// contract enum `E` added (poem-openapi documents the error type's responses too).
    pub(super) fn declare_returned_enum(&mut self, function: Node<'t>, id: HandlerId) {
        if self.response_enums.is_empty() {
            return;
        }
        let Some(return_type) = function.child_by_field_name("return_type") else {
            return;
        };
        let Some((success, error)) = success_and_error(return_type, self.source) else {
            return;
        };
        let Some(first) = self.response_enums.get(success.as_str()) else {
            return;
        };
        let mut declared = DeclaredResponses {
            keys: first.keys.clone(),
            key_ranges: first.key_ranges.clone(),
            range: first.range.clone(),
            source: format!("the responses of `{success}`"),
            additions: Vec::new(),
        };
        if let Some(more) = error.and_then(|name| self.response_enums.get(name.as_str())) {
            for (key, range) in more.keys.iter().zip(&more.key_ranges) {
                if !declared.keys.contains(key) {
                    declared.keys.push(*key);
                    declared.key_ranges.push(range.clone());
                }
            }
        }
        // The contract is read from another item of the file: this one's facts cannot be
        // reused when only it changes.
        self.questions.get_mut().look_outside();
        if let Some(handler) = self.facts.handlers.get_mut(id)
            && handler.declared.is_none()
        {
            handler.declared = Some(declared);
        }
    }
}

/// The success and error types of a return type, by their last segments: `R` alone, or the
/// type arguments of a `Result` (`poem::Result<R>`, `Result<R, E>`); `None` for a type written
/// otherwise (a tuple, a reference, `impl Trait`).
fn success_and_error(return_type: Node<'_>, source: &str) -> Option<(String, Option<String>)> {
    let named = |node: Node<'_>| -> Option<String> {
        matches!(node.kind(), "type_identifier" | "scoped_type_identifier")
            .then(|| path_segments(node, source).pop())
            .flatten()
    };
    if return_type.kind() != "generic_type" {
        return named(return_type).map(|success| (success, None));
    }
    let base = return_type.child_by_field_name("type").and_then(named)?;
    if base != "Result" {
        return Some((base, None));
    }
    let arguments = named_children(return_type.child_by_field_name("type_arguments")?);
    let success = named(*arguments.first()?)?;
    let error = arguments.get(1).and_then(|error| named(*error));
    Some((success, error))
}
