//! A status helper named as a function value instead of called: actix
//! `web::head().to(HttpResponse::MethodNotAllowed)` registers the helper itself as the handler,
//! and `.map_err(error::ErrorInternalServerError)?` makes it the error the `?` returns. Either way
//! the helper's code is sent.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{in_table, method_name, rust_tables};
use super::positions::propagates_error;
use super::responses::ResponseShape;
use hsl_facts::{Body, HeaderFact, Spelling, StatusSite};

impl<'t> Extractor<'_, 't> {
    /// `HttpResponse::MethodNotAllowed` or `error::ErrorNotFound` given as a value to a route's
    /// handler method or to an error adapter whose error is returned: a status site of the
    /// helper's code.
    pub(super) fn helper_path_site(&mut self, path: Node<'t>, ty: &str, name: &str) {
        let Some(name_node) = path.child_by_field_name("name") else {
            return;
        };
        let Some(call) = self
            .parents
            .parent(path)
            .filter(|parent| parent.kind() == "arguments")
            .and_then(|arguments| self.parents.parent(arguments))
        else {
            return;
        };
        let Some(method) = method_name(call, self.source) else {
            return;
        };
        let handler = rust_tables()
            .filter_map(|table| table.routes.as_ref())
            .any(|routes| routes.handler_methods.iter().any(|m| m == method));
        let error = in_table(method, |t| &t.error_adapters)
            && propagates_error(&self.parents, call, self.source);
        if !handler && !error {
            return;
        }
        let Some((table, family, code)) = self.helper_in_families(ty, name) else {
            return;
        };
        let status = StatusSite {
            code: Some(code),
            spelling: Spelling::Helper {
                family: family.id.clone(),
                name: name.to_string(),
                name_range: name_node.byte_range(),
            },
            range: path.byte_range(),
            framework: table.id.clone(),
        };
        let headers: Vec<HeaderFact> = family
            .sets_header
            .iter()
            .map(|header| HeaderFact {
                name: header.clone(),
                range: path.byte_range(),
            })
            .collect();
        if handler {
            // Called with no arguments, the builder is the whole response: its headers, no
            // body.
            let body = if family.builder {
                Body::None
            } else {
                Body::Unknown
            };
            self.push_shaped(path, status, ResponseShape::sets(headers, body, None));
            // The route sends it, not the function that registers the route.
            if let Some(response) = self.facts.responses.last_mut() {
                response.headers_complete = family.builder;
                response.handler = None;
            }
        } else {
            let shape = ResponseShape::sets(headers, Body::Unknown, None);
            self.push_shaped(path, status, shape);
        }
    }
}
