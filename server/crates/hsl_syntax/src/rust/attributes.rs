//! Attributes: route attributes on handler functions (`#[post("/x")]`) and status attributes
//! on response types (`#[oai(status = 204)]`).

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{collect_leaves, path_segments};
use super::responses::ResponseShape;
use crate::handlers::prove_route;
use crate::node_util::{Parents, integer_value, named_children, string_value, text};
use hsl_facts::StatusSite;
use hsl_facts::{Body, Method, MethodSource, Spelling};

/// The item an attribute belongs to: the next sibling past stacked attributes and comments.
pub(super) fn item_after_attributes<'t>(
    parents: &Parents<'t>,
    attribute: Node<'t>,
) -> Option<Node<'t>> {
    let mut next = parents.next_named_sibling(attribute);
    while let Some(sibling) = next
        && matches!(
            sibling.kind(),
            "attribute_item" | "line_comment" | "block_comment"
        )
    {
        next = parents.next_named_sibling(sibling);
    }
    next
}

/// The tokens of an attribute's arguments, brackets included (`(`, `"/x"`, `,`, …).
pub(super) fn attribute_tokens(attribute: Node<'_>) -> Vec<Node<'_>> {
    attribute
        .child_by_field_name("arguments")
        .map(|tree| {
            let mut cursor = tree.walk();
            tree.children(&mut cursor).collect()
        })
        .unwrap_or_default()
}

/// The route path a method attribute names: its first argument (`#[get("/notes/<id>")]`,
/// `#[route("/x", method = "POST")]`) or its `path`/`uri` key (poem-openapi `#[oai(path =
/// "/x")]`, Rocket `#[route(GET, uri = "/x")]`).
fn attribute_path(tokens: &[Node<'_>], source: &str) -> Option<String> {
    if let Some(first) = tokens.get(1).filter(|t| t.kind() == "string_literal") {
        return string_value(*first, source);
    }
    tokens.windows(3).find_map(|window| match window {
        [key, equals, value]
            if matches!(text(*key, source), "path" | "uri")
                && text(*equals, source) == "="
                && value.kind() == "string_literal" =>
        {
            string_value(*value, source)
        }
        _ => None,
    })
}

impl<'t> Extractor<'_, 't> {
    /// poem-openapi `#[oai(status = 204)] Deleted(Json<T>)`, Rocket `#[response(status = 201)]`:
    /// the status of a response type, with its payload fields as the body.
    pub(super) fn status_attribute_site(&mut self, attribute: Node<'t>) {
        let Some(item) = self.parents.parent(attribute) else {
            return;
        };
        let Some(name) = named_children(attribute)
            .first()
            .map(|path| path_segments(*path, self.source))
            .and_then(|segments| segments.last().cloned())
        else {
            return;
        };
        let tokens = attribute_tokens(attribute);
        for table in self.tables.clone() {
            for status_attribute in &table.status_attributes {
                if status_attribute.attribute != name {
                    continue;
                }
                let Some(literal) = self.assigned_integer(&tokens, &status_attribute.key) else {
                    continue;
                };
                let next = item_after_attributes(&self.parents, item);
                let Some(target) =
                    next.filter(|n| matches!(n.kind(), "enum_variant" | "struct_item"))
                else {
                    continue;
                };
                let header_key = status_attribute.header_key.as_deref();
                let body = self.payload_body(target, header_key);
                let code = integer_value(literal, self.source).and_then(|v| u16::try_from(v).ok());
                let status = StatusSite {
                    code,
                    spelling: Spelling::Number,
                    range: literal.byte_range(),
                    framework: table.id.clone(),
                };
                let body_known = body != Body::Unknown;
                let (headers, mut complete) =
                    self.declared_headers(target, &name, header_key, body_known);
                let handler = self.response_type_handler(target);
                if complete
                    && let Some(type_name) = handler
                        .and_then(|id| self.facts.handlers.get(id))
                        .and_then(|h| h.name.clone())
                {
                    complete = !self.wrapped_elsewhere(&type_name);
                }
                let shape = ResponseShape::sets(headers, body, None);
                self.push_shaped(literal, status, shape);
                let built_under = self.built_under(target);
                if let Some(response) = self.facts.responses.last_mut() {
                    response.headers_complete = complete;
                    response.handler = handler;
                    response.context.built_under = built_under;
                }
                return;
            }
        }
    }

    /// The integer literal written as `<key> = <integer>` among an attribute's tokens.
    fn assigned_integer(&self, tokens: &[Node<'t>], key: &str) -> Option<Node<'t>> {
        tokens.windows(3).find_map(|window| match window {
            [name, eq, value]
                if text(*name, self.source) == key
                    && text(*eq, self.source) == "="
                    && value.kind() == "integer_literal" =>
            {
                Some(*value)
            }
            _ => None,
        })
    }

    /// The body of a response type: its fields, except header fields (marked with an attribute
    /// naming `header_key`); content when a field is a body wrapper (`Json<T>`).
    pub(super) fn payload_body(&self, item: Node<'t>, header_key: Option<&str>) -> Body {
        let Some(list) = item.child_by_field_name("body") else {
            return Body::None;
        };
        let mut fields = Vec::new();
        let mut header_next = false;
        for child in named_children(list) {
            match child.kind() {
                "attribute_item" => {
                    header_next |= header_key.is_some_and(|key| {
                        let mut leaves = Vec::new();
                        collect_leaves(child, &mut leaves);
                        leaves.iter().any(|leaf| text(*leaf, self.source) == key)
                    });
                }
                "visibility_modifier" | "line_comment" | "block_comment" => {}
                _ => {
                    let field_type = match child.kind() {
                        "field_declaration" => child.child_by_field_name("type"),
                        _ => Some(child),
                    };
                    if !std::mem::take(&mut header_next)
                        && let Some(field_type) = field_type
                    {
                        fields.push(field_type);
                    }
                }
            }
        }
        if fields.is_empty() {
            return Body::None;
        }
        // `Json<T>`, or a body inside the success of a result (`ApiResult<RawHtml<String>>`),
        // under the name it is imported as (`RawHtml as Html`).
        let wrapper = fields.iter().find(|field| {
            let mut leaves = Vec::new();
            collect_leaves(**field, &mut leaves);
            leaves
                .iter()
                .filter(|leaf| leaf.kind() == "type_identifier")
                .any(|leaf| {
                    let name = self.imported_name(text(*leaf, self.source));
                    self.tables
                        .iter()
                        .any(|table| table.body_wrappers.contains(&name))
                })
        });
        match wrapper {
            Some(field) => Body::Opaque {
                range: field.byte_range(),
                words: super::conditions::words(*field, self.source),
            },
            None => Body::Unknown,
        }
    }

    /// `#[post("/x")]`, `#[route("/x", method = "POST")]`, poem-openapi
    /// `#[oai(path = "/x", method = "post")]` on the function that follows.
    pub(super) fn collect_attribute(&mut self, attribute: Node<'t>) {
        let Some(item) = self.parents.parent(attribute) else {
            return;
        };
        let Some(path) = named_children(attribute).first().copied() else {
            return;
        };
        let segments = path_segments(path, self.source);
        let Some(name) = segments.last() else {
            return;
        };
        let tokens = attribute_tokens(attribute);
        let mut methods = self.attribute_methods(name, &tokens);
        if methods.is_empty() && segments.len() > 1 && !tokens.is_empty() {
            methods.extend(self.wrapped_route_method(name));
        }
        if methods.is_empty() {
            return;
        }
        // The function after this attribute and any others stacked with it.
        let next = item_after_attributes(&self.parents, item);
        let Some(function) = next.filter(|n| n.kind() == "function_item") else {
            return;
        };
        let id = self.handler_id(function);
        let mut path = attribute_path(&attribute_tokens(attribute), self.source);
        let endpoint_impl = self.endpoint_impl(function);
        if let Some(endpoint_impl) = &endpoint_impl {
            path = endpoint_impl.join(path);
        }
        self.register_returned_types(function, &methods, path.as_deref(), &attribute.byte_range());
        self.declare_returned_enum(function, id);
        for method in methods {
            let (source, range) = (MethodSource::Attribute, attribute.byte_range());
            prove_route(
                &mut self.facts.handlers,
                id,
                method,
                (source, range),
                path.clone(),
            );
        }
        let needs_mount = self.route_needs_mount(name);
        if let Some(handler) = self.facts.handlers.get_mut(id) {
            let range = attribute.byte_range();
            for evidence in handler.methods.iter_mut().filter(|e| e.range == range) {
                evidence.mounted_as = endpoint_impl.as_ref().map(|i| i.type_name.clone());
                evidence.needs_mount = needs_mount;
            }
        }
    }

    /// A project's own route attribute, written as a path whose last segment is a method
    /// attribute of a table (`#[my_codegen::post(path = "..")]`, a wrapper around actix's
    /// `#[post]`): the method that segment names, whatever its arguments.
    fn wrapped_route_method(&self, name: &str) -> Option<Method> {
        self.tables
            .iter()
            .filter_map(|table| table.routes.as_ref())
            .find_map(|routes| routes.attributes.get(name))
            .copied()
    }

    /// The methods a route attribute named `name` with these argument tokens gives, from the
    /// first table that reads it.
    fn attribute_methods(&self, name: &str, tokens: &[Node<'t>]) -> Vec<Method> {
        let mut methods = Vec::new();
        for table in &self.tables {
            let Some(routes) = &table.routes else {
                continue;
            };
            // `#[post("/x")]`: the attribute's first argument is the path literal.
            if let Some(method) = routes.attributes.get(name).copied()
                && tokens.get(1).is_some_and(|t| t.kind() == "string_literal")
            {
                return vec![method];
            }
            let Some(attribute) = routes
                .method_attributes
                .iter()
                .find(|attribute| attribute.attribute == name)
            else {
                continue;
            };
            let key = attribute.key.as_str();
            for index in 0..tokens.len() {
                let Some(method) = self.method_token(tokens, index, key) else {
                    continue;
                };
                if !methods.contains(&method) {
                    methods.push(method);
                }
            }
            if !methods.is_empty() {
                break;
            }
        }
        methods
    }

    /// The method the token at `index` names: the value after `<key> =`
    /// (`#[route("/x", method = "POST")]`), or Rocket's bare upper-case method first
    /// (`#[route(GET, uri = "/")]`).
    fn method_token(&self, tokens: &[Node<'t>], index: usize, key: &str) -> Option<Method> {
        let token = *tokens.get(index)?;
        if token.kind() != "identifier" {
            return None;
        }
        let value = if text(token, self.source) == key {
            match (tokens.get(index + 1), tokens.get(index + 2)) {
                (Some(eq), Some(value)) if text(*eq, self.source) == "=" => *value,
                _ => return None,
            }
        } else if index == 1 {
            token
        } else {
            return None;
        };
        let word = match value.kind() {
            "string_literal" => string_value(value, self.source),
            "identifier" => Some(text(value, self.source).to_string())
                .filter(|w| w.chars().all(|c| c.is_ascii_uppercase())),
            _ => None,
        };
        word.as_deref().and_then(Method::parse)
    }
}
