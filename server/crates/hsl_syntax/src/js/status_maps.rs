//! Maps of code names to statuses at a module's top level (`export const ErrorCodes = {
//! unauthorized: 401, forbidden: 403 } as const`): a project that throws errors by code name
//! (`new ApiError({ code: "unauthorized" })`) answers with the status such a map gives the
//! name. Each entry is recorded as a helper owned by the map, as an error enum's variant is
//! owned by its type, so the workspace index can look a keyed error class's name up in it.

use tree_sitter::Node;

use super::Extractor;
use crate::node_util::{integer_value, named_children, string_value, text};
use hsl_facts::{HelperBody, HelperStatus, Location, ResponseHelper};

/// Node kinds a map's object passes through unchanged (`{ .. } as const`, `{ .. } satisfies T`).
const TRANSPARENT: &[&str] = &[
    "as_expression",
    "satisfies_expression",
    "parenthesized_expression",
];

/// Fewer entries than this make a pair of constants, not a table of codes.
const MIN_ENTRIES: usize = 2;

impl<'t> Extractor<'_, 't> {
    /// Records the entries of the code maps `statements` (top-level statements) declare.
    pub(super) fn record_status_maps(&mut self, statements: &[Node<'t>]) {
        for &statement in statements {
            let declaration = match statement.kind() {
                "export_statement" => statement.child_by_field_name("declaration"),
                _ => Some(statement),
            };
            let Some(declaration) = declaration.filter(|d| is_const_declaration(*d, self.source))
            else {
                continue;
            };
            for declarator in named_children(declaration) {
                let entries = self.status_map(declarator);
                self.facts.helpers.extend(entries);
            }
        }
    }

    /// The entries of a `const` declarator whose value is an object of which every entry maps
    /// a name to a registered status, at least one of them an error's.
    fn status_map(&self, declarator: Node<'t>) -> Vec<ResponseHelper> {
        if declarator.kind() != "variable_declarator" {
            return Vec::new();
        }
        let name = declarator.child_by_field_name("name");
        let value = declarator
            .child_by_field_name("value")
            .map(|value| unwrapped(value, self.source));
        let (Some(name), Some(object)) = (name, value) else {
            return Vec::new();
        };
        if name.kind() != "identifier" || object.kind() != "object" {
            return Vec::new();
        }
        let owner = text(name, self.source);
        let mut entries = Vec::new();
        for entry in named_children(object) {
            if entry.kind() == "comment" {
                continue;
            }
            let Some(helper) = self.status_entry(entry, owner) else {
                return Vec::new();
            };
            entries.push(helper);
        }
        let errors = entries
            .iter()
            .any(|entry| matches!(entry.status, HelperStatus::Fixed(400..=599)));
        if entries.len() < MIN_ENTRIES || !errors {
            return Vec::new();
        }
        entries
    }

    /// One `name: 401` entry of a code map.
    fn status_entry(&self, pair: Node<'t>, owner: &str) -> Option<ResponseHelper> {
        if pair.kind() != "pair" {
            return None;
        }
        let key = pair.child_by_field_name("key")?;
        let name = match key.kind() {
            "property_identifier" => text(key, self.source).to_string(),
            "string" => string_value(key, self.source)?,
            _ => return None,
        };
        let value = pair.child_by_field_name("value")?;
        if value.kind() != "number" {
            return None;
        }
        let code = integer_value(value, self.source)
            .and_then(|n| u16::try_from(n).ok())
            .filter(|&code| hsl_status_codes::lookup(code).is_some())?;
        Some(ResponseHelper {
            name,
            owner: Some(owner.to_string()),
            defined: Location {
                path: None,
                range: key.byte_range(),
            },
            status: HelperStatus::Fixed(code),
            headers: Vec::new(),
            headers_complete: false,
            body: HelperBody::Unknown,
        })
    }
}

/// Whether a declaration binds constants (`const`), whose values stay what they are written.
fn is_const_declaration(node: Node<'_>, source: &str) -> bool {
    node.kind() == "lexical_declaration"
        && node
            .child_by_field_name("kind")
            .is_some_and(|kind| text(kind, source) == "const")
}

/// The object a declarator's value is, through `as const`, `satisfies`, parentheses and
/// `Object.freeze(..)`.
fn unwrapped<'t>(mut node: Node<'t>, source: &str) -> Node<'t> {
    loop {
        if TRANSPARENT.contains(&node.kind()) {
            match named_children(node).first() {
                Some(&inner) => node = inner,
                None => return node,
            }
            continue;
        }
        if node.kind() == "call_expression"
            && node
                .child_by_field_name("function")
                .is_some_and(|function| text(function, source) == "Object.freeze")
            && let Some(arguments) = node.child_by_field_name("arguments")
            && let [only] = named_children(arguments).as_slice()
        {
            node = *only;
            continue;
        }
        return node;
    }
}
