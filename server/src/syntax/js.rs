//! Facts from JavaScript, TypeScript and TSX, read through the JS-family framework tables.

use std::collections::HashMap;

use tree_sitter::{Node, QueryCursor, StreamingIterator, Tree};

use super::node_util::{ancestors, integer_value, named_children, string_value, text};
use super::queries;
use crate::facts::{
    Body, ByteRange, Context, FileFacts, Handler, HandlerId, HandlerRef, HeaderFact, Import,
    Insertion, Language, LiteralValue, Method, MethodEvidence, MethodSource, ObjectLiteral,
    Replacement, Response, RouteRegistration, SiteRole, Spelling, StatusSite,
};
use crate::tables::{Framework, ResponseCall, Tables};

const FUNCTION_KINDS: &[&str] = &[
    "function_declaration",
    "function_expression",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
    "function",
];

/// Extracts the facts of one JS-family file.
pub fn extract(language: Language, source: &str, tree: &Tree) -> FileFacts {
    let Some(query) = queries::query(language) else {
        return FileFacts::default();
    };
    let tables: Vec<&Framework> = Tables::get().for_language("js").collect();
    let mut calls = Vec::new();
    let mut assigns = Vec::new();
    let mut import_sources = Vec::new();
    let mut cursor = QueryCursor::new();
    let names = query.capture_names();
    let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
    while let Some(found) = matches.next() {
        for capture in found.captures() {
            match names.get(capture.index as usize).copied() {
                Some("call") => calls.push(capture.node),
                Some("assign") => assigns.push(capture.node),
                Some("import.source") | Some("require.source") => import_sources.push(capture.node),
                _ => {}
            }
        }
    }
    let mut extractor = Extractor {
        source,
        tables,
        facts: FileFacts::default(),
        handler_ids: HashMap::new(),
        root: tree.root_node(),
        router_names: HashMap::new(),
        _tree: std::marker::PhantomData,
    };
    extractor.detect_frameworks(&import_sources);
    extractor.collect_imports(&import_sources);
    let mut items = Vec::new();
    for call in calls {
        if !is_chain_top(call) {
            continue;
        }
        let Some(chain) = chain_of(call, source) else {
            continue;
        };
        extractor.collect_registrations(&chain);
        if let Some(item) = extractor.response_item_from_chain(chain) {
            items.push(item);
        }
    }
    for assign in assigns {
        if let Some(item) = extractor.response_item_from_assignment(assign) {
            items.push(item);
        }
    }
    extractor.build_responses(items);
    extractor.facts
}

/// One link of a member-call chain: `.status(201)`.
struct Link<'t> {
    method: String,
    method_node: Node<'t>,
    args: Vec<Node<'t>>,
    call: Node<'t>,
}

/// `root.a(..).b(..)`, links in call order.
struct Chain<'t> {
    root: Node<'t>,
    links: Vec<Link<'t>>,
    top: Node<'t>,
}

/// What one statement does to a response.
enum Op<'t> {
    /// Sets the status: explicit, or a helper that always sets its default (redirect).
    Status {
        code: Option<u16>,
        spelling: Spelling,
        node: Node<'t>,
        range: ByteRange,
    },
    /// A status the call sends only when none was set (`res.json` → 200).
    Implicit {
        code: u16,
        spelling: Spelling,
        node: Node<'t>,
        range: ByteRange,
    },
    Header(HeaderFact),
    /// The body, and how to send the same response without it.
    Body(Body, Option<Replacement>),
    Ends,
}

/// The ops of one statement on one response object.
struct Item<'t> {
    /// Groups statements of one block; `None` when the item stands alone.
    block: Option<usize>,
    start: usize,
    root: String,
    framework: String,
    ops: Vec<Op<'t>>,
}

struct Extractor<'s, 't> {
    source: &'s str,
    tables: Vec<&'static Framework>,
    facts: FileFacts,
    handler_ids: HashMap<(usize, usize), HandlerId>,
    root: Node<'t>,
    /// Receiver names already looked up: whether the file declares each as an app or router.
    router_names: HashMap<String, bool>,
    _tree: std::marker::PhantomData<&'t ()>,
}

impl<'s, 't> Extractor<'s, 't> {
    fn detect_frameworks(&mut self, sources: &[Node<'t>]) {
        for node in sources {
            let Some(spec) = string_value(*node, self.source) else {
                continue;
            };
            for table in &self.tables {
                let hit = table
                    .detect
                    .imports
                    .iter()
                    .any(|import| spec == *import || spec.starts_with(&format!("{import}/")));
                if hit && !self.facts.frameworks.contains(&table.id) {
                    self.facts.frameworks.push(table.id.clone());
                }
            }
        }
    }

    /// Binds local names to module specifiers: `import * as u from './u'`, `import { a } from`,
    /// `const u = require('./u')`, `const { a } = require('./u')`.
    fn collect_imports(&mut self, sources: &[Node<'t>]) {
        for node in sources {
            let Some(module) = string_value(*node, self.source) else {
                continue;
            };
            let Some(statement) = node.parent() else {
                continue;
            };
            if statement.kind() == "import_statement" {
                for clause in named_children(statement) {
                    if clause.kind() == "import_clause" {
                        self.collect_import_clause(clause, &module);
                    }
                }
                continue;
            }
            // require('x'): the declarator around the call names the binding.
            let declarator = ancestors(*node)
                .take(4)
                .find(|ancestor| ancestor.kind() == "variable_declarator");
            let Some(declarator) = declarator else {
                continue;
            };
            let Some(name) = declarator.child_by_field_name("name") else {
                continue;
            };
            match name.kind() {
                "identifier" => self.facts.imports.push(Import {
                    local: text(name, self.source).to_string(),
                    module: module.clone(),
                    item: None,
                }),
                "object_pattern" => {
                    for property in named_children(name) {
                        self.push_pattern_import(property, &module);
                    }
                }
                _ => {}
            }
        }
    }

    fn collect_import_clause(&mut self, clause: Node<'t>, module: &str) {
        for part in named_children(clause) {
            match part.kind() {
                "identifier" => self.facts.imports.push(Import {
                    local: text(part, self.source).to_string(),
                    module: module.to_string(),
                    item: Some("default".to_string()),
                }),
                "namespace_import" => {
                    if let Some(name) = named_children(part).into_iter().next() {
                        self.facts.imports.push(Import {
                            local: text(name, self.source).to_string(),
                            module: module.to_string(),
                            item: None,
                        });
                    }
                }
                "named_imports" => {
                    for specifier in named_children(part) {
                        let Some(name) = specifier.child_by_field_name("name") else {
                            continue;
                        };
                        let alias = specifier.child_by_field_name("alias").unwrap_or(name);
                        self.facts.imports.push(Import {
                            local: text(alias, self.source).to_string(),
                            module: module.to_string(),
                            item: Some(text(name, self.source).to_string()),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn push_pattern_import(&mut self, property: Node<'t>, module: &str) {
        match property.kind() {
            "shorthand_property_identifier_pattern" => {
                let name = text(property, self.source).to_string();
                self.facts.imports.push(Import {
                    local: name.clone(),
                    module: module.to_string(),
                    item: Some(name),
                });
            }
            "pair_pattern" => {
                let key = property.child_by_field_name("key");
                let value = property.child_by_field_name("value");
                if let (Some(key), Some(value)) = (key, value) {
                    self.facts.imports.push(Import {
                        local: text(value, self.source).to_string(),
                        module: module.to_string(),
                        item: Some(text(key, self.source).to_string()),
                    });
                }
            }
            _ => {}
        }
    }

    /// `app.post('/x', h)`, `router.route('/x').get(a).post(b)`.
    fn collect_registrations(&mut self, chain: &Chain<'t>) {
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
                    routes.chain_start.as_deref() == Some(link.method.as_str())
                        || (link.args.len() >= 2 && routes.methods.contains_key(&link.method))
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
            && !is_router_name(root_name)
            && self.creates_router(chain.root);
        // A path that is not a literal (`router.post(ROUTES.login, h)`) is accepted only on a
        // receiver known or named to be an Express app or router: on anything else
        // `x.post(url, body)` is far more often an HTTP client call.
        let routerish = declared || is_router_name(root_name);
        let source = self.source;
        let accepts_path =
            |arg: Node<'t>| is_route_path(arg, source) || (routerish && is_path_expr(arg));
        let mut route_path: Option<Option<String>> = None;
        for link in &chain.links {
            for table in self.tables.clone() {
                let Some(routes) = &table.routes else {
                    continue;
                };
                if !declared
                    && routes
                        .exclude_receivers
                        .iter()
                        .any(|name| name == root_name)
                {
                    return;
                }
                if routes.chain_start.as_deref() == Some(link.method.as_str()) {
                    let path = link.args.first().copied().filter(|arg| accepts_path(*arg));
                    if path.is_some() {
                        route_path = Some(path.and_then(|arg| string_value(arg, self.source)));
                    }
                    continue;
                }
                let Some(method) = routes
                    .methods
                    .get(&link.method)
                    .and_then(|m| Method::parse(m))
                else {
                    continue;
                };
                let (path, handlers) = match &route_path {
                    Some(path) => (path.clone(), &link.args[..]),
                    None => {
                        let Some(first) = link.args.first() else {
                            continue;
                        };
                        if link.args.len() < 2 || !accepts_path(*first) {
                            continue;
                        }
                        (string_value(*first, self.source), &link.args[1..])
                    }
                };
                let range = chain.root.start_byte()..link.method_node.end_byte();
                let mut refs = Vec::new();
                for arg in handlers.iter().copied() {
                    self.handler_refs(arg, 0, &mut refs);
                }
                for handler in refs {
                    if let HandlerRef::Inline(id) = handler
                        && let Some(found) = self.facts.handlers.get_mut(id)
                    {
                        found.methods.push(MethodEvidence {
                            method,
                            source: MethodSource::Registration,
                            range: range.clone(),
                        });
                    }
                    self.facts.registrations.push(RouteRegistration {
                        methods: vec![method],
                        path: path.clone(),
                        handler,
                        range: range.clone(),
                    });
                }
                break;
            }
        }
    }

    /// Whether the file declares `name` (`const`/`let`/`var`) as the result of calling
    /// something imported from a framework or a `Router` (`const api = express.Router()`,
    /// `const app = express()`, `export const users = Router()`). A name declared more than once
    /// is a router only if every declaration makes one.
    fn creates_router(&mut self, name: Node<'t>) -> bool {
        let wanted = text(name, self.source);
        if let Some(known) = self.router_names.get(wanted) {
            return *known;
        }
        let mut verdict = None;
        for at in declaration_sites(self.source, wanted) {
            let Some(value) = declared_value(self.root, at, wanted.len()) else {
                continue;
            };
            let router = self.is_router_factory_call(value);
            verdict = Some(verdict.unwrap_or(true) && router);
        }
        let verdict = verdict.unwrap_or(false);
        self.router_names.insert(wanted.to_string(), verdict);
        verdict
    }

    /// `express()`, `express.Router()`, `Router()`, `new Router()`: a call of something the file
    /// imports from a framework that has routes, or of a `Router`.
    fn is_router_factory_call(&self, value: Node<'t>) -> bool {
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
                        table.routes.is_some()
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
    fn handler_refs(&mut self, arg: Node<'t>, depth: usize, out: &mut Vec<HandlerRef>) {
        match arg.kind() {
            kind if FUNCTION_KINDS.contains(&kind) => {
                // Written inside a registration's arguments: bound to no name.
                out.push(HandlerRef::Inline(self.handler_id(arg, false)));
                if let Some(callee) = forwarded_to(arg, self.source) {
                    self.handler_refs(callee, depth + 1, out);
                }
            }
            "identifier" => out.push(self.named_ref(vec![text(arg, self.source).to_string()])),
            "member_expression" => {
                if let Some(path) = member_path(arg, self.source) {
                    out.push(self.named_ref(path));
                }
            }
            // `[auth, validate]`: a middleware array (router's `flatten`).
            "array" if depth == 0 => {
                for element in named_children(arg) {
                    self.handler_refs(element, depth + 1, out);
                }
            }
            "call_expression" if depth <= 1 => {
                let Some(function) = arg.child_by_field_name("function") else {
                    return;
                };
                // `users.create.bind(users)`: the bound function.
                if function.kind() == "member_expression"
                    && function
                        .child_by_field_name("property")
                        .is_some_and(|p| text(p, self.source) == "bind")
                {
                    if let Some(object) = function.child_by_field_name("object") {
                        self.handler_refs(object, depth + 1, out);
                    }
                    return;
                }
                // `asyncHandler(users.create)`: a wrapper around the real handler, passed last.
                let last = arg
                    .child_by_field_name("arguments")
                    .and_then(|args| named_children(args).into_iter().last());
                if let Some(last) = last
                    && (FUNCTION_KINDS.contains(&last.kind())
                        || matches!(last.kind(), "identifier" | "member_expression"))
                {
                    self.handler_refs(last, depth + 1, out);
                }
            }
            "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression" => {
                if let Some(inner) = named_children(arg).into_iter().next() {
                    self.handler_refs(inner, depth, out);
                }
            }
            _ => {}
        }
    }

    /// A registration by name. A name bound by a renaming import (`import { create as
    /// createUser }`, `const { create: createUser } = require(..)`) is written as the path
    /// `[local, item]`, so that the index matches the item's own name in the imported file.
    fn named_ref(&self, mut path: Vec<String>) -> HandlerRef {
        if path.len() == 1
            && let Some(import) = self.facts.imports.iter().find(|i| i.local == path[0])
            && let Some(item) = &import.item
            && item != &import.local
            && item != "default"
        {
            path.push(item.clone());
        }
        HandlerRef::Named(path)
    }

    /// The handler for a function, created on first sight. `find_binding`: look for the name an
    /// anonymous function is bound to (a parent walk, which tree-sitter pays for from the root).
    fn handler_id(&mut self, function: Node<'t>, find_binding: bool) -> HandlerId {
        let key = (function.start_byte(), function.end_byte());
        if let Some(id) = self.handler_ids.get(&key) {
            return *id;
        }
        let (name, name_range) = function_name(function, self.source, find_binding);
        let id = self.facts.handlers.len();
        self.facts.handlers.push(Handler {
            name,
            range: function.byte_range(),
            name_range,
            methods: Vec::new(),
        });
        self.handler_ids.insert(key, id);
        id
    }

    fn response_table(&self, root: &str) -> Option<&'static Framework> {
        let detected = self
            .tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id));
        let others = self
            .tables
            .iter()
            .filter(|table| !self.facts.frameworks.contains(&table.id));
        detected
            .chain(others)
            .find(|table| {
                table
                    .response
                    .as_ref()
                    .is_some_and(|response| response.names.iter().any(|name| name == root))
            })
            .copied()
    }

    fn response_item_from_chain(&mut self, chain: Chain<'t>) -> Option<Item<'t>> {
        if chain.root.kind() != "identifier" {
            return None;
        }
        let root = text(chain.root, self.source).to_string();
        let table = self.response_table(&root)?;
        let mut ops = Vec::new();
        for link in &chain.links {
            let Some(call) = table.calls.iter().find(|call| call.method == link.method) else {
                continue;
            };
            let finish = table.response.as_ref().and_then(|r| r.finish.as_deref());
            self.ops_of_call(call, finish, link, &mut ops);
        }
        if ops.is_empty() {
            return None;
        }
        let (block, start) = statement_slot(chain.top);
        Some(Item {
            block,
            start,
            root,
            framework: table.id.clone(),
            ops,
        })
    }

    fn ops_of_call(
        &self,
        call: &ResponseCall,
        finish: Option<&str>,
        link: &Link<'t>,
        ops: &mut Vec<Op<'t>>,
    ) {
        if let Some(name) = &call.sets_header {
            ops.push(Op::Header(HeaderFact {
                name: name.clone(),
                range: link.method_node.byte_range(),
            }));
        }
        if let Some(index) = call.header_name_arg
            && let Some(arg) = link.args.get(index)
        {
            self.header_ops(*arg, ops);
        }
        if let Some(redirect) = &call.redirect {
            let explicit = if link.args.len() >= redirect.min_args_for_status {
                // The status where the table puts it; else a number elsewhere (Express 4's
                // deprecated `(url, status)`); else whichever argument is not a literal URL,
                // whose code is then unknown.
                let at = link.args.get(redirect.status_arg).copied();
                let numeric = link.args.iter().copied().find(|arg| arg.kind() == "number");
                let not_url = link
                    .args
                    .iter()
                    .copied()
                    .find(|arg| !matches!(arg.kind(), "string" | "template_string"));
                at.filter(|arg| arg.kind() == "number")
                    .or(numeric)
                    .or(not_url)
                    .or(at)
            } else {
                None
            };
            match explicit {
                Some(arg) => ops.push(self.status_op(arg)),
                None => {
                    let at = match redirect.insert.as_str() {
                        "after-last-arg" => {
                            link.args.last().map(|arg| (arg.end_byte(), ", {code}"))
                        }
                        _ => link.args.first().map(|arg| (arg.start_byte(), "{code}, ")),
                    };
                    ops.push(Op::Status {
                        code: Some(redirect.default),
                        spelling: Spelling::ImplicitDefault {
                            helper: link.method.clone(),
                            insert: at.map(|(at, template)| Insertion {
                                at,
                                template: template.to_string(),
                            }),
                        },
                        node: link.method_node,
                        range: link.method_node.byte_range(),
                    });
                }
            }
        } else if let Some(index) = call.status_arg
            && let Some(arg) = link.args.get(index)
        {
            ops.push(self.status_op(*arg));
        }
        if let Some(code) = call.implicit_status {
            ops.push(Op::Implicit {
                code,
                spelling: Spelling::ImplicitDefault {
                    helper: link.method.clone(),
                    insert: None,
                },
                node: link.method_node,
                range: link.method_node.byte_range(),
            });
        }
        let without_body = finish.map(|text| Replacement {
            range: link.method_node.start_byte()..link.call.end_byte(),
            text: text.to_string(),
        });
        match call.body.as_deref() {
            Some("none") => ops.push(Op::Body(Body::None, None)),
            Some(_) => ops.push(Op::Body(
                Body::Opaque {
                    range: link.call.byte_range(),
                },
                without_body.clone(),
            )),
            None => {}
        }
        if let Some(index) = call.body_arg {
            ops.push(Op::Body(
                self.body_of(link.args.get(index).copied()),
                without_body,
            ));
        }
        if call.ends {
            ops.push(Op::Ends);
        }
    }

    fn header_ops(&self, arg: Node<'t>, ops: &mut Vec<Op<'t>>) {
        if arg.kind() == "object" {
            for pair in named_children(arg) {
                let name = pair
                    .child_by_field_name("key")
                    .map(|key| key_text(key, self.source))
                    .unwrap_or_else(|| "*".to_string());
                ops.push(Op::Header(HeaderFact {
                    name: name.to_ascii_lowercase(),
                    range: pair.byte_range(),
                }));
            }
            return;
        }
        let name = string_value(arg, self.source).unwrap_or_else(|| "*".to_string());
        ops.push(Op::Header(HeaderFact {
            name: name.to_ascii_lowercase(),
            range: arg.byte_range(),
        }));
    }

    fn status_op(&self, arg: Node<'t>) -> Op<'t> {
        let code = integer_value(arg, self.source).and_then(|n| u16::try_from(n).ok());
        let spelling = Spelling::Number;
        Op::Status {
            code: if arg.kind() == "number" { code } else { None },
            spelling,
            node: arg,
            range: arg.byte_range(),
        }
    }

    fn body_of(&self, arg: Option<Node<'t>>) -> Body {
        let Some(arg) = arg else {
            return Body::None;
        };
        match arg.kind() {
            "object" => Body::Object(object_literal(arg, self.source)),
            "null" | "undefined" => Body::None,
            "identifier" if text(arg, self.source) == "undefined" => Body::None,
            _ => match string_value(arg, self.source) {
                Some(value) if value.is_empty() => Body::Empty,
                _ => Body::Opaque {
                    range: arg.byte_range(),
                },
            },
        }
    }

    fn response_item_from_assignment(&mut self, assign: Node<'t>) -> Option<Item<'t>> {
        let left = assign.child_by_field_name("left")?;
        let receiver = left.child_by_field_name("object")?;
        let property = left.child_by_field_name("property")?;
        let value = assign.child_by_field_name("right")?;
        if receiver.kind() != "identifier" {
            return None;
        }
        let root = text(receiver, self.source).to_string();
        let table = self.response_table(&root)?;
        let property = text(property, self.source);
        if !table
            .assignments
            .iter()
            .any(|assignment| assignment.property == property)
        {
            return None;
        }
        let (block, start) = statement_slot(assign);
        Some(Item {
            block,
            start,
            root,
            framework: table.id.clone(),
            ops: vec![self.status_op(value)],
        })
    }

    /// Groups the items of each block by response object, in order, into responses that end at
    /// a finishing call (`res.json`, `res.end`).
    fn build_responses(&mut self, mut items: Vec<Item<'t>>) {
        items.sort_by_key(|item| (item.block, item.start));
        let mut groups: Vec<Vec<Item<'t>>> = Vec::new();
        for item in items {
            let joins = groups.last().is_some_and(|group| {
                group.last().is_some_and(|last| {
                    item.block.is_some()
                        && last.block == item.block
                        && last.root == item.root
                        && !last.ops.iter().any(|op| matches!(op, Op::Ends))
                })
            });
            match groups.last_mut() {
                Some(group) if joins => group.push(item),
                _ => groups.push(vec![item]),
            }
        }
        for group in groups {
            self.build_group(group);
        }
    }

    fn build_group(&mut self, group: Vec<Item<'t>>) {
        let framework = group.first().map(|item| item.framework.clone());
        let root = group
            .first()
            .map(|item| item.root.clone())
            .unwrap_or_default();
        let ops: Vec<Op<'t>> = group.into_iter().flat_map(|item| item.ops).collect();
        let headers: Vec<HeaderFact> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Header(header) => Some(header.clone()),
                _ => None,
            })
            .collect();
        let mut body = Body::Unknown;
        let mut without_body = None;
        for op in &ops {
            if let Op::Body(found, replacement) = op {
                body = found.clone();
                without_body = replacement.clone();
            }
        }
        let statuses: Vec<&Op<'t>> = ops
            .iter()
            .filter(|op| matches!(op, Op::Status { .. }))
            .collect();
        let effective = statuses.last().copied().or_else(|| {
            ops.iter()
                .rev()
                .find(|op| matches!(op, Op::Implicit { .. }))
        });
        let framework = framework.unwrap_or_default();
        for op in ops.iter() {
            let (code, spelling, node, range) = match op {
                Op::Status {
                    code,
                    spelling,
                    node,
                    range,
                } => (*code, spelling, node, range),
                Op::Implicit {
                    code,
                    spelling,
                    node,
                    range,
                } => {
                    if !std::ptr::eq(op, effective.unwrap_or(op)) {
                        continue;
                    }
                    (Some(*code), spelling, node, range)
                }
                _ => continue,
            };
            if code.is_none() {
                continue;
            }
            let is_effective = effective.is_some_and(|found| std::ptr::eq(found, op));
            let handler = self.enclosing_handler(*node, &root);
            let context = context_of(
                *node,
                handler.map(|id| self.facts.handlers[id].range.clone()),
                self.source,
            );
            self.facts.responses.push(Response {
                status: StatusSite {
                    code,
                    spelling: spelling.clone(),
                    range: range.clone(),
                    framework: framework.clone(),
                },
                headers: headers.clone(),
                body: if is_effective {
                    body.clone()
                } else {
                    Body::Unknown
                },
                context,
                handler,
                role: if is_effective {
                    SiteRole::Sets
                } else {
                    SiteRole::Mentions
                },
                without_body: if is_effective {
                    without_body.clone()
                } else {
                    None
                },
            });
        }
    }

    /// The function that declares the response object as a parameter.
    fn enclosing_handler(&mut self, node: Node<'t>, root: &str) -> Option<HandlerId> {
        let function = ancestors(node).find(|ancestor| {
            FUNCTION_KINDS.contains(&ancestor.kind())
                && declares_param(*ancestor, root, self.source)
        })?;
        Some(self.handler_id(function, true))
    }
}

fn is_chain_top(call: Node<'_>) -> bool {
    let Some(parent) = call.parent() else {
        return true;
    };
    if parent.kind() != "member_expression" {
        return true;
    }
    let Some(grand) = parent.parent() else {
        return true;
    };
    !(grand.kind() == "call_expression"
        && grand.child_by_field_name("function").map(|f| f.id()) == Some(parent.id()))
}

fn chain_of<'t>(top: Node<'t>, source: &str) -> Option<Chain<'t>> {
    let mut links = Vec::new();
    let mut current = top;
    loop {
        let function = match current.kind() {
            "call_expression" => current.child_by_field_name("function"),
            _ => None,
        };
        let Some(function) = function.filter(|f| f.kind() == "member_expression") else {
            break;
        };
        let (Some(object), Some(property)) = (
            function.child_by_field_name("object"),
            function.child_by_field_name("property"),
        ) else {
            break;
        };
        let args = current
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        links.push(Link {
            method: text(property, source).to_string(),
            method_node: property,
            args,
            call: current,
        });
        current = object;
    }
    if links.is_empty() {
        return None;
    }
    links.reverse();
    Some(Chain {
        root: current,
        links,
        top,
    })
}

/// The block a statement sits in (to group statements on one response) and where it starts.
fn statement_slot(node: Node<'_>) -> (Option<usize>, usize) {
    let statement = std::iter::once(node).chain(ancestors(node)).find(|n| {
        matches!(n.kind(), "expression_statement" | "return_statement")
            || n.parent().is_some_and(|p| p.kind() == "arrow_function")
    });
    let Some(statement) = statement else {
        return (None, node.start_byte());
    };
    match statement.parent() {
        Some(block)
            if matches!(
                block.kind(),
                "statement_block" | "program" | "switch_case" | "switch_default"
            ) =>
        {
            (Some(block.id()), statement.start_byte())
        }
        _ => (None, statement.start_byte()),
    }
}

/// Byte offsets where `name` is written as a declared name: a whole word followed by `=` (not
/// `==`/`=>`), possibly after a type annotation on the same line. A cheap text scan that spares
/// the tree walk; [`declared_value`] confirms each site in the tree.
fn declaration_sites<'a>(source: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
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
fn declared_value(root: Node<'_>, at: usize, len: usize) -> Option<Node<'_>> {
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

/// Whether a receiver is named like an Express application or router (`app`, `router`,
/// `usersRouter`).
fn is_router_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "app" || lower.ends_with("router")
}

/// An expression that can compute a route path: a name, a member, a concatenation.
fn is_path_expr(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "identifier" | "member_expression" | "binary_expression" | "subscript_expression"
    )
}

/// The function an inline handler hands its request to: `(req, res) => users.create(req, res)`,
/// `async (req, res, next) => { await users.create(req, res, next); }`. The call must be the
/// whole body and pass the handler's own parameters through, in order.
fn forwarded_to<'t>(function: Node<'t>, source: &str) -> Option<Node<'t>> {
    let params: Vec<String> = function
        .child_by_field_name("parameters")
        .map(named_children)
        .unwrap_or_default()
        .into_iter()
        .map(|param| {
            let name = param.child_by_field_name("pattern").unwrap_or(param);
            text(name, source).to_string()
        })
        .collect();
    if params.len() < 2 {
        return None;
    }
    let mut body = function.child_by_field_name("body")?;
    if body.kind() == "statement_block" {
        let [statement] = named_children(body)[..] else {
            return None;
        };
        if !matches!(
            statement.kind(),
            "expression_statement" | "return_statement"
        ) {
            return None;
        }
        body = named_children(statement).into_iter().next()?;
    }
    if body.kind() == "await_expression" {
        body = named_children(body).into_iter().next()?;
    }
    if body.kind() != "call_expression" {
        return None;
    }
    let args: Vec<String> = body
        .child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
        .into_iter()
        .map(|arg| text(arg, source).to_string())
        .collect();
    if args.len() < 2 || args[..2] != params[..2] {
        return None;
    }
    let callee = body.child_by_field_name("function")?;
    matches!(callee.kind(), "identifier" | "member_expression").then_some(callee)
}

/// A literal route path: a string or template that starts like one (`"/users"`, `"*"`,
/// `` `${base}/users` ``), a regular expression, or an array of paths. `cache.get("key", cb)`
/// and `redis.del("key", cb)` name no route: Express matches paths from their leading `/`.
fn is_route_path(node: Node<'_>, source: &str) -> bool {
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

fn member_path(node: Node<'_>, source: &str) -> Option<Vec<String>> {
    match node.kind() {
        "identifier" | "property_identifier" => Some(vec![text(node, source).to_string()]),
        "member_expression" => {
            let mut path = member_path(node.child_by_field_name("object")?, source)?;
            path.push(text(node.child_by_field_name("property")?, source).to_string());
            Some(path)
        }
        _ => None,
    }
}

fn declares_param(function: Node<'_>, name: &str, source: &str) -> bool {
    let params = function
        .child_by_field_name("parameters")
        .or_else(|| function.child_by_field_name("parameter"));
    let Some(params) = params else {
        return false;
    };
    let mut stack = vec![params];
    while let Some(node) = stack.pop() {
        if node.kind() == "identifier" && text(node, source) == name {
            return true;
        }
        // Default values and type annotations name other things.
        if matches!(node.kind(), "type_annotation") {
            continue;
        }
        stack.extend(named_children(node));
    }
    false
}

fn function_name(
    function: Node<'_>,
    source: &str,
    find_binding: bool,
) -> (Option<String>, ByteRange) {
    if let Some(name) = function.child_by_field_name("name") {
        return (Some(text(name, source).to_string()), name.byte_range());
    }
    // Anonymous functions are pointed at by their parameter list.
    let head = function
        .child_by_field_name("parameters")
        .or_else(|| function.child_by_field_name("parameter"))
        .map_or(function.start_byte()..function.start_byte(), |params| {
            params.byte_range()
        });
    let binding = if find_binding {
        binding_name(function, source, 0)
    } else {
        None
    };
    match binding {
        Some(name) => (Some(key_text(name, source)), name.byte_range()),
        None => (None, head),
    }
}

/// The name an anonymous function is bound to: `const create = …`, `create: …`,
/// `exports.create = …`, a class field `static create = …`, or the same through a wrapper call
/// or a middleware array that has the function last (`const create = asyncHandler(async (req,
/// res) => …)`, `exports.create = [validate, async (req, res) => …]`).
fn binding_name<'t>(value: Node<'t>, source: &str, depth: usize) -> Option<Node<'t>> {
    let parent = value.parent()?;
    let name = match parent.kind() {
        "variable_declarator" => parent
            .child_by_field_name("name")
            .filter(|name| name.kind() == "identifier")?,
        "pair" => parent.child_by_field_name("key")?,
        "assignment_expression" => {
            let left = parent.child_by_field_name("left")?;
            match left.kind() {
                "identifier" => left,
                "member_expression" => {
                    let property = left.child_by_field_name("property")?;
                    // `module.exports = fn` exports the function under whatever name the
                    // importer picks: it has none of its own.
                    let object = left.child_by_field_name("object")?;
                    if text(property, source) == "exports" && text(object, source) == "module" {
                        return None;
                    }
                    property
                }
                _ => return None,
            }
        }
        "public_field_definition" => parent.child_by_field_name("name")?,
        "field_definition" => parent.child_by_field_name("property")?,
        "arguments" if depth < 2 => {
            let last = named_children(parent).into_iter().last()?;
            let call = parent
                .parent()
                .filter(|call| call.kind() == "call_expression")?;
            if last.id() != value.id() {
                return None;
            }
            return binding_name(call, source, depth + 1);
        }
        // `exports.create = [validate, async (req, res) => …]`: a middleware array whose last
        // element answers the request (express-validator's documented shape).
        "array" if depth < 2 => {
            let last = named_children(parent).into_iter().last()?;
            if last.id() != value.id() {
                return None;
            }
            return binding_name(parent, source, depth + 1);
        }
        _ => return None,
    };
    matches!(
        name.kind(),
        "identifier" | "property_identifier" | "private_property_identifier" | "string"
    )
    .then_some(name)
}

fn key_text(key: Node<'_>, source: &str) -> String {
    string_value(key, source).unwrap_or_else(|| text(key, source).to_string())
}

fn object_literal(object: Node<'_>, source: &str) -> ObjectLiteral {
    let mut entries = Vec::new();
    for pair in named_children(object) {
        match pair.kind() {
            "pair" => {
                let (Some(key), Some(value)) = (
                    pair.child_by_field_name("key"),
                    pair.child_by_field_name("value"),
                ) else {
                    continue;
                };
                entries.push((key_text(key, source), literal_value(value, source)));
            }
            "shorthand_property_identifier" => {
                entries.push((text(pair, source).to_string(), LiteralValue::Other));
            }
            _ => {}
        }
    }
    ObjectLiteral {
        range: object.byte_range(),
        entries,
    }
}

fn literal_value(value: Node<'_>, source: &str) -> LiteralValue {
    match value.kind() {
        "null" | "undefined" => LiteralValue::Null,
        "true" => LiteralValue::Bool(true),
        "false" => LiteralValue::Bool(false),
        "number" => LiteralValue::Number,
        _ => match string_value(value, source) {
            Some(text) => LiteralValue::String(text),
            None => LiteralValue::Other,
        },
    }
}

fn context_of(node: Node<'_>, handler: Option<ByteRange>, source: &str) -> Context {
    let mut context = Context::default();
    let mut child = node;
    for ancestor in ancestors(node) {
        if let Some(range) = &handler
            && ancestor.byte_range() == *range
        {
            break;
        }
        match ancestor.kind() {
            "catch_clause" => context.in_catch = true,
            "if_statement" => {
                let condition = ancestor.child_by_field_name("condition");
                if let Some(condition) = condition
                    && condition.id() != child.id()
                {
                    context
                        .branch_conditions
                        .push(text(condition, source).to_string());
                }
            }
            _ => {}
        }
        child = ancestor;
    }
    context.branch_conditions.reverse();
    context
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(language: Language, source: &str) -> FileFacts {
        let tree = super::super::parse(language, source).expect("tree");
        extract(language, source, &tree)
    }

    #[test]
    fn declaration_sites_are_whole_words_before_an_assignment() {
        let source = "const api = Router();\napi.post(x);\nconst apiKey = 1;\nif (api == b) {}\nlet api: Router = Router();\nconst f = (api) => api;";
        let sites: Vec<usize> = declaration_sites(source, "api").collect();
        assert_eq!(sites, vec![6, 74]);
    }

    #[test]
    fn a_receiver_created_by_the_framework_is_a_router_whatever_its_name() {
        let source = "import express, { Router } from 'express';\nconst api = Router();\napi.post('/a', (req, res) => res.end());\n";
        assert_eq!(facts(Language::TypeScript, source).registrations.len(), 1);
        let client = "const api = axios.create();\napi.post('/a', (req, res) => res.end());\n";
        assert!(facts(Language::JavaScript, client).registrations.is_empty());
    }

    #[test]
    fn renamed_imports_name_the_imported_item() {
        let source =
            "const { create: createUser } = require('./users');\nrouter.post('/u', createUser);\n";
        let found = facts(Language::JavaScript, source);
        assert_eq!(
            found.registrations[0].handler,
            HandlerRef::Named(vec!["createUser".to_string(), "create".to_string()])
        );
    }

    #[test]
    fn wrapped_and_listed_definitions_keep_their_binding_name() {
        let source = "const list = catchAsync(async (req, res) => res.json([]));\nexports.create = [check('a'), async (req, res) => res.json({})];\n";
        let found = facts(Language::JavaScript, source);
        let mut names: Vec<Option<String>> =
            found.handlers.iter().map(|h| h.name.clone()).collect();
        names.sort();
        assert_eq!(
            names,
            vec![Some("create".to_string()), Some("list".to_string())]
        );
    }
}
