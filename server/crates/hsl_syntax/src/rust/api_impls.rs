//! Impl blocks of endpoints (poem-openapi): `#[OpenApi(prefix_path = "/v1")] impl Api { #[oai(
//! path = "/pets", method = "get")] async fn list(..) }` serves `GET /v1/pets` wherever a router
//! mounts the service built from `Api` (`.nest("/api", OpenApiService::new(Api, "Pets",
//! "1.0"))`): the endpoints are mounted by their impl's type, not by their own names. The
//! attribute, its prefix key and the service constructor are table data (`routes.api_impl`).

use tree_sitter::Node;

use super::Extractor;
use super::attributes::{attribute_tokens, item_after_attributes};
use super::nodes::path_segments;
use crate::node_util::{named_children, string_value, text};
use hsl_tables::ApiImpl;

/// The impl block an endpoint is a method of, as far as its path and mounts need it.
pub(super) struct EndpointImpl {
    /// The impl's type, which a mount names (`Api`).
    pub type_name: String,
    /// The prefix its attribute puts before every path: `Some("")` without one, `None` when it
    /// is not a string literal (the endpoints' paths are then not known).
    pub prefix: Option<String>,
}

impl EndpointImpl {
    /// The whole path of an endpoint whose attribute names `path`.
    pub fn join(&self, path: Option<String>) -> Option<String> {
        let prefix = self.prefix.as_deref()?;
        let path = path?;
        if prefix.is_empty() {
            return Some(path);
        }
        Some(format!(
            "{}/{}",
            prefix.trim_end_matches('/'),
            path.trim_start_matches('/')
        ))
    }
}

impl<'t> Extractor<'_, 't> {
    /// The table shape of an impl block of endpoints, if a table has one.
    fn api_impl_shape(&self) -> Option<&'static ApiImpl> {
        self.tables
            .iter()
            .find_map(|table| table.routes.as_ref()?.api_impl.as_ref())
    }

    /// The impl block of endpoints `function` is a method of, when an attribute of that block
    /// is the table's (`#[OpenApi]`, `#[OpenApi(prefix_path = "/v1")]`).
    pub(super) fn endpoint_impl(&self, function: Node<'t>) -> Option<EndpointImpl> {
        let shape = self.api_impl_shape()?;
        let list = self.parents.parent(function)?;
        let block = self
            .parents
            .parent(list)
            .filter(|block| block.kind() == "impl_item")?;
        let type_name = block
            .child_by_field_name("type")
            .and_then(|ty| match ty.kind() {
                "generic_type" => ty.child_by_field_name("type"),
                _ => Some(ty),
            })
            .and_then(|ty| path_segments(ty, self.source).pop())?;
        let attribute = self.attribute_before(block, &shape.attribute)?;
        let tokens = attribute_tokens(attribute);
        let prefix = match tokens.windows(3).find(|window| {
            window.first().map(|key| text(*key, self.source)) == Some(shape.prefix_key.as_str())
        }) {
            Some([_, _, value]) if value.kind() == "string_literal" => {
                string_value(*value, self.source)
            }
            Some(_) => None,
            None => Some(String::new()),
        };
        Some(EndpointImpl { type_name, prefix })
    }

    /// The attribute named `name` (by its path's last segment) stacked before `item`.
    fn attribute_before(&self, item: Node<'t>, name: &str) -> Option<Node<'t>> {
        let mut previous = item.prev_named_sibling();
        while let Some(sibling) = previous {
            match sibling.kind() {
                "attribute_item" => {
                    let attribute = named_children(sibling).into_iter().next();
                    let named = attribute
                        .and_then(|attribute| named_children(attribute).first().copied())
                        .and_then(|path| path_segments(path, self.source).pop());
                    if named.as_deref() == Some(name)
                        && item_after_attributes(&self.parents, sibling) == Some(item)
                    {
                        return attribute;
                    }
                }
                "line_comment" | "block_comment" => {}
                _ => return None,
            }
            previous = sibling.prev_named_sibling();
        }
        None
    }

    /// The impl types a mounted value serves, when it is the table's service built from them:
    /// `OpenApiService::new(Api, ..)`, with builder methods chained after it (`.server(..)`), or a
    /// local bound to one (`let service = ..`). `None` for anything else, a service built
    /// from a value the syntax cannot name (`api::all()`) included.
    pub(super) fn mounted_api_types(&self, target: Node<'t>) -> Option<Vec<Vec<String>>> {
        let shape = self.api_impl_shape()?;
        let value = match target.kind() {
            "identifier" => self.bound_value(target)?,
            _ => target,
        };
        let mut call = value;
        while call.kind() == "call_expression" {
            let function = call.child_by_field_name("function")?;
            if function.kind() != "field_expression" {
                break;
            }
            call = function.child_by_field_name("value")?;
        }
        let function = call
            .child_by_field_name("function")
            .filter(|_| call.kind() == "call_expression")?;
        let segments = path_segments(function, self.source);
        let tail = segments.get(segments.len().saturating_sub(2)..)?.join("::");
        if tail != shape.service {
            return None;
        }
        let arguments = named_children(call.child_by_field_name("arguments")?);
        let api = *arguments.get(shape.service_arg)?;
        let parts = match api.kind() {
            "tuple_expression" => named_children(api),
            _ => vec![api],
        };
        parts
            .into_iter()
            .map(|part| self.api_type_path(part))
            .collect()
    }

    /// The type a value of an API names: `Api`, `api::Api`, `Api { db }`, `Api::default()`.
    fn api_type_path(&self, value: Node<'t>) -> Option<Vec<String>> {
        let path = match value.kind() {
            "identifier" | "scoped_identifier" => value,
            "struct_expression" => value.child_by_field_name("name")?,
            "call_expression" => {
                let function = value.child_by_field_name("function")?;
                let mut segments = path_segments(function, self.source);
                segments.pop();
                return (function.kind() == "scoped_identifier" && names_a_type(&segments))
                    .then_some(segments);
            }
            _ => return None,
        };
        Some(path_segments(path, self.source)).filter(|segments| names_a_type(segments))
    }
}

/// Whether a path ends in a type's name (upper camel case, as Rust names types), not a
/// variable or a module (`api::all()` builds a value the syntax cannot name).
fn names_a_type(segments: &[String]) -> bool {
    segments
        .last()
        .and_then(|last| last.chars().next())
        .is_some_and(char::is_uppercase)
}
