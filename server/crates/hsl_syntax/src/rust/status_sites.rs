//! Status sites: constants (`StatusCode::FOUND`), constructors (`from_u16(302)`), helpers
//! (`Redirect::to`), status methods, body wrappers, and statuses mentioned in macros.

use tree_sitter::Node;

use super::Extractor;
use super::contexts::context_of;
use super::nodes::{collect_leaves, last_two, path_segments, path_segments_of};
use super::positions::{climb_wrappers, in_response_position};
use super::responses::ResponseShape;
use crate::node_util::{integer_value, named_children, text};
use hsl_facts::{Body, ByteRange, HeaderFact, Response, SiteRole, Spelling, StatusSite};
use hsl_status_codes as status_codes;
use hsl_tables::{ConstantFamily, Framework, HelperFamily};

/// A status as written at a site, for the framework whose table recognised it.
fn status(code: Option<u16>, spelling: Spelling, range: ByteRange, framework: &str) -> StatusSite {
    StatusSite {
        code,
        spelling,
        range,
        framework: framework.to_string(),
    }
}

impl<'t> Extractor<'_, 't> {
    /// `StatusCode::FOUND` and friends.
    pub(super) fn constant_site(&mut self, path: Node<'t>) {
        if !self.is_whole_constant_path(path) {
            return;
        }
        let segments = path_segments(path, self.source);
        let Some((name, ty)) = last_two(&segments) else {
            return;
        };
        let ty = self.imported_name(ty);
        let Some(name_node) = path.child_by_field_name("name") else {
            return;
        };
        let Some((table, family, code)) = self.constant_in_families(&ty, name) else {
            self.helper_path_site(path, &ty, name);
            return;
        };
        let spelling = Spelling::Constant {
            family: family.id.clone(),
            name: name.to_string(),
            name_range: name_node.byte_range(),
        };
        let mut shape = self.response_shape(path);
        // Rocket `Status::Found` returned alone is answered with 500, not 302.
        let bare = shape.role == SiteRole::Sets
            && shape.headers.is_empty()
            && shape.body == Body::None
            && shape.without_body.is_none();
        if bare
            && !family.bare_sends.is_empty()
            && !family.bare_sends.iter().any(|range| range.contains(code))
        {
            shape.role = SiteRole::Mentions;
        }
        let status = status(Some(code), spelling, path.byte_range(), &table.id);
        // `code = StatusCode::X;` in a branch, sent later as `with_status(reply, code)`.
        if shape.role == SiteRole::Mentions && self.push_through_variable(path, &status) {
            return;
        }
        self.push_shaped(path, status, shape);
    }

    /// Whether a path is a whole constant in code: not in a `use`, not a call's function
    /// (`StatusCode::from_u16(..)` is read as a call), not the inner part of a longer path
    /// (`http::StatusCode` inside `http::StatusCode::OK`).
    fn is_whole_constant_path(&self, path: Node<'t>) -> bool {
        if self
            .parents
            .ancestors(path)
            .any(|a| a.kind() == "use_declaration")
        {
            return false;
        }
        self.parents.parent(path).is_none_or(|parent| {
            let called = parent.kind() == "call_expression"
                && parent.child_by_field_name("function").map(|f| f.id()) == Some(path.id());
            !called && parent.kind() != "scoped_identifier"
        })
    }

    /// `StatusCode::from_u16(302)` and helpers such as `Redirect::to(uri)`.
    pub(super) fn call_site(&mut self, call: Node<'t>) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        let mut segments = path_segments(function, self.source);
        if self.wrapper_site(call, function, &segments) {
            return;
        }
        // A helper imported by name (`use actix_web::error::ErrorNotFound;`) is read with the
        // path it is imported from.
        if segments.len() == 1 {
            segments = path_segments_of(&self.qualified(&segments));
        }
        let Some((name, ty)) = last_two(&segments) else {
            return;
        };
        let ty = self.imported_name(ty);
        let ty = ty.as_str();
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for table in self.tables.clone() {
            for ctor in &table.status_ctors {
                let matches = ctor.path.split("::").collect::<Vec<_>>() == [ty, name];
                if !matches {
                    continue;
                }
                let Some(arg) = args.get(ctor.arg).copied() else {
                    continue;
                };
                let Some(value) = integer_value(arg, self.source) else {
                    self.status_type_parameter(call, arg);
                    self.unread_status(arg);
                    continue;
                };
                let code = u16::try_from(value).ok();
                let status = status(code, Spelling::Number, arg.byte_range(), &table.id);
                self.push_site(call, status, Vec::new());
                return;
            }
        }
        self.helper_site(call, function, ty, name);
    }

    /// A body wrapper returned on its own (`Json(json!({ .. }))`, `Json(product)`, warp
    /// `reply::json(&json!(..))`): the implicit status of the framework the file imports, a
    /// status the handler sends (`routes`, contracts) whatever the body.
    fn wrapper_site(&mut self, call: Node<'t>, function: Node<'t>, segments: &[String]) -> bool {
        let Some(last) = segments.last() else {
            return false;
        };
        let Some((table, code)) = self.tables.iter().find_map(|table| {
            let code = table.body_wrapper_status?;
            (self.facts.frameworks.contains(&table.id)
                && table.body_wrappers.iter().any(|w| w == last))
            .then_some((*table, code))
        }) else {
            return false;
        };
        let body = self.body_of(call);
        let top = climb_wrappers(&self.parents, call, self.source);
        if !in_response_position(&self.parents, top, self.source, &self.handler_table) {
            return false;
        }
        let name_node = function.child_by_field_name("name").unwrap_or(function);
        let spelling = Spelling::ImplicitDefault {
            helper: text(name_node, self.source).to_string(),
            insert: None,
        };
        // In a catcher the body goes out with the caught status.
        let code = self.catcher_status(call).unwrap_or(Some(code));
        let status = status(code, spelling, name_node.byte_range(), &table.id);
        self.push_shaped(call, status, ResponseShape::sets(Vec::new(), body, None));
        true
    }

    /// Helpers whose name implies the code: `Redirect::to(uri)`, actix `HttpResponse::Found()`.
    fn helper_site(&mut self, call: Node<'t>, function: Node<'t>, ty: &str, name: &str) {
        let Some((table, family, code)) = self.helper_in_families(ty, name) else {
            return;
        };
        let Some(name_node) = function.child_by_field_name("name").or(
            // A helper imported by name: `ErrorNotFound(e)`.
            Some(function).filter(|f| f.kind() == "identifier"),
        ) else {
            return;
        };
        let Some((code, name_node, site)) = self.helper_modified(call, family, code, name_node)
        else {
            return;
        };
        let spelling = Spelling::Helper {
            family: family.id.clone(),
            name: text(name_node, self.source).to_string(),
            name_range: name_node.byte_range(),
        };
        let mut headers: Vec<HeaderFact> = family
            .sets_header
            .iter()
            .map(|header| HeaderFact {
                name: header.clone(),
                range: call.byte_range(),
            })
            .collect();
        let status = status(Some(code), spelling, function.byte_range(), &table.id);
        if family.builder {
            // The chain above the helper is the response: its headers and body.
            let (mut found, body, without_body) = self.builder_chain(call);
            headers.append(&mut found);
            self.push_shaped(
                call,
                status,
                ResponseShape::sets(headers, body, without_body),
            );
        } else {
            self.push_site(site, status, headers);
        }
    }

    /// The helper family that names `ty::name`. A helper name several tables define
    /// (`Redirect::to`: 303 in axum and Rocket, 307 in actix-web) is read with the table of a
    /// framework the file imports; with none imported, only when every table agrees on the code.
    pub(super) fn helper_in_families(
        &self,
        ty: &str,
        name: &str,
    ) -> Option<(&'static Framework, &'static HelperFamily, u16)> {
        let candidates: Vec<(&'static Framework, &'static HelperFamily, u16)> = self
            .tables
            .iter()
            .flat_map(|table| {
                table
                    .helper_families
                    .iter()
                    .filter(|family| family.type_name == ty)
                    .filter(|family| {
                        !family.requires_import || self.facts.frameworks.contains(&table.id)
                    })
                    .filter_map(move |family| {
                        family.codes.get(name).map(|code| (*table, family, *code))
                    })
            })
            .collect();
        let detected = candidates
            .iter()
            .find(|(table, _, _)| self.facts.frameworks.contains(&table.id));
        match detected {
            Some(found) => Some(*found),
            None => candidates
                .first()
                .filter(|(_, _, code)| candidates.iter().all(|(_, _, other)| other == code))
                .copied(),
        }
    }

    /// The methods chained on a helper: a modifier changes the code (actix
    /// `Redirect::to(u).see_other()`) and becomes the name and site; `None` when a status method
    /// sets a status of its own, which wins.
    fn helper_modified(
        &self,
        call: Node<'t>,
        family: &HelperFamily,
        mut code: u16,
        mut name_node: Node<'t>,
    ) -> Option<(u16, Node<'t>, Node<'t>)> {
        let mut top = call;
        let mut site = call;
        while let Some(field_expr) = self
            .parents
            .parent(top)
            .filter(|p| p.kind() == "field_expression")
            && let Some(outer) = self
                .parents
                .parent(field_expr)
                .filter(|p| p.kind() == "call_expression")
            && let Some(field) = field_expr.child_by_field_name("field")
        {
            let method = text(field, self.source);
            if let Some(modified) = family.modifiers.get(method) {
                code = *modified;
                name_node = field;
                site = outer;
            } else if self.is_status_method(method) {
                return None;
            }
            top = outer;
        }
        Some((code, name_node, site))
    }

    /// `Response::builder().status(302)`: a number straight into a status method.
    pub(super) fn status_method_site(&mut self, call: Node<'t>) {
        let Some(field) = call
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("field"))
        else {
            return;
        };
        let name = text(field, self.source);
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for table in self.tables.clone() {
            for method in &table.status_methods {
                if method.method != name {
                    continue;
                }
                let Some(arg) = args.get(method.arg).copied() else {
                    continue;
                };
                let Some(value) = integer_value(arg, self.source) else {
                    self.unread_status(arg);
                    continue;
                };
                let code = u16::try_from(value).ok();
                let status = status(code, Spelling::Number, arg.byte_range(), &table.id);
                self.push_site(arg, status, Vec::new());
                return;
            }
        }
    }

    /// Statuses inside a macro's tokens (`assert_eq!(res.status(), StatusCode::FOUND)`): found by
    /// a token scan, since macro bodies have no expression tree. They are mentions, never sets.
    pub(super) fn macro_sites(&mut self, tokens: Node<'t>) {
        // Only the outermost token tree of a macro is scanned; nested trees are part of it.
        if self
            .parents
            .parent(tokens)
            .is_some_and(|p| p.kind() == "token_tree")
        {
            return;
        }
        let mut leaves = Vec::new();
        collect_leaves(tokens, &mut leaves);
        for window in leaves.windows(3) {
            let [leaf, next, after] = window else {
                continue;
            };
            let word = text(*leaf, self.source);
            match text(*next, self.source) {
                "::" if after.kind() == "identifier" => self.macro_constant(*leaf, word, *after),
                "(" if after.kind() == "integer_literal" => self.macro_constructor(word, *after),
                _ => {}
            }
        }
    }

    /// `StatusCode::FOUND` among a macro's tokens: `leaf` is the type, `name` the constant.
    fn macro_constant(&mut self, leaf: Node<'t>, ty: &str, name: Node<'t>) {
        let written = text(name, self.source);
        let Some((table, family, code)) = self.constant_in_families(ty, written) else {
            return;
        };
        let spelling = Spelling::Constant {
            family: family.id.clone(),
            name: written.to_string(),
            name_range: name.byte_range(),
        };
        let range = leaf.start_byte()..name.end_byte();
        self.push_mention(leaf, status(Some(code), spelling, range, &table.id));
    }

    /// `from_u16(302)` among a macro's tokens: `word` names a status constructor of a table.
    fn macro_constructor(&mut self, word: &str, number: Node<'t>) {
        let is_ctor = self.tables.iter().any(|table| {
            table
                .status_ctors
                .iter()
                .any(|ctor| ctor.path.rsplit("::").next() == Some(word))
        });
        if !is_ctor {
            return;
        }
        let Some(value) = integer_value(number, self.source) else {
            return;
        };
        let table_id = self
            .tables
            .first()
            .map(|t| t.id.clone())
            .unwrap_or_default();
        let code = u16::try_from(value).ok();
        let status = status(code, Spelling::Number, number.byte_range(), &table_id);
        self.push_mention(number, status);
    }

    /// The constant family that names `ty::name`, with its table and the constant's code: the
    /// family's own names, else the registry column it follows.
    pub(super) fn constant_in_families(
        &self,
        ty: &str,
        name: &str,
    ) -> Option<(&'static Framework, &'static ConstantFamily, u16)> {
        for table in &self.tables {
            for family in &table.constant_families {
                if family.type_name != ty
                    || (family.requires_import && !self.facts.frameworks.contains(&table.id))
                {
                    continue;
                }
                let code = family.names.get(name).copied().or_else(|| {
                    family
                        .registry_column
                        .as_deref()
                        .and_then(|column| status_codes::by_column(column, name))
                        .map(|entry| entry.code)
                });
                if let Some(code) = code {
                    return Some((*table, family, code));
                }
            }
        }
        None
    }

    /// Notes a status argument that is not a number (a constant, read on its own, or a
    /// variable): its handler may send a status there that no site names.
    fn unread_status(&mut self, arg: Node<'t>) {
        if let Some(id) = self.enclosing_handler(arg)
            && let Some(handler) = self.facts.handlers.get_mut(id)
        {
            handler.escapes.push(arg.byte_range());
        }
    }

    /// Records a status that is only mentioned (in a macro, a test's assertion).
    fn push_mention(&mut self, node: Node<'t>, status: StatusSite) {
        let handler = self.enclosing_handler(node);
        self.facts
            .responses
            .push(Response::bare(status, handler, SiteRole::Mentions));
    }

    /// Records a site and works out whether it sets a response's status, and what else that
    /// response shows (headers, body); `headers` are those the site itself sets.
    fn push_site(&mut self, expr: Node<'t>, status: StatusSite, mut headers: Vec<HeaderFact>) {
        let mut shape = self.response_shape(expr);
        headers.append(&mut shape.headers);
        shape.headers = headers;
        self.push_shaped(expr, status, shape);
    }

    /// Records a site whose response shape is already known.
    pub(super) fn push_shaped(&mut self, expr: Node<'t>, status: StatusSite, shape: ResponseShape) {
        let ResponseShape {
            role,
            mut headers,
            body,
            without_body,
        } = shape;
        let handler = self.enclosing_handler(expr);
        let handler_range = handler.map(|id| self.facts.handlers[id].range.clone());
        let context = context_of(&self.parents, expr, handler_range, self.source);
        let sets = role == SiteRole::Sets;
        let headers_complete = sets && self.headers_complete(expr, &mut headers);
        let header_insert = if sets {
            self.header_insertion(expr)
        } else {
            None
        };
        self.facts.responses.push(Response {
            status,
            headers_complete,
            header_insert,
            headers,
            body,
            context,
            handler,
            role,
            without_body,
        });
    }
}
