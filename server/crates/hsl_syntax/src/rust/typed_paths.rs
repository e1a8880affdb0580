//! Typed paths (axum-extra): `#[typed_path("/items/:id")] struct ItemPath;` names the path a
//! handler taking an `ItemPath` first serves when a typed method registers it
//! (`.typed_get(show)`). The structs are read once for the whole file; a handler of the same
//! file looks its first parameter's type up among them.

use std::collections::BTreeMap;

use tree_sitter::Node;

use super::Extractor;
use super::attributes::{attribute_tokens, item_after_attributes};
use super::nodes::path_segments;
use crate::node_util::{Parents, named_children, string_value, text};
use hsl_tables::Framework;

/// The attributes that name a typed path, from the tables' routes.
fn typed_path_attributes(tables: &[&'static Framework]) -> Vec<&'static str> {
    tables
        .iter()
        .filter_map(|table| table.routes.as_ref()?.typed_path_attribute.as_deref())
        .collect()
}

/// Whether `source` may declare a typed path: it spells one of the attributes.
pub(super) fn may_declare_typed_paths(tables: &[&'static Framework], source: &str) -> bool {
    typed_path_attributes(tables)
        .iter()
        .any(|attribute| source.contains(&format!("{attribute}(")))
}

/// The typed paths the top-level structs of `root` declare, by struct name.
pub(super) fn typed_paths_of<'t>(
    tables: &[&'static Framework],
    parents: &Parents<'t>,
    root: Node<'t>,
    source: &str,
) -> BTreeMap<String, String> {
    let attributes = typed_path_attributes(tables);
    if attributes.is_empty() || !may_declare_typed_paths(tables, source) {
        return BTreeMap::new();
    }
    named_children(root)
        .into_iter()
        .filter(|item| item.kind() == "attribute_item")
        .filter_map(|item| {
            let attribute = named_children(item).into_iter().next()?;
            let name = named_children(attribute)
                .first()
                .and_then(|path| path_segments(*path, source).pop())?;
            if !attributes.contains(&name.as_str()) {
                return None;
            }
            let path = attribute_tokens(attribute)
                .get(1)
                .filter(|token| token.kind() == "string_literal")
                .and_then(|token| string_value(*token, source))?;
            let target = item_after_attributes(parents, item)
                .filter(|target| target.kind() == "struct_item")?;
            let struct_name = target.child_by_field_name("name")?;
            Some((text(struct_name, source).to_string(), path))
        })
        .collect()
}

impl<'t> Extractor<'_, 't> {
    /// The typed path of the struct `function` takes as its first parameter, when this file
    /// declares one for it.
    pub(super) fn typed_path_of(&self, function: Node<'t>) -> Option<String> {
        if self.typed_paths.is_empty() {
            return None;
        }
        let parameters = function.child_by_field_name("parameters")?;
        let first = named_children(parameters).into_iter().next()?;
        let mut ty = first.child_by_field_name("type")?;
        if ty.kind() == "reference_type" {
            ty = ty.child_by_field_name("type")?;
        }
        if !matches!(ty.kind(), "type_identifier" | "scoped_type_identifier") {
            return None;
        }
        let name = path_segments(ty, self.source).pop()?;
        self.typed_paths.get(&name).cloned()
    }
}
