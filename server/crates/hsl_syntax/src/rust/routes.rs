//! Route registrations: axum method routers, actix resources and routes, warp filter chains,
//! typed routes, and handler paths written inside inline modules.

use tree_sitter::Node;

use super::Extractor;
use super::imports::inline_module_path;
use super::nodes::path_segments;
use crate::handlers::prove_method;
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{
    ByteRange, HandlerId, HandlerRef, Method, MethodSource, RegistrationKind, RouteRegistration,
};
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
    let method = routes.typed_methods.get(name).copied()?;
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
        if self.collect_mount(name, &args, range.clone()) {
            return;
        }
        if matches!(name, "and" | "or") {
            for table in self.tables.clone() {
                if let Some(routes) = &table.routes
                    && self.collect_filter_mount(routes, call, name, &args)
                {
                    return;
                }
            }
        }
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
                let path = self.under_scope(routes, call, path);
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
        let method = routes.router_fns.get(name).copied()?;
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
    /// before the handler, and the path its path filters match (`filter_paths`); `None` when
    /// the chain has alternatives or no method filter.
    fn filter_chain_route(
        &mut self,
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
        let path = self.filter_chain_path(routes, receiver);
        (!entries.is_empty()).then_some((entries, path))
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

    /// Records one registration per method and handler; a handler of this file (a closure, a
    /// function in an inline module) also learns the method directly.
    pub(super) fn register(
        &mut self,
        entries: Vec<(Method, Node<'t>, ByteRange)>,
        path: Option<String>,
    ) {
        let scope = entries
            .first()
            .and_then(|(_, handler, _)| self.enclosing_function(*handler));
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
                scope: scope.clone(),
                kind: RegistrationKind::Route,
                declared: None,
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
        self.questions.get_mut().look_outside();
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
}

impl<'t> Extractor<'_, 't> {
    /// A mount (`.nest("/api", api())`, Rocket `.mount("/api", routes![a, b])`): recorded as a
    /// registration of the router or of each handler under the prefix. `true` when `name` is a
    /// mount call of some table with a literal prefix.
    fn collect_mount(&mut self, name: &str, args: &[Node<'t>], range: ByteRange) -> bool {
        let mounts = self
            .tables
            .iter()
            .filter_map(|t| t.routes.as_ref())
            .any(|routes| routes.mount_calls.iter().any(|call| call == name));
        let [prefix, target] = args else {
            return false;
        };
        let Some(prefix) = string_value(*prefix, self.source).filter(|_| mounts) else {
            return false;
        };
        let scope = self.enclosing_function(*target);
        let (kind, targets) = match self.mounted_api_types(*target) {
            // A service of endpoints serves the methods of the impls it is built from.
            Some(types) => (RegistrationKind::Handler, types),
            None => self.mount_targets(*target),
        };
        for segments in targets.into_iter().filter(|s| !s.is_empty()) {
            let segments = self.unalias(segments);
            let segments = self.file_relative(*target, segments);
            self.facts.registrations.push(RouteRegistration {
                methods: Vec::new(),
                path: Some(prefix.clone()),
                handler: HandlerRef::Named(segments),
                range: range.clone(),
                scope: scope.clone(),
                kind,
                declared: None,
            });
        }
        true
    }

    /// What a mount names: the handlers a macro lists (Rocket `routes![a, b]`, each mounted
    /// itself), or the router a call builds or a variable holds; nothing for another value.
    fn mount_targets(&self, target: Node<'t>) -> (RegistrationKind, Vec<Vec<String>>) {
        match target.kind() {
            "macro_invocation" => (RegistrationKind::Handler, self.macro_paths(target)),
            "call_expression" => {
                let function = target.child_by_field_name("function");
                let paths = function.map(|f| path_segments(f, self.source));
                (RegistrationKind::Router, paths.into_iter().collect())
            }
            "identifier" | "scoped_identifier" => (
                RegistrationKind::Router,
                vec![path_segments(target, self.source)],
            ),
            _ => (RegistrationKind::Router, Vec::new()),
        }
    }

    /// The paths a macro's token tree lists (`routes![notes::list, notes::create]`).
    fn macro_paths(&self, invocation: Node<'t>) -> Vec<Vec<String>> {
        let Some(tree) = named_children(invocation)
            .into_iter()
            .find(|n| n.kind() == "token_tree")
        else {
            return Vec::new();
        };
        let inner = text(tree, self.source)
            .trim_start_matches(['[', '(', '{'])
            .trim_end_matches([']', ')', '}']);
        inner
            .split(',')
            .map(|item| {
                item.split("::")
                    .map(|segment| segment.trim().to_string())
                    .collect::<Vec<String>>()
            })
            .filter(|segments| {
                segments.iter().all(|segment| {
                    !segment.is_empty() && segment.chars().all(|c| c.is_alphanumeric() || c == '_')
                })
            })
            .collect()
    }

    /// The name of the function whose body holds `node`: the router a registration adds to.
    pub(super) fn enclosing_function(&self, node: Node<'t>) -> Option<String> {
        let function = self
            .parents
            .ancestors(node)
            .find(|ancestor| ancestor.kind() == "function_item")?;
        let name = function.child_by_field_name("name")?;
        Some(text(name, self.source).to_string())
    }

    /// A path registered on a chain that starts in a scope (actix `web::scope("/posts/{id}")
    /// .route("", ..)`) sits under the scope's path; a method route added to a resource
    /// (`web::resource("/posts").route(web::post().to(h))`) has the resource's path.
    fn under_scope(&self, routes: &Routes, call: Node<'t>, path: Option<String>) -> Option<String> {
        if routes.scope_fns.is_empty() && routes.resource_fns.is_empty() {
            return path;
        }
        let Some(root) = self.chain_root_call(call).filter(|root| *root != call) else {
            return path;
        };
        let Some(opener) = root
            .child_by_field_name("function")
            .map(|f| path_segments(f, self.source))
            .and_then(|segments| segments.last().cloned())
        else {
            return path;
        };
        let base = || {
            root.child_by_field_name("arguments")
                .and_then(|a| named_children(a).first().copied())
                .and_then(|a| string_value(a, self.source))
        };
        if routes.scope_fns.contains(&opener) {
            return Some(format!("{}{}", base()?, path?));
        }
        if routes.resource_fns.contains(&opener) && path.is_none() {
            return base();
        }
        path
    }
}
