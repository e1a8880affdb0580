//! Route registrations (`app.post('/x', h)`, `router.route('/x').get(a)`, route objects) and
//! the question whether a receiver is an app or router the file creates.

use tree_sitter::Node;

use super::bodies::key_text;
use super::method_branches::upper_method;
use super::nodes::member_path;
use super::{CallChain, ChainCall, Extractor};
use crate::handlers::prove_method;
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{
    ByteRange, DeclaredResponses, HandlerRef, Method, MethodSource, RegistrationKind,
    RouteRegistration,
};
use hsl_tables::Routes;

/// Methods written as a literal: `'POST'` or `['PUT', 'PATCH']` (upper case, as requests carry
/// them); `None` when any is not a literal method.
pub(super) fn method_list(node: Node<'_>, source: &str) -> Option<Vec<Method>> {
    let items = match node.kind() {
        "array" => named_children(node),
        _ => vec![node],
    };
    let methods: Option<Vec<Method>> = items
        .into_iter()
        .map(|item| upper_method(item, source))
        .collect();
    methods.filter(|m| !m.is_empty())
}

/// Methods written as a literal array in any case (`['get', 'post']`), for a router that
/// upper-cases them itself; `None` when any is not a literal method.
fn method_array_any_case(node: Node<'_>, source: &str) -> Option<Vec<Method>> {
    if node.kind() != "array" {
        return None;
    }
    let methods: Option<Vec<Method>> = named_children(node)
        .into_iter()
        .map(|item| string_value(item, source).and_then(|name| Method::parse(&name)))
        .collect();
    methods.filter(|m| !m.is_empty())
}

/// Byte offsets where `name` is written as a declared name: a whole word followed by `=` (not
/// `==`/`=>`), possibly after a type annotation on the same line. A cheap text scan that spares
/// the tree walk; [`declared_value`] confirms each site in the tree.
pub(super) fn declaration_sites<'a>(
    source: &'a str,
    name: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let is_word = |ch: char| ch.is_alphanumeric() || ch == '_' || ch == '$';
    source.match_indices(name).filter_map(move |(at, _)| {
        if source.get(..at)?.chars().next_back().is_some_and(is_word) {
            return None;
        }
        let rest = source.get(at + name.len()..)?;
        if rest.chars().next().is_some_and(is_word) {
            return None;
        }
        let line = rest.split('\n').next().unwrap_or("");
        let after = line.trim_start();
        let after = match after.strip_prefix(':') {
            Some(typed) => typed.get(typed.find('=')?..)?,
            None => after,
        };
        let after = after.strip_prefix('=')?;
        (!after.starts_with(['=', '>'])).then_some(at)
    })
}

/// The value of the `variable_declarator` whose name is the identifier at `at..at + len`,
/// found by descending from the root (tree-sitter's `parent` walks from the root anyway).
pub(super) fn declared_value(root: Node<'_>, at: usize, len: usize) -> Option<Node<'_>> {
    let mut cursor = root.walk();
    let mut declarator = None;
    loop {
        let node = cursor.node();
        if node.start_byte() == at && node.end_byte() == at + len {
            let is_name = node.kind() == "identifier" && cursor.field_name() == Some("name");
            return declarator
                .filter(|_| is_name)
                .and_then(|d: Node<'_>| d.child_by_field_name("value"));
        }
        declarator = (node.kind() == "variable_declarator").then_some(node);
        cursor.goto_first_child_for_byte(at)?;
    }
}

/// An expression that can compute a route path: a name, a member, a concatenation, or a call
/// of a function that builds one (`router.post(loginPath(config), h)`). The path is then
/// unknown, but the route method still proves the handler's method.
pub(super) fn is_path_expr(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "identifier"
            | "member_expression"
            | "binary_expression"
            | "subscript_expression"
            | "call_expression"
    )
}

/// A literal route path: a string or template that starts like one (`"/users"`, `"*"`,
/// `` `${base}/users` ``), a regular expression, or an array of paths. `cache.get("key", cb)`
/// and `redis.del("key", cb)` name no route: Express matches paths from their leading `/`.
pub(super) fn is_route_path(node: Node<'_>, source: &str) -> bool {
    let Some(_level) = crate::depth::Nesting::enter() else {
        return false;
    };
    match node.kind() {
        "regex" => true,
        "array" => {
            let elements = named_children(node);
            !elements.is_empty()
                && elements
                    .iter()
                    .all(|element| is_route_path(*element, source))
        }
        "string" | "template_string" => {
            let raw = text(node, source);
            let inner = raw.get(1..).unwrap_or("");
            inner.starts_with(['/', '*'])
                || (node.kind() == "template_string" && inner.starts_with("${"))
        }
        _ => false,
    }
}

/// Which arguments a registration chain takes as its route path: a literal path always; any
/// path expression (`router.post(ROUTES.login, h)`) only on a receiver known or named to be an
/// app or router, since on anything else `x.post(url, body)` is far more often an HTTP client
/// call.
struct PathRule<'s> {
    source: &'s str,
    routerish: bool,
}

impl PathRule<'_> {
    fn accepts(&self, arg: Node<'_>) -> bool {
        is_route_path(arg, self.source) || (self.routerish && is_path_expr(arg))
    }

    /// [`Self::accepts`], and any string on a router of a table whose paths are joined to the
    /// router's prefix (@koa/router `router.post("documents.list", h)` under `/api/`).
    fn accepts_in(&self, routes: &Routes, arg: Node<'_>) -> bool {
        self.accepts(arg)
            || (self.routerish && routes.prefix_relative_paths && arg.kind() == "string")
    }
}

/// The methods a route method name registers: its own (`post`), or none for a method that
/// serves every method (`all`: it proves none, but names the path); `None` for another name.
fn methods_of(routes: &Routes, name: &str) -> Option<Vec<Method>> {
    match routes.methods.get(name) {
        Some(method) => Some(vec![*method]),
        None if routes.any_methods.iter().any(|any| any == name) => Some(Vec::new()),
        None => None,
    }
}

impl<'s, 't> Extractor<'s, 't> {
    /// `app.post('/x', h)`, `router.route('/x').get(a).post(b)`.
    pub(super) fn collect_registrations(&mut self, chain: &CallChain<'t>) {
        let Some(root_name) = self.receiver_name(chain.root) else {
            return;
        };
        self.collect_mounts(chain, root_name);
        if !chain.links.iter().any(|link| self.may_register(link)) {
            return;
        }
        // A receiver this file creates with `express()` / `Router()` is an app or router
        // whatever its name (`const api = Router()`), even one the table lists as a client.
        // (Router-like names need no look-up: no client is named so.)
        let declared = chain.root.kind() == "identifier"
            && !self.is_router_name(root_name)
            && self.creates_router(chain.root);
        let paths = PathRule {
            source: self.source,
            routerish: declared || self.is_router_name(root_name),
        };
        if self.is_client_name(root_name) && !declared {
            return;
        }
        let mut route_path: Option<Option<String>> = None;
        for link in &chain.links {
            let range = chain.root.start_byte()..link.method_node.end_byte();
            for table in self.tables.clone() {
                let Some(routes) = &table.routes else {
                    continue;
                };
                if let Some(object) = &routes.route_object
                    && object.call == link.method
                    && let Some(options) = link.args.first().and_then(|a| self.route_options(*a))
                {
                    self.register_route_object(options, object, range.clone(), root_name);
                    break;
                }
                if let Some(definition) = &routes.route_definition
                    && definition.register == link.method
                    && let [route, handler, ..] = link.args.as_slice()
                {
                    self.register_definition(definition, (*route, *handler), range, root_name);
                    break;
                }
                if routes.chain_start.as_deref() == Some(link.method.as_str()) {
                    let path = link.args.first().copied().filter(|arg| paths.accepts(*arg));
                    if let Some(path) = path {
                        route_path = Some(string_value(path, self.source));
                    }
                    continue;
                }
                let Some((methods, path, handlers)) =
                    self.route_of(routes, link, &paths, route_path.as_ref())
                else {
                    continue;
                };
                let mut refs = Vec::new();
                for arg in handlers.iter().copied() {
                    self.handler_refs(arg, 0, &mut refs);
                }
                let scope = Some(root_name.to_string());
                let declared = self.schema_responses(handlers);
                let from = self.facts.registrations.len();
                self.register(refs, &methods, path, (range.clone(), scope));
                self.declare_on_registrations(from, declared);
                break;
            }
        }
    }

    /// The name a registration's receiver goes by: `app`, or the property of `this.app`.
    fn receiver_name(&self, root: Node<'t>) -> Option<&'s str> {
        match root.kind() {
            "identifier" => Some(text(root, self.source)),
            "member_expression" => Some(
                root.child_by_field_name("property")
                    .map_or("", |property| text(property, self.source)),
            ),
            _ => None,
        }
    }

    /// The options object of a route-object registration: written in the call
    /// (`fastify.route({ .. })`), or a constant of this file declared once with an object
    /// (`const createItem: RouteOptions = { .. }` and `fastify.route(createItem)`).
    fn route_options(&mut self, arg: Node<'t>) -> Option<Node<'t>> {
        match arg.kind() {
            "object" => Some(arg),
            "identifier" => self
                .route_options_value(arg)
                .filter(|value| value.kind() == "object"),
            _ => None,
        }
    }

    /// Whether a call of a chain has the shape of a registration in some table.
    fn may_register(&self, link: &ChainCall<'t>) -> bool {
        let method = link.method.as_str();
        self.tables
            .iter()
            .filter_map(|t| t.routes.as_ref())
            .any(|routes| {
                routes
                    .route_definition
                    .as_ref()
                    .is_some_and(|d| d.register == method && link.args.len() >= 2)
                    || routes.route_object.as_ref().is_some_and(|o| {
                        o.call == method && link.args.first().is_some_and(|a| a.kind() == "object")
                    })
                    || routes.chain_start.as_deref() == Some(method)
                    || (link.args.len() >= 3 && routes.method_arg_call.as_deref() == Some(method))
                    || (link.args.len() >= 3 && routes.path_methods_call.as_deref() == Some(method))
                    || (link.args.len() >= 2
                        && (routes.methods.contains_key(method)
                            || routes.any_methods.iter().any(|any| any == method)))
            })
    }

    /// Whether any table names the receiver as an HTTP client (`axios`, `http`).
    fn is_client_name(&self, name: &str) -> bool {
        self.tables
            .iter()
            .filter_map(|t| t.routes.as_ref())
            .any(|routes| routes.exclude_receivers.iter().any(|client| client == name))
    }

    /// The methods, path and handler arguments one call of a chain registers through `routes`;
    /// `route_path` is the path an earlier call of the chain named (`router.route('/x')`).
    fn route_of<'a>(
        &self,
        routes: &Routes,
        link: &'a ChainCall<'t>,
        paths: &PathRule<'_>,
        route_path: Option<&Option<String>>,
    ) -> Option<(Vec<Method>, Option<String>, &'a [Node<'t>])> {
        if routes.method_arg_call.as_deref() == Some(link.method.as_str()) {
            // Hono `app.on('POST', path, h)`, `app.on(['PUT', 'PATCH'], path, h)`.
            let [methods, path, handlers @ ..] = link.args.as_slice() else {
                return None;
            };
            if handlers.is_empty() || !paths.accepts(*path) {
                return None;
            }
            let methods = method_list(*methods, self.source)?;
            return Some((methods, string_value(*path, self.source), handlers));
        }
        if routes.path_methods_call.as_deref() == Some(link.method.as_str()) {
            // @koa/router `router.register(path, ['get', 'post'], [mw, h], opts)`: the
            // middleware is one argument, a function or an array.
            let [path, methods, middleware, ..] = link.args.as_slice() else {
                return None;
            };
            if !paths.accepts_in(routes, *path) {
                return None;
            }
            let methods = method_array_any_case(*methods, self.source)?;
            return Some((
                methods,
                string_value(*path, self.source),
                std::slice::from_ref(middleware),
            ));
        }
        let methods = methods_of(routes, &link.method)?;
        let (path, handlers) = match route_path {
            Some(path) => (path.clone(), link.args.as_slice()),
            None => self.path_and_handlers(routes, link, paths)?,
        };
        Some((methods, path, handlers))
    }

    /// The path a route method names and the handler arguments after it: `router.get(path, h)`,
    /// or @koa/router's named routes, `router.get('user', '/users/:id', h)`.
    fn path_and_handlers<'a>(
        &self,
        routes: &Routes,
        link: &'a ChainCall<'t>,
        paths: &PathRule<'_>,
    ) -> Option<(Option<String>, &'a [Node<'t>])> {
        let (first, rest) = link.args.split_first()?;
        // A name before a literal path, or before any path the name itself cannot be.
        if routes.named_routes
            && let [path, handlers @ ..] = rest
            && !handlers.is_empty()
            && first.kind() == "string"
            && (is_route_path(*path, self.source)
                || (!paths.accepts(*first) && paths.accepts(*path)))
        {
            return Some((string_value(*path, self.source), handlers));
        }
        if rest.is_empty() || !paths.accepts_in(routes, *first) {
            return None;
        }
        Some((string_value(*first, self.source), rest))
    }

    /// `fastify.route({ method: 'POST', url: '/x', handler })`; `method` may be an array.
    pub(super) fn register_route_object(
        &mut self,
        options: Node<'t>,
        keys: &hsl_tables::RouteObject,
        range: ByteRange,
        receiver: &str,
    ) {
        let mut methods = Vec::new();
        let mut path = None;
        let mut handler = None;
        for pair in named_children(options) {
            let key = match pair.kind() {
                "pair" => pair.child_by_field_name("key"),
                "shorthand_property_identifier" => Some(pair),
                _ => None,
            };
            let Some(key) = key else {
                continue;
            };
            let value = pair.child_by_field_name("value").unwrap_or(pair);
            let key = key_text(key, self.source);
            if key == keys.method_key {
                let values = match value.kind() {
                    "array" => named_children(value),
                    _ => vec![value],
                };
                for value in values {
                    match string_value(value, self.source).and_then(|m| Method::parse(&m)) {
                        Some(method) => methods.push(method),
                        // A method computed at run time proves nothing.
                        None => return,
                    }
                }
            } else if key == keys.path_key {
                path = string_value(value, self.source);
            } else if key == keys.handler_key {
                handler = Some(value);
            }
        }
        let Some(handler) = handler else {
            return;
        };
        if methods.is_empty() {
            return;
        }
        let mut refs = Vec::new();
        self.handler_refs(handler, 0, &mut refs);
        let declared = self.schema_responses(&[options]);
        let from = self.facts.registrations.len();
        self.register(refs, &methods, path, (range, Some(receiver.to_string())));
        self.declare_on_registrations(from, declared);
    }

    /// @hono/zod-openapi `app.openapi(createRoute({ method, path, responses }), handler)`, the
    /// definition written in the call or bound to a constant of this file; its responses are
    /// the route's contract. A method or path not written as a string proves nothing.
    fn register_definition(
        &mut self,
        keys: &hsl_tables::RouteDefinition,
        (route, handler): (Node<'t>, Node<'t>),
        range: ByteRange,
        receiver: &str,
    ) {
        let definition = match route.kind() {
            "identifier" => self.route_options_value(route),
            _ => Some(route),
        };
        let Some(options) = definition.and_then(|value| self.definition_options(keys, value))
        else {
            return;
        };
        let value_of =
            |key: &str| super::declared_responses::property_value(options, key, self.source);
        let Some(method) = value_of(&keys.method_key)
            .and_then(|value| string_value(value, self.source))
            .and_then(|method| Method::parse(&method))
        else {
            return;
        };
        let path = value_of(&keys.path_key).and_then(|value| string_value(value, self.source));
        let declared =
            super::declared_responses::property_pair(options, &keys.responses_key, self.source)
                .and_then(|pair| {
                    let key = pair.child_by_field_name("key")?;
                    let responses = pair.child_by_field_name("value")?;
                    self.responses_declared(responses, key.byte_range(), keys.responses_key.clone())
                });
        let mut refs = Vec::new();
        self.handler_refs(handler, 0, &mut refs);
        let from = self.facts.registrations.len();
        self.register(refs, &[method], path, (range, Some(receiver.to_string())));
        self.declare_on_registrations(from, declared);
    }

    /// The options object of a route definition: `createRoute({ .. })`.
    fn definition_options(
        &self,
        keys: &hsl_tables::RouteDefinition,
        value: Node<'t>,
    ) -> Option<Node<'t>> {
        if value.kind() != "call_expression" {
            return None;
        }
        let callee = value.child_by_field_name("function")?;
        let name = member_path(callee, self.source)?;
        if name.last() != Some(&keys.define) {
            return None;
        }
        let args = value.child_by_field_name("arguments")?;
        named_children(args)
            .into_iter()
            .next()
            .filter(|options| options.kind() == "object")
    }

    /// The value a constant of this file is declared with, when it is declared once.
    fn route_options_value(&mut self, name: Node<'t>) -> Option<Node<'t>> {
        self.questions.look_outside();
        let name = text(name, self.source);
        let mut found = None;
        for at in declaration_sites(self.source, name) {
            let value = declared_value(self.parents.root(), at, name.len())?;
            if found.replace(value).is_some() {
                return None;
            }
        }
        found
    }

    /// Gives the registrations recorded from index `from` on the responses their options
    /// declare.
    fn declare_on_registrations(&mut self, from: usize, declared: Option<DeclaredResponses>) {
        let Some(declared) = declared else {
            return;
        };
        for registration in self.facts.registrations.iter_mut().skip(from) {
            registration.declared = Some(declared.clone());
        }
    }

    /// Whether a receiver is named like an application or router in some table (`app`,
    /// `router`, `usersRouter`).
    pub(super) fn is_router_name(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.tables
            .iter()
            .filter_map(|t| t.routes.as_ref())
            .any(|routes| {
                routes
                    .router_names
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&lower))
                    || routes
                        .router_suffixes
                        .iter()
                        .any(|suffix| lower.ends_with(&suffix.to_ascii_lowercase()))
            })
    }

    /// Whether the file declares `name` (`const`/`let`/`var`) as the result of calling
    /// something imported from a framework or a `Router` (`const api = express.Router()`,
    /// `const app = express()`, `export const users = Router()`). A name declared more than once
    /// is a router only if every declaration makes one.
    pub(super) fn creates_router(&mut self, name: Node<'t>) -> bool {
        let wanted = text(name, self.source);
        let verdict = self.router_verdict(wanted);
        self.questions.depend_on(wanted, verdict);
        verdict
    }

    /// [`Self::creates_router`] for a name, without recording the question.
    pub(super) fn router_verdict(&mut self, wanted: &str) -> bool {
        if let Some(known) = self.questions.known(wanted) {
            return known;
        }
        let mut verdict = None;
        for at in declaration_sites(self.source, wanted) {
            let Some(value) = declared_value(self.parents.root(), at, wanted.len()) else {
                continue;
            };
            let router = self.is_router_factory_call(value);
            verdict = Some(verdict.unwrap_or(true) && router);
        }
        let verdict = verdict.unwrap_or(false);
        self.questions.learn(wanted, verdict);
        verdict
    }

    /// `express()`, `express.Router()`, `Router()`, `new Router()`: a call of something the file
    /// imports from a framework that has routes, or of a `Router`.
    pub(super) fn is_router_factory_call(&self, value: Node<'t>) -> bool {
        if !matches!(value.kind(), "call_expression" | "new_expression") {
            return false;
        }
        let Some(callee) = value
            .child_by_field_name("function")
            .or_else(|| value.child_by_field_name("constructor"))
        else {
            return false;
        };
        let Some(path) = member_path(callee, self.source) else {
            return false;
        };
        if path.last().is_some_and(|last| last == "Router") {
            return true;
        }
        let from_framework = |local: &str| {
            self.facts.imports.iter().any(|import| {
                import.local == local
                    && self.tables.iter().any(|table| {
                        table.routes.as_ref().is_some_and(|r| !r.methods.is_empty())
                            && table.detect.imports.iter().any(|spec| {
                                import.module == *spec
                                    || import.module.starts_with(&format!("{spec}/"))
                            })
                    })
            })
        };
        path.first().is_some_and(|first| from_framework(first))
    }

    /// Records one registration per handler reference; an inline handler also learns the
    /// methods directly (it has no name another file could register).
    pub(super) fn register(
        &mut self,
        refs: Vec<HandlerRef>,
        methods: &[Method],
        path: Option<String>,
        (range, scope): (ByteRange, Option<String>),
    ) {
        for handler in refs {
            if let HandlerRef::Inline(id) = handler {
                for method in methods {
                    let (source, range) = (MethodSource::Registration, range.clone());
                    prove_method(&mut self.facts.handlers, id, *method, source, range);
                }
            }
            self.facts.registrations.push(RouteRegistration {
                methods: methods.to_vec(),
                path: path.clone(),
                handler,
                range: range.clone(),
                scope: scope.clone(),
                kind: RegistrationKind::Route,
                declared: None,
            });
        }
    }
}

impl<'t> Extractor<'_, 't> {
    /// Mounts on a receiver: `app.use('/api', api)`, Hono `app.route('/api', sub)`, Fastify
    /// `fastify.register(plugin, { prefix: '/api' })`. Each is a registration of kind
    /// [`RegistrationKind::Router`] whose handler names the mounted router.
    fn collect_mounts(&mut self, chain: &CallChain<'t>, receiver: &str) {
        for link in &chain.links {
            let range = chain.root.start_byte()..link.method_node.end_byte();
            let Some((prefix, target)) = self.mount_of(link) else {
                continue;
            };
            let Some(segments) = member_path(target, self.source) else {
                continue;
            };
            let handler = self.named_ref(segments);
            self.facts.registrations.push(RouteRegistration {
                methods: Vec::new(),
                path: Some(prefix),
                handler,
                range,
                scope: Some(receiver.to_string()),
                kind: RegistrationKind::Router,
                declared: None,
            });
        }
    }

    /// The prefix and the mounted router of one call of a chain, when some table reads it as a
    /// mount. A mounted `sub.routes()` (@koa/router) names `sub`.
    fn mount_of(&self, link: &ChainCall<'t>) -> Option<(String, Node<'t>)> {
        for routes in self.tables.iter().filter_map(|t| t.routes.as_ref()) {
            if routes.mount_calls.contains(&link.method)
                && let [prefix, .., target] = link.args.as_slice()
                && is_route_path(*prefix, self.source)
            {
                let prefix = string_value(*prefix, self.source)?;
                return Some((prefix, mounted_router(*target)));
            }
            if let Some(option) = &routes.mount_option
                && option.call == link.method
                && let [target, options] = link.args.as_slice()
                && options.kind() == "object"
            {
                let prefix = named_children(*options).into_iter().find_map(|pair| {
                    let key = pair.child_by_field_name("key")?;
                    let value = pair.child_by_field_name("value")?;
                    (key_text(key, self.source) == option.key)
                        .then(|| string_value(value, self.source))
                        .flatten()
                })?;
                return Some((prefix, *target));
            }
        }
        None
    }
}

/// The router a mount argument names: `sub`, or `sub` of `sub.routes()`.
fn mounted_router(target: Node<'_>) -> Node<'_> {
    if target.kind() == "call_expression"
        && let Some(object) = target
            .child_by_field_name("function")
            .and_then(|function| function.child_by_field_name("object"))
    {
        return object;
    }
    target
}
