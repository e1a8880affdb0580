//! The response around a status site: whether the site sets it, and the headers, body and
//! body-less form its construction shows (builders, tuples, status functions).

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{in_table, last_two, path_segments};
use super::positions::{climb_wrappers, in_response_position};
use crate::node_util::{named_children, text};
use hsl_facts::{Body, HeaderFact, Replacement, SiteRole};
use hsl_tables::TupleStatus;

/// The response around a status site: whether the site sets it, the headers and body its
/// construction shows, and how to send the same response without its body.
pub(super) struct ResponseShape {
    pub role: SiteRole,
    pub headers: Vec<HeaderFact>,
    pub body: Body,
    pub without_body: Option<Replacement>,
}

impl ResponseShape {
    /// A site that sets the response's status.
    pub fn sets(headers: Vec<HeaderFact>, body: Body, without_body: Option<Replacement>) -> Self {
        ResponseShape {
            role: SiteRole::Sets,
            headers,
            body,
            without_body,
        }
    }

    /// A site that only mentions a status.
    pub fn mention() -> Self {
        ResponseShape {
            role: SiteRole::Mentions,
            headers: Vec::new(),
            body: Body::Unknown,
            without_body: None,
        }
    }
}

impl<'t> Extractor<'_, 't> {
    /// The response around the status site `expr`: set when the site is what the handler
    /// returns (through the constructions that carry a status), only mentioned otherwise.
    pub(super) fn response_shape(&self, expr: Node<'t>) -> ResponseShape {
        let expr = climb_wrappers(&self.parents, expr, self.source);
        let Some(parent) = self.parents.parent(expr) else {
            return ResponseShape::mention();
        };
        let shape = match parent.kind() {
            "field_expression" => self.status_with_headers(expr, parent),
            "arguments" => self
                .status_method_argument(parent)
                .or_else(|| self.status_fn_argument(expr, parent)),
            // `*res.status_mut() = x`.
            "assignment_expression"
                if parent
                    .child_by_field_name("left")
                    .is_some_and(|left| text(left, self.source).contains("status_mut()")) =>
            {
                Some(ResponseShape::sets(Vec::new(), Body::Unknown, None))
            }
            "tuple_expression" => Some(self.tuple_shape(expr, parent)),
            _ => None,
        };
        shape.unwrap_or_else(|| {
            if self.returned(expr) {
                ResponseShape::sets(Vec::new(), Body::None, None)
            } else {
                ResponseShape::mention()
            }
        })
    }

    /// Whether `node` is what the handler returns ([`in_response_position`]).
    fn returned(&self, node: Node<'t>) -> bool {
        in_response_position(&self.parents, node, self.source, &self.handler_table)
    }

    /// poem `StatusCode::FOUND.with_header(LOCATION, u)`: a bare status with headers; `None`
    /// when the method is not a header method.
    fn status_with_headers(&self, expr: Node<'t>, parent: Node<'t>) -> Option<ResponseShape> {
        let field = parent.child_by_field_name("field")?;
        if !self.is_header_method(text(field, self.source)) {
            return None;
        }
        let call = self
            .parents
            .parent(parent)
            .filter(|p| p.kind() == "call_expression")?;
        let (headers, body, without_body) = self.builder_chain(expr);
        let mut top = call;
        while let Some(outer) = self
            .parents
            .parent(top)
            .filter(|p| p.kind() == "field_expression")
            .and_then(|p| self.parents.parent(p))
            .filter(|p| p.kind() == "call_expression")
        {
            top = outer;
        }
        let top = climb_wrappers(&self.parents, top, self.source);
        if !self.returned(top) {
            return Some(ResponseShape::mention());
        }
        let body = if body == Body::Unknown {
            Body::None
        } else {
            body
        };
        Some(ResponseShape::sets(headers, body, without_body))
    }

    /// `.status(x)` on a builder: the chain above it is the response.
    fn status_method_argument(&self, arguments: Node<'t>) -> Option<ResponseShape> {
        let call = self.parents.parent(arguments)?;
        let function = call.child_by_field_name("function")?;
        let field = function.child_by_field_name("field")?;
        let method = text(field, self.source);
        if !self.is_status_method(method) {
            return None;
        }
        let (headers, mut body, without_body) = self.builder_chain(call);
        // `web::Json(x).customize().with_status(..)`: the responder is the body.
        let receiver_is_body = self.tables.iter().any(|table| {
            table
                .status_methods
                .iter()
                .any(|m| m.method == method && m.receiver_is_body)
        });
        if receiver_is_body
            && body == Body::Unknown
            && let Some(receiver) = function.child_by_field_name("value")
        {
            body = self.body_of(self.chain_root(receiver));
        }
        Some(ResponseShape::sets(headers, body, without_body))
    }

    /// `HttpResponse::build(StatusCode::X)`, warp `reply::with_status(r, StatusCode::X)`: the
    /// status argument of a function that makes a response.
    fn status_fn_argument(&self, expr: Node<'t>, arguments: Node<'t>) -> Option<ResponseShape> {
        let call = self.parents.parent(arguments)?;
        let status_fn = self.status_fn(call)?;
        let args = named_children(arguments);
        if args.get(status_fn.status_arg).map(|a| a.id()) != Some(expr.id()) {
            return None;
        }
        let (headers, mut body, without_body) = self.builder_chain(call);
        if let Some(arg) = status_fn.body_arg.and_then(|i| args.get(i))
            && body == Body::Unknown
        {
            // `let json = warp::reply::json(&x);` … `with_status(json, code)`.
            let value = match arg.kind() {
                "identifier" => self.bound_value(*arg).unwrap_or(*arg),
                _ => *arg,
            };
            body = self.body_of(value);
        }
        Some(ResponseShape::sets(headers, body, without_body))
    }

    /// A status in a responder tuple: first (axum), last after a body (actix-web), or last
    /// after header parts (axum's `(T1, .., R)`).
    fn tuple_shape(&self, expr: Node<'t>, tuple: Node<'t>) -> ResponseShape {
        let elements = named_children(tuple);
        let first = elements.first().map(|e| e.id()) == Some(expr.id());
        if first && self.returned(tuple) {
            return self.status_first(expr, tuple, &elements);
        }
        let last = elements.last().map(|e| e.id()) == Some(expr.id());
        // actix-web `(web::Json(x), StatusCode::CREATED)`: body first, status last.
        if last
            && let [body, _] = elements.as_slice()
            && self.responder_tuple_status_last()
            && self.returned(tuple)
        {
            let without_body = Some(Replacement {
                range: tuple.byte_range(),
                text: text(expr, self.source).to_string(),
            });
            return ResponseShape::sets(Vec::new(), self.body_of(*body), without_body);
        }
        // `([(header::LOCATION, url)], StatusCode::FOUND)`: parts, then a bare status as the
        // response they are applied to.
        if last && elements.len() >= 2 && self.returned(tuple) {
            let mut headers = Vec::new();
            for element in &elements[..elements.len() - 1] {
                self.headers_of(*element, &mut headers);
            }
            return ResponseShape::sets(headers, Body::None, None);
        }
        ResponseShape::mention()
    }

    /// `(StatusCode::CREATED, [(header::LOCATION, url)], Json(x))`: header parts, then the body
    /// (or a last header array).
    fn status_first(
        &self,
        expr: Node<'t>,
        tuple: Node<'t>,
        elements: &[Node<'t>],
    ) -> ResponseShape {
        let mut headers = Vec::new();
        let last = elements.len().saturating_sub(1);
        for element in &elements[1..last.max(1)] {
            self.headers_of(*element, &mut headers);
        }
        let body = match elements.last() {
            Some(last) if elements.len() >= 2 => {
                if last.kind() == "array_expression" {
                    self.headers_of(*last, &mut headers);
                    Body::None
                } else {
                    self.body_of(*last)
                }
            }
            _ => Body::None,
        };
        // Two elements: the bare status; more: the tuple without its last element.
        let without_body = match elements {
            [_, _] => Some(Replacement {
                range: tuple.byte_range(),
                text: text(expr, self.source).to_string(),
            }),
            [.., before_last, last] => Some(Replacement {
                range: before_last.end_byte()..last.end_byte(),
                text: String::new(),
            }),
            _ => None,
        };
        ResponseShape::sets(headers, body, without_body)
    }

    /// Whether a framework the file imports writes responder tuples status last (actix-web).
    pub(super) fn responder_tuple_status_last(&self) -> bool {
        self.tables.iter().any(|table| {
            self.facts.frameworks.contains(&table.id)
                && table.responder_tuple_status == Some(TupleStatus::Last)
        })
    }

    /// The table entry of a call whose argument is a status (`HttpResponse::build(s)`).
    pub(super) fn status_fn(&self, call: Node<'t>) -> Option<&'static hsl_tables::StatusFn> {
        let function = call.child_by_field_name("function")?;
        if !matches!(function.kind(), "identifier" | "scoped_identifier") {
            return None;
        }
        let segments = path_segments(function, self.source);
        let (name, ty) = last_two(&segments)?;
        let ty = self.imported_name(ty);
        self.tables.iter().find_map(|table| {
            table.status_fns.iter().find(|status_fn| {
                let mut parts = status_fn.path.rsplit("::");
                parts.next() == Some(name) && parts.next() == Some(ty.as_str())
            })
        })
    }

    /// The start of a method chain: `web::Json(x)` in `web::Json(x).customize()`, skipping
    /// calls without arguments and header or status methods.
    pub(super) fn chain_root(&self, mut node: Node<'t>) -> Node<'t> {
        for _ in 0..32 {
            let Some(function) = node
                .child_by_field_name("function")
                .filter(|f| node.kind() == "call_expression" && f.kind() == "field_expression")
            else {
                return node;
            };
            let name = function
                .child_by_field_name("field")
                .map_or("", |f| text(f, self.source));
            let no_args = node
                .child_by_field_name("arguments")
                .is_none_or(|args| named_children(args).is_empty());
            let passes = no_args
                || self.is_status_method(name)
                || self
                    .tables
                    .iter()
                    .any(|table| table.header_methods.iter().any(|m| m.method == name));
            // `"x".to_string()` is still the body; keep it whole for `body_of`.
            if !passes || in_table(name, |t| &t.string_conversions) {
                return node;
            }
            let Some(receiver) = function.child_by_field_name("value") else {
                return node;
            };
            node = receiver;
        }
        node
    }

    /// Whether a table names `name` as a method that sets a header.
    pub(super) fn is_header_method(&self, name: &str) -> bool {
        self.tables
            .iter()
            .any(|table| table.header_methods.iter().any(|m| m.method == name))
    }

    /// Whether a table names `name` as a method that sets the status.
    pub(super) fn is_status_method(&self, name: &str) -> bool {
        self.tables
            .iter()
            .any(|table| table.status_methods.iter().any(|m| m.method == name))
    }

    /// Headers and body of a builder chain, from the call that sets the status upwards.
    pub(super) fn builder_chain(
        &self,
        status_call: Node<'t>,
    ) -> (Vec<HeaderFact>, Body, Option<Replacement>) {
        let mut headers = Vec::new();
        let mut body = Body::Unknown;
        let mut without_body = None;
        let mut current = status_call;
        // Walk up while the current call is the receiver of another method call.
        while let Some(field_expr) = self
            .parents
            .parent(current)
            .filter(|p| p.kind() == "field_expression")
        {
            let Some(call) = self
                .parents
                .parent(field_expr)
                .filter(|p| p.kind() == "call_expression")
            else {
                break;
            };
            let Some(field) = field_expr.child_by_field_name("field") else {
                break;
            };
            let name = text(field, self.source);
            let args = call
                .child_by_field_name("arguments")
                .map(named_children)
                .unwrap_or_default();
            for table in &self.tables {
                self.headers_set_by(table, name, &args, &mut headers);
                for method in table.body_methods.iter().filter(|m| m.method == name) {
                    let arg = args.get(method.arg).copied();
                    body = arg.map_or(Body::None, |arg| self.body_of(arg));
                    without_body = self.without_builder_body(field, call, arg);
                }
                if table.empty_body_methods.iter().any(|m| m == name) {
                    body = Body::None;
                }
            }
            current = call;
        }
        (headers, body, without_body)
    }

    /// The same builder without its body: actix `.json(x)` becomes `.finish()`; otherwise
    /// `.body(Body::empty())`, when the body's type is known.
    fn without_builder_body(
        &self,
        field: Node<'t>,
        call: Node<'t>,
        arg: Option<Node<'t>>,
    ) -> Option<Replacement> {
        match self.builder_finish() {
            Some(finish) => Some(Replacement {
                range: field.start_byte()..call.end_byte(),
                text: finish,
            }),
            None => arg.and_then(|arg| self.empty_body_like(arg)),
        }
    }

    /// The call that ends a builder without a body, from a table of a framework the file
    /// imports (actix `finish()`).
    pub(super) fn builder_finish(&self) -> Option<String> {
        self.tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id))
            .find_map(|table| table.empty_body_methods.first())
            .map(|method| format!("{method}()"))
    }
}
