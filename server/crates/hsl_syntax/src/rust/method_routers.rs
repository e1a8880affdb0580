//! The methods a route expression names: axum method routers (`post(h).get(g)`, `on(filter, h)`),
//! actix routes built before their handler (`web::post().to(h)`), warp method filters, and
//! method filters joined with `.or(..)`.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{last_two, path_segments, path_segments_of};
use crate::node_util::{named_children, text};
use hsl_facts::{ByteRange, Method};
use hsl_tables::{Framework, Routes};

impl<'t> Extractor<'_, 't> {
    /// The methods a method router expression names with their handlers: `post(h).get(g)`,
    /// `get(a).on(MethodFilter::POST, b)`, actix `web::post().to(h)`.
    pub(super) fn method_router_entries(
        &self,
        expr: Node<'t>,
        table: &Framework,
        entries: &mut Vec<(Method, Node<'t>, ByteRange)>,
    ) {
        let Some(routes) = &table.routes else {
            return;
        };
        // `get(a).post(b).put(c)`: the chain's calls, read from the first outwards. A chain is
        // as long as its text, so it is walked, not recursed.
        let mut calls = Vec::new();
        let mut current = expr;
        while current.kind() == "call_expression"
            && let Some(function) = current.child_by_field_name("function")
        {
            if function.kind() != "field_expression" {
                calls.push(current);
                break;
            }
            let (Some(receiver), Some(_)) = (
                function.child_by_field_name("value"),
                function.child_by_field_name("field"),
            ) else {
                break;
            };
            calls.push(current);
            current = receiver;
        }
        for call in calls.into_iter().rev() {
            self.method_router_entry(call, routes, entries);
        }
    }

    /// The entries one call of a method router chain adds ([`Self::method_router_entries`]).
    fn method_router_entry(
        &self,
        expr: Node<'t>,
        routes: &Routes,
        entries: &mut Vec<(Method, Node<'t>, ByteRange)>,
    ) {
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
        if let Some(method) = routes.router_fns.get(name).copied()
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
        let method = routes.filter_fns.get(name).copied()?;
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
                && let Some(method) = routes.router_fns.get(&name).copied()
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
        let Some(_level) = crate::depth::Nesting::enter() else {
            return Vec::new();
        };
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
