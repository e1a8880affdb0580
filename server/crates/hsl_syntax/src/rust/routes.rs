//! Route registrations: axum method routers, actix resources and routes, warp filter chains,
//! typed routes, and handler paths written inside inline modules.

use crate::handlers::prove_method;
use tree_sitter::Node;

use super::Extractor;
use super::imports::inline_module_path;
use super::nodes::{last_two, path_segments, path_segments_of};
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{ByteRange, HandlerId, HandlerRef, Method, MethodSource, RouteRegistration};
use hsl_tables::{Framework, Routes};

/// What a registration call registers: each method with its handler and the call that names
/// the method, and the route's path.
type Registered<'t> = (Vec<(Method, Node<'t>, ByteRange)>, Option<String>);

/// axum-extra `.typed_post(h)`: the method is in the call's name.
fn typed_route<'t>(
    routes: &Routes,
    name: &str,
    args: &[Node<'t>],
    range: &ByteRange,
) -> Option<Registered<'t>> {
    let method = routes
        .typed_methods
        .get(name)
        .and_then(|m| Method::parse(m))?;
    let handler = args.first()?;
    Some((vec![(method, *handler, range.clone())], None))
}

/// The handler and the filter chain of warp's `<filters>.and_then(h)`.
fn filter_chain_parts<'t>(
    routes: &Routes,
    call: Node<'t>,
    name: &str,
    args: &[Node<'t>],
) -> Option<(Node<'t>, Node<'t>)> {
    if !routes.chain_handler_methods.iter().any(|m| m == name) {
        return None;
    }
    let [handler] = args else {
        return None;
    };
    let receiver = call
        .child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("value"))?;
    Some((*handler, receiver))
}

impl<'t> Extractor<'_, 't> {
    /// `.route("/x", post(h).get(g))` and axum-extra `.typed_post(h)`.
    pub(super) fn collect_registration(&mut self, call: Node<'t>) {
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
        let range = field.byte_range();
        for table in self.tables.clone() {
            let Some(routes) = &table.routes else {
                continue;
            };
            let found = match typed_route(routes, name, &args, &range)
                .or_else(|| self.resource_route(routes, call, name, &args, &range))
            {
                Some(found) => Some(found),
                None => match filter_chain_parts(routes, call, name, &args) {
                    Some((handler, receiver)) => self.filter_chain_route(routes, handler, receiver),
                    None => self.method_router_route(table, routes, name, &args),
                },
            };
            if let Some((entries, path)) = found {
                self.register(entries, path);
                return;
            }
        }
    }

    /// actix `web::resource("/x").get(h).post(h2)`: a method call on a resource.
    fn resource_route(
        &self,
        routes: &Routes,
        call: Node<'t>,
        name: &str,
        args: &[Node<'t>],
        range: &ByteRange,
    ) -> Option<Registered<'t>> {
        let method = routes.router_fns.get(name).and_then(|m| Method::parse(m))?;
        let [handler] = args else {
            return None;
        };
        if routes.resource_fns.is_empty() {
            return None;
        }
        let resource = self.chain_root_call(call)?;
        let function = resource.child_by_field_name("function")?;
        if !path_segments(function, self.source)
            .last()
            .is_some_and(|last| routes.resource_fns.contains(last))
        {
            return None;
        }
        let path = resource
            .child_by_field_name("arguments")
            .and_then(|a| named_children(a).first().copied())
            .and_then(|a| string_value(a, self.source));
        Some((vec![(method, *handler, range.clone())], path))
    }

    /// warp `warp::path("x").and(warp::post()).and_then(h)`: the method filters of the chain
    /// before the handler; `None` when the chain has alternatives or no method filter.
    fn filter_chain_route(
        &self,
        routes: &Routes,
        handler: Node<'t>,
        receiver: Node<'t>,
    ) -> Option<Registered<'t>> {
        let mut filters = Vec::new();
        if !self.chain_filters(receiver, routes, &mut filters, 0) {
            return None;
        }
        let entries: Vec<_> = filters
            .into_iter()
            .map(|(method, range)| (method, handler, range))
            .collect();
        (!entries.is_empty()).then_some((entries, None))
    }

    /// `.route("/x", post(h))`, and actix `resource.route(web::post().to(h))`: the last
    /// argument is the method router.
    fn method_router_route(
        &self,
        table: &Framework,
        routes: &Routes,
        name: &str,
        args: &[Node<'t>],
    ) -> Option<Registered<'t>> {
        if routes.register_method.as_deref() != Some(name) {
            return None;
        }
        let router = args.last()?;
        let path = match args {
            [path, _, ..] => string_value(*path, self.source),
            _ => None,
        };
        let mut entries = Vec::new();
        self.method_router_entries(*router, table, &mut entries);
        (!entries.is_empty()).then_some((entries, path))
    }

    /// A handler the registration proves directly (inline closure, function in this file).
    pub(super) fn add_registered_method(
        &mut self,
        id: HandlerId,
        method: Method,
        range: ByteRange,
    ) {
        let source = MethodSource::Registration;
        prove_method(&mut self.facts.handlers, id, method, source, range);
    }

    pub(super) fn register(
        &mut self,
        entries: Vec<(Method, Node<'t>, ByteRange)>,
        path: Option<String>,
    ) {
        for (method, handler, range) in entries {
            // `create::<Db>` names `create`.
            let handler = match handler.kind() {
                "generic_function" => handler.child_by_field_name("function").unwrap_or(handler),
                _ => handler,
            };
            let handler = match handler.kind() {
                "identifier" | "scoped_identifier" => {
                    let segments = self.unalias(path_segments(handler, self.source));
                    let segments = self.file_relative(handler, segments);
                    if let Some(function) = self.inline_module_function(handler, &segments) {
                        let id = self.handler_id(function);
                        self.add_registered_method(id, method, range.clone());
                    }
                    HandlerRef::Named(segments)
                }
                "closure_expression" => {
                    let id = self.handler_id(handler);
                    self.add_registered_method(id, method, range.clone());
                    HandlerRef::Inline(id)
                }
                _ => continue,
            };
            self.facts.registrations.push(RouteRegistration {
                methods: vec![method],
                path: path.clone(),
                handler,
                range,
            });
        }
    }

    /// A registration's path written inside inline modules (`mod api { .. post(update) .. }`),
    /// rewritten relative to the file's module (`self::api::update`), so that the workspace
    /// index resolves it from the file. Paths at the top level are returned as written.
    pub(super) fn file_relative(&self, at: Node<'t>, segments: Vec<String>) -> Vec<String> {
        let Some(mut module) = inline_module_path(&self.parents, at, self.source) else {
            return segments;
        };
        let Some((first, rest)) = segments.split_first() else {
            return segments;
        };
        match first.as_str() {
            "crate" => return segments,
            "self" => module.extend(rest.iter().cloned()),
            "super" => {
                let mut rest = segments.as_slice();
                while let Some((next, tail)) = rest.split_first()
                    && next == "super"
                    && module.pop().is_some()
                {
                    rest = tail;
                }
                // More `super`s than inline modules: they climb from the file's module.
                if rest.first().is_some_and(|next| next == "super") {
                    return rest.to_vec();
                }
                module.extend(rest.iter().cloned());
            }
            _ => module.extend(segments.iter().cloned()),
        }
        let mut path = vec!["self".to_string()];
        path.extend(module);
        path
    }

    /// The function of this file, inside an inline `mod`, that a file-relative path names
    /// (`mod handlers { pub async fn create() .. }` and `post(handlers::create)`). Functions at
    /// the file's top level are left to the workspace index.
    pub(super) fn inline_module_function(
        &mut self,
        at: Node<'t>,
        segments: &[String],
    ) -> Option<Node<'t>> {
        let path = match segments.split_first()? {
            (first, rest) if first == "self" => rest,
            (first, _) if matches!(first.as_str(), "crate" | "super") => return None,
            _ => segments,
        };
        let (name, modules) = path.split_last()?;
        if modules.is_empty() {
            return None;
        }
        // Walk down from the file's root through the named inline modules: outside this item.
        self.questions.look_outside();
        let mut scope = self.parents.ancestors(at).last()?;
        for module in modules {
            let items = match scope.kind() {
                "source_file" => scope,
                _ => scope.child_by_field_name("body")?,
            };
            scope = named_children(items).into_iter().find(|item| {
                item.kind() == "mod_item"
                    && item
                        .child_by_field_name("name")
                        .is_some_and(|n| text(n, self.source) == module)
            })?;
        }
        let body = scope.child_by_field_name("body")?;
        named_children(body).into_iter().find(|item| {
            item.kind() == "function_item"
                && item
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n, self.source) == name)
        })
    }

    pub(super) fn method_router_entries(
        &self,
        expr: Node<'t>,
        table: &Framework,
        entries: &mut Vec<(Method, Node<'t>, ByteRange)>,
    ) {
        let Some(routes) = &table.routes else {
            return;
        };
        if expr.kind() != "call_expression" {
            return;
        }
        let Some(function) = expr.child_by_field_name("function") else {
            return;
        };
        let args = expr
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        match function.kind() {
            "field_expression" => {
                let (Some(receiver), Some(field)) = (
                    function.child_by_field_name("value"),
                    function.child_by_field_name("field"),
                ) else {
                    return;
                };
                self.method_router_entries(receiver, table, entries);
                let name = text(field, self.source);
                if self.router_fn_entries(routes, name, &args, field.byte_range(), entries) {
                    return;
                }
                // actix `web::post().to(h)`: the method comes before the handler.
                if routes.handler_methods.iter().any(|m| m == name)
                    && let [handler] = args.as_slice()
                {
                    for (method, range) in self.route_methods(receiver, routes) {
                        entries.push((method, *handler, range));
                    }
                }
            }
            "identifier" | "scoped_identifier" => {
                let segments = path_segments(function, self.source);
                if let Some(name) = segments.last() {
                    self.router_fn_entries(routes, name, &args, function.byte_range(), entries);
                }
            }
            _ => {}
        }
    }

    /// `post(h)`, and `on(MethodFilter::POST, h)` (`get(a).on(..)`): a method router function
    /// named `name` at `at`, called with `args`. `false` when it is neither.
    fn router_fn_entries(
        &self,
        routes: &Routes,
        name: &str,
        args: &[Node<'t>],
        at: ByteRange,
        entries: &mut Vec<(Method, Node<'t>, ByteRange)>,
    ) -> bool {
        if let Some(method) = routes.router_fns.get(name).and_then(|m| Method::parse(m))
            && let Some(handler) = args.first()
        {
            entries.push((method, *handler, at));
            return true;
        }
        if routes.filter_fn.as_deref() == Some(name)
            && let [filter, handler, ..] = args
        {
            for method in self.method_filter(*filter, routes.filter_type.as_deref()) {
                entries.push((method, *handler, at.clone()));
            }
            return true;
        }
        false
    }

    /// The first call of a method chain (`web::resource("/x")` in
    /// `web::resource("/x").get(h).post(h2)`), when it is a plain function call.
    pub(super) fn chain_root_call(&self, call: Node<'t>) -> Option<Node<'t>> {
        let mut current = call;
        for _ in 0..64 {
            let function = current.child_by_field_name("function")?;
            match function.kind() {
                "field_expression" => {
                    current = function
                        .child_by_field_name("value")
                        .filter(|v| v.kind() == "call_expression")?;
                }
                "identifier" | "scoped_identifier" => return Some(current),
                _ => return None,
            }
        }
        None
    }

    /// The method filters of a warp filter chain (`warp::path("x").and(warp::post())`), with
    /// the call of each. `false` when the chain has alternatives (`.or(..)`), whose methods
    /// cannot be told apart.
    pub(super) fn chain_filters(
        &self,
        expr: Node<'t>,
        routes: &Routes,
        found: &mut Vec<(Method, ByteRange)>,
        depth: usize,
    ) -> bool {
        if depth > 32 || expr.kind() != "call_expression" {
            return true;
        }
        let Some(function) = expr.child_by_field_name("function") else {
            return true;
        };
        let args = expr
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        match function.kind() {
            "field_expression" => {
                let name = function
                    .child_by_field_name("field")
                    .map_or("", |f| text(f, self.source));
                if matches!(name, "or" | "or_else" | "recover") {
                    return false;
                }
                if name == "and"
                    && let [inner] = args.as_slice()
                    && !self.chain_filters(*inner, routes, found, depth + 1)
                {
                    return false;
                }
                match function.child_by_field_name("value") {
                    Some(receiver) => self.chain_filters(receiver, routes, found, depth + 1),
                    None => true,
                }
            }
            "identifier" | "scoped_identifier" => {
                if args.is_empty()
                    && let Some(method) = self.method_filter_fn(routes, function)
                {
                    found.push((method, function.byte_range()));
                }
                true
            }
            _ => true,
        }
    }

    /// The method a warp method filter names: `warp::post()`, `warp::filters::method::post()`,
    /// or `post()` imported from warp.
    fn method_filter_fn(&self, routes: &Routes, function: Node<'t>) -> Option<Method> {
        let segments = path_segments(function, self.source);
        let name = segments.last()?;
        let method = routes.filter_fns.get(name).and_then(|m| Method::parse(m))?;
        let first = match segments.first() {
            Some(first) if segments.len() > 1 => first.clone(),
            _ => self
                .facts
                .imports
                .iter()
                .find(|import| &import.local == name)
                .and_then(|import| path_segments_of(&import.module).first().cloned())
                .unwrap_or_default(),
        };
        (routes.filter_crate.as_deref() == Some(first.as_str())).then_some(method)
    }

    /// The methods a route built before its handler matches (actix `web::post()`,
    /// `web::method(Method::POST)`, `web::get().guard(..)`), with the call that names each.
    pub(super) fn route_methods(
        &self,
        expr: Node<'t>,
        routes: &Routes,
    ) -> Vec<(Method, ByteRange)> {
        let mut found = Vec::new();
        let mut current = expr;
        for _ in 0..32 {
            if current.kind() != "call_expression" {
                break;
            }
            let Some(function) = current.child_by_field_name("function") else {
                break;
            };
            let args = current
                .child_by_field_name("arguments")
                .map(named_children)
                .unwrap_or_default();
            let (name, name_node, receiver) = match function.kind() {
                "field_expression" => {
                    let Some(field) = function.child_by_field_name("field") else {
                        break;
                    };
                    (
                        text(field, self.source).to_string(),
                        field,
                        function.child_by_field_name("value"),
                    )
                }
                "identifier" | "scoped_identifier" => {
                    let segments = path_segments(function, self.source);
                    let Some(last) = segments.last() else {
                        break;
                    };
                    (last.clone(), function, None)
                }
                _ => break,
            };
            if args.is_empty()
                && receiver.is_none()
                && let Some(method) = routes.router_fns.get(&name).and_then(|m| Method::parse(m))
            {
                found.push((method, name_node.byte_range()));
            } else if routes.filter_fn.as_deref() == Some(name.as_str())
                && let [filter] = args.as_slice()
            {
                for method in self.method_filter(*filter, routes.filter_type.as_deref()) {
                    found.push((method, name_node.byte_range()));
                }
            }
            match receiver {
                Some(receiver) => current = receiver,
                None => break,
            }
        }
        found
    }

    /// `MethodFilter::POST`, or several joined with `.or(..)`: every method, or none when any
    /// part is not a literal filter.
    pub(super) fn method_filter(&self, node: Node<'t>, filter_type: Option<&str>) -> Vec<Method> {
        if node.kind() == "call_expression"
            && let Some(function) = node.child_by_field_name("function")
            && function.kind() == "field_expression"
            && function
                .child_by_field_name("field")
                .is_some_and(|field| text(field, self.source) == "or")
            && let (Some(receiver), [other]) = (
                function.child_by_field_name("value"),
                node.child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default()
                    .as_slice(),
            )
        {
            let mut methods = self.method_filter(receiver, filter_type);
            let others = self.method_filter(*other, filter_type);
            if methods.is_empty() || others.is_empty() {
                return Vec::new();
            }
            methods.extend(others);
            return methods;
        }
        if node.kind() != "scoped_identifier" {
            return Vec::new();
        }
        let segments = path_segments(node, self.source);
        match last_two(&segments) {
            Some((name, ty)) if Some(ty) == filter_type => {
                Method::parse(name).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}
