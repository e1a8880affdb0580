//! Route registrations (`app.post('/x', h)`, `router.route('/x').get(a)`, route objects) and
//! the question whether a receiver is an app or router the file creates.

use crate::handlers::prove_method;
use tree_sitter::Node;

use super::bodies::key_text;
use super::method_branches::upper_method;
use super::nodes::member_path;
use super::{CallChain, Extractor};
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{ByteRange, HandlerRef, Method, MethodSource, RouteRegistration};

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

/// Byte offsets where `name` is written as a declared name: a whole word followed by `=` (not
/// `==`/`=>`), possibly after a type annotation on the same line. A cheap text scan that spares
/// the tree walk; [`declared_value`] confirms each site in the tree.
pub(super) fn declaration_sites<'a>(
    source: &'a str,
    name: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let is_word = |ch: char| ch.is_alphanumeric() || ch == '_' || ch == '$';
    source.match_indices(name).filter_map(move |(at, _)| {
        if source[..at].chars().next_back().is_some_and(is_word) {
            return None;
        }
        let rest = &source[at + name.len()..];
        if rest.chars().next().is_some_and(is_word) {
            return None;
        }
        let line = rest.split('\n').next().unwrap_or("");
        let after = line.trim_start();
        let after = match after.strip_prefix(':') {
            Some(typed) => &typed[typed.find('=')?..],
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

/// An expression that can compute a route path: a name, a member, a concatenation.
pub(super) fn is_path_expr(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "identifier" | "member_expression" | "binary_expression" | "subscript_expression"
    )
}

/// A literal route path: a string or template that starts like one (`"/users"`, `"*"`,
/// `` `${base}/users` ``), a regular expression, or an array of paths. `cache.get("key", cb)`
/// and `redis.del("key", cb)` name no route: Express matches paths from their leading `/`.
pub(super) fn is_route_path(node: Node<'_>, source: &str) -> bool {
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

impl<'t> Extractor<'_, 't> {
    /// `app.post('/x', h)`, `router.route('/x').get(a).post(b)`.
    pub(super) fn collect_registrations(&mut self, chain: &CallChain<'t>) {
        let root_name = match chain.root.kind() {
            "identifier" => text(chain.root, self.source),
            "member_expression" => chain
                .root
                .child_by_field_name("property")
                .map_or("", |property| text(property, self.source)),
            _ => return,
        };
        let registers = chain.links.iter().any(|link| {
            self.tables.iter().any(|table| {
                table.routes.as_ref().is_some_and(|routes| {
                    routes.route_object.as_ref().is_some_and(|o| {
                        o.call == link.method
                            && link.args.first().is_some_and(|a| a.kind() == "object")
                    }) || routes.chain_start.as_deref() == Some(link.method.as_str())
                        || (link.args.len() >= 3
                            && routes.method_arg_call.as_deref() == Some(link.method.as_str()))
                        || (link.args.len() >= 2
                            && (routes.methods.contains_key(&link.method)
                                || routes.any_methods.contains(&link.method)))
                })
            })
        });
        if !registers {
            return;
        }
        // A receiver this file creates with `express()` / `Router()` is an app or router
        // whatever its name (`const api = Router()`), even one the table lists as a client.
        // (Router-like names need no look-up: no client is named so.)
        let declared = chain.root.kind() == "identifier"
            && !self.is_router_name(root_name)
            && self.creates_router(chain.root);
        // A path that is not a literal (`router.post(ROUTES.login, h)`) is accepted only on a
        // receiver known or named to be an Express app or router: on anything else
        // `x.post(url, body)` is far more often an HTTP client call.
        let routerish = declared || self.is_router_name(root_name);
        let source = self.source;
        let accepts_path =
            |arg: Node<'t>| is_route_path(arg, source) || (routerish && is_path_expr(arg));
        // A receiver any table names as a client is one, unless this file makes it a router.
        let excluded = self
            .tables
            .iter()
            .filter_map(|t| t.routes.as_ref())
            .any(|routes| {
                routes
                    .exclude_receivers
                    .iter()
                    .any(|name| name == root_name)
            });
        if excluded && !declared {
            return;
        }
        let mut route_path: Option<Option<String>> = None;
        for link in &chain.links {
            for table in self.tables.clone() {
                let Some(routes) = &table.routes else {
                    continue;
                };
                if let Some(object) = &routes.route_object
                    && object.call == link.method
                    && let Some(options) = link.args.first().filter(|a| a.kind() == "object")
                {
                    let range = chain.root.start_byte()..link.method_node.end_byte();
                    self.register_route_object(*options, object, range);
                    break;
                }
                if routes.chain_start.as_deref() == Some(link.method.as_str()) {
                    let path = link.args.first().copied().filter(|arg| accepts_path(*arg));
                    if path.is_some() {
                        route_path = Some(path.and_then(|arg| string_value(arg, self.source)));
                    }
                    continue;
                }
                let (methods, path, handlers) =
                    if routes.method_arg_call.as_deref() == Some(link.method.as_str()) {
                        // Hono `app.on('POST', path, h)`, `app.on(['PUT', 'PATCH'], path, h)`.
                        if link.args.len() < 3 || !accepts_path(link.args[1]) {
                            continue;
                        }
                        let Some(methods) = method_list(link.args[0], self.source) else {
                            continue;
                        };
                        (
                            methods,
                            string_value(link.args[1], self.source),
                            &link.args[2..],
                        )
                    } else {
                        // `all` serves every method: it proves none, but names the path.
                        let methods = match routes.methods.get(&link.method) {
                            Some(method) => match Method::parse(method) {
                                Some(method) => vec![method],
                                None => continue,
                            },
                            None if routes.any_methods.contains(&link.method) => Vec::new(),
                            None => continue,
                        };
                        let (path, handlers) = match &route_path {
                            Some(path) => (path.clone(), &link.args[..]),
                            None => {
                                let Some(first) = link.args.first() else {
                                    continue;
                                };
                                // @koa/router's named routes: `router.get('user', '/users/:id', h)`.
                                let named = routes.named_routes
                                    && link.args.len() >= 3
                                    && first.kind() == "string"
                                    && !accepts_path(*first)
                                    && accepts_path(link.args[1]);
                                if named {
                                    (string_value(link.args[1], self.source), &link.args[2..])
                                } else {
                                    if link.args.len() < 2 || !accepts_path(*first) {
                                        continue;
                                    }
                                    (string_value(*first, self.source), &link.args[1..])
                                }
                            }
                        };
                        (methods, path, handlers)
                    };
                let range = chain.root.start_byte()..link.method_node.end_byte();
                let mut refs = Vec::new();
                for arg in handlers.iter().copied() {
                    self.handler_refs(arg, 0, &mut refs);
                }
                self.register(refs, &methods, path, range);
                break;
            }
        }
    }

    /// `fastify.route({ method: 'POST', url: '/x', handler })`; `method` may be an array.
    pub(super) fn register_route_object(
        &mut self,
        options: Node<'t>,
        keys: &hsl_tables::RouteObject,
        range: ByteRange,
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
        self.register(refs, &methods, path, range);
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

    /// The handlers an argument of a registration names: itself, the members of a middleware
    /// array, the function a wrapper call wraps, and the function an inline handler forwards
    /// its response to.
    /// Records one registration per handler reference; an inline handler also learns the
    /// methods directly (it has no name another file could register).
    pub(super) fn register(
        &mut self,
        refs: Vec<HandlerRef>,
        methods: &[Method],
        path: Option<String>,
        range: ByteRange,
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
            });
        }
    }
}
