//! Facts from JavaScript, TypeScript and TSX, read through the JS-family framework tables.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::chunks::{self, Capture, Chunk, ChunkFacts, ChunkReader, FactCache};
use super::js_conditions;
use super::node_util::{Parents, integer_value, named_children, string_value, text};
use super::queries;
use hsl_facts::{
    Body, ByteRange, Context, FileFacts, Handler, HandlerId, HandlerRef, HeaderFact, Import,
    Insertion, Language, LiteralValue, Method, MethodEvidence, MethodSource, ObjectLiteral,
    Replacement, Response, RouteRegistration, SiteRole, Spelling, StatusSite,
};
use hsl_tables::{Framework, ResponseCall, Tables};

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
#[cfg_attr(not(test), allow(dead_code))]
pub fn extract(language: Language, source: &str, tree: &Tree) -> FileFacts {
    extract_with(
        language,
        source,
        tree,
        &hsl_tables::FrameworkOverrides::default(),
    )
}

/// [`extract`] with framework detection overridden by configuration.
pub fn extract_with(
    language: Language,
    source: &str,
    tree: &Tree,
    overrides: &hsl_tables::FrameworkOverrides,
) -> FileFacts {
    extract_reusing(language, source, tree, overrides, None, false).0
}

/// [`extract_with`] statement by statement, reusing the facts `previous` holds for statements
/// that did not change (see [`chunks`]); returns the cache for the next version when `keep`.
pub(super) fn extract_reusing(
    language: Language,
    source: &str,
    tree: &Tree,
    overrides: &hsl_tables::FrameworkOverrides,
    previous: Option<&FactCache>,
    keep: bool,
) -> (FileFacts, Option<FactCache>) {
    let Some(query) = queries::query(language) else {
        return (FileFacts::default(), None);
    };
    let mut extractor = Extractor::new(source, tree, overrides, FileTraits::of(source), query);
    chunks::extract(
        &mut extractor,
        language,
        query,
        tree,
        source,
        previous,
        keep,
    )
}

/// Statement kinds that end at their closing brace: nothing after them continues them, so one
/// parsed on its own parses as it does in the file. Others must end with `;`.
const CLOSED_KINDS: &[&str] = &[
    "function_declaration",
    "generator_function_declaration",
    "class_declaration",
    "abstract_class_declaration",
    "interface_declaration",
    "enum_declaration",
    "if_statement",
    "for_statement",
    "for_in_statement",
    "while_statement",
    "try_statement",
    "switch_statement",
];

/// The facts of `text` when it differs from the text of `previous` inside one statement: that
/// statement alone is parsed and read (see [`chunks::extract_edited`]). `None` when the whole
/// file must be parsed.
pub(super) fn extract_edited(
    language: Language,
    text: &str,
    previous: &FactCache,
    overrides: &hsl_tables::FrameworkOverrides,
) -> Option<(FileFacts, FactCache)> {
    let edited = chunks::edited_chunk(previous, text)?;
    let statement = text.get(edited.range.clone())?;
    let tree = super::parse(language, statement)?;
    let node = tree.root_node().named_child(0)?;
    let closed = CLOSED_KINDS.contains(&node.kind())
        || (node.kind() == "export_statement"
            && node
                .child_by_field_name("declaration")
                .is_some_and(|declaration| CLOSED_KINDS.contains(&declaration.kind())));
    if !(statement.ends_with(';') || closed) {
        return None;
    }
    let query = queries::query(language)?;
    let mut extractor = Extractor::new(statement, &tree, overrides, FileTraits::of(text), query);
    chunks::extract_edited(&mut extractor, &edited, query, &tree, text)
}

/// What the whole file says that every statement's facts may depend on; read from the text,
/// so that a statement parsed on its own gets the same.
struct FileTraits {
    /// The quote the file writes strings with, for inserted text.
    quote: char,
    /// The directive the file starts with, among those the tables' helper defaults depend on
    /// (`"use server"`: its functions are Next.js Server Actions).
    directive: Option<&'static str>,
}

/// The directives the tables' helper defaults depend on, collected once (asked after every edit).
fn directives() -> &'static [&'static str] {
    static DIRECTIVES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    DIRECTIVES.get_or_init(|| Tables::get().js_directives())
}

impl FileTraits {
    fn of(source: &str) -> FileTraits {
        FileTraits {
            quote: quote_style(source),
            directive: directives()
                .iter()
                .copied()
                .find(|directive| starts_with_directive(source, directive)),
        }
    }
}

impl<'s, 't> Extractor<'s, 't> {
    fn new(
        source: &'s str,
        tree: &'t Tree,
        overrides: &hsl_tables::FrameworkOverrides,
        traits: FileTraits,
        query: &'static tree_sitter::Query,
    ) -> Self {
        Extractor {
            source,
            tables: Tables::get().for_language("js").collect(),
            facts: FileFacts::default(),
            handler_ids: HashMap::new(),
            router_names: HashMap::new(),
            quote: traits.quote,
            file_directive: traits.directive,
            escape_cache: HashMap::new(),
            parents: Parents::new(tree.root_node()),
            capture_names: query.capture_names(),
            overrides: overrides.clone(),
            consulted: Vec::new(),
            known_only: false,
            unanswered: false,
        }
    }
}

impl<'t> ChunkReader<'t> for Extractor<'_, 't> {
    fn environment(
        &mut self,
        _: &Chunk<'t>,
        captures: &[Capture<'t>],
    ) -> (Vec<Import>, Vec<String>) {
        let sources: Vec<Node<'t>> = captures
            .iter()
            .filter(|(index, _)| {
                matches!(
                    self.capture_name(*index),
                    Some("import.source" | "require.source")
                )
            })
            .map(|(_, node)| *node)
            .collect();
        self.facts.frameworks.clear();
        self.facts.imports.clear();
        self.detect_frameworks(&sources);
        self.collect_imports(&sources);
        chunks::take_environment(&mut self.facts)
    }

    fn enter(&mut self, imports: Vec<Import>, detected: Vec<String>) -> Vec<String> {
        chunks::enter_environment(&mut self.facts, &self.overrides, "js", imports, detected)
    }

    fn environment_key(&self) -> String {
        format!("{}{}", self.quote, self.file_directive.unwrap_or(""))
    }

    fn answer(&mut self, question: &str) -> bool {
        self.router_verdict(question)
    }

    fn read(&mut self, chunk: &Chunk<'t>, captures: &[Capture<'t>]) -> ChunkFacts {
        self.handler_ids.clear();
        self.consulted.clear();
        let mut calls = Vec::new();
        let mut assigns = Vec::new();
        let mut constructions = Vec::new();
        let mut decorators = Vec::new();
        let mut function_calls = Vec::new();
        for (index, node) in captures {
            match self.capture_name(*index) {
                Some("call") => calls.push(*node),
                Some("assign") => assigns.push(*node),
                Some("new") => constructions.push(*node),
                Some("decorator") => decorators.push(*node),
                Some("fcall") => function_calls.push(*node),
                _ => {}
            }
        }
        self.collect_exported_methods(&chunk.nodes);
        let mut items = Vec::new();
        for decorator in decorators {
            items.extend(self.decorator_item(decorator));
        }
        for construction in constructions {
            items.extend(self.constructor_item(construction));
        }
        for call in function_calls {
            items.extend(self.function_item(call));
        }
        for call in calls {
            if !is_chain_top(&self.parents, call) {
                continue;
            }
            let Some(chain) = chain_of(call, self.source) else {
                continue;
            };
            self.collect_registrations(&chain);
            if let Some(item) = self.response_item_from_chain(chain) {
                items.push(item);
            }
        }
        for assign in assigns {
            if let Some(item) = self.response_item_from_assignment(assign) {
                items.push(item);
            }
        }
        // Code outside any function is read together with the statements beside it (an
        // early-return guard, the statement that ends a response): broken syntax leaves a
        // handler's body at the top level mid-edit. Such a statement is read again every time.
        let foreign = items.iter().any(|item| {
            !self
                .parents
                .ancestors(item.node)
                .any(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()))
        });
        self.build_responses(items);
        ChunkFacts {
            dependencies: std::mem::take(&mut self.consulted),
            foreign: foreign || std::mem::take(&mut self.unanswered),
            ..ChunkFacts::taken_from(&mut self.facts)
        }
    }

    fn answers(&self) -> HashMap<String, bool> {
        self.router_names.clone()
    }

    fn answer_from(&mut self, known: &HashMap<String, bool>) {
        self.router_names = known.clone();
        self.known_only = true;
    }

    fn may_change_answer(&self, question: &str, text: &str) -> bool {
        declaration_sites(text, question).next().is_some()
    }
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
#[derive(Clone)]
enum Op<'t> {
    /// Sets the status: explicit, or a helper that always sets its default (redirect).
    Status {
        code: Option<u16>,
        spelling: Spelling,
        node: Node<'t>,
        range: ByteRange,
        /// A helper default that yields to a status set before it (`"any"`, `"redirect"`).
        keeps: Option<&'static str>,
        /// Where a header is added to this response in the site's idiom.
        header_insert: Option<Insertion>,
    },
    /// A status the call sends only when none was set (`res.json` → 200).
    Implicit {
        code: u16,
        spelling: Spelling,
        node: Node<'t>,
        range: ByteRange,
    },
    Header(HeaderFact),
    /// Headers whose names the syntax does not show (`res.set(headers)`, `{ ...base }`).
    OpaqueHeaders,
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
    anchor: Anchor<'t>,
    /// The call, assignment or decorator the item was read from.
    node: Node<'t>,
    /// Where the item's statement ends (its start is `start`).
    end: usize,
    /// The statement the item is, when it stands in a block.
    statement: Option<Node<'t>>,
    /// The response value leaves the syntax's sight: bound to a name, passed to a function
    /// (`const r = new Response(..)`, `withCors(Response.json(..))`), or handed to the method
    /// as `@Res()`; headers may be added where the syntax cannot follow.
    escapes: bool,
}

/// How an item finds its handler.
#[derive(Clone, Copy)]
enum Anchor<'t> {
    /// The function that declares the response object (`res`, `ctx`, `c`) as a parameter.
    Param,
    /// The nearest enclosing function (`Response.json(..)`, `new Response(..)`).
    Enclosing,
    /// A known function (the method a decorator sits on).
    Function(Node<'t>),
}

struct Extractor<'s, 't> {
    source: &'s str,
    tables: Vec<&'static Framework>,
    facts: FileFacts,
    handler_ids: HashMap<(usize, usize), HandlerId>,
    /// Receiver names already looked up: whether the file declares each as an app or router.
    router_names: HashMap<String, bool>,
    /// The quote the file writes strings with, for inserted text.
    quote: char,
    /// The directive the file starts with ([`FileTraits::directive`]).
    file_directive: Option<&'static str>,
    /// Per handler function and response name, where the response leaves the syntax's sight.
    escape_cache: HashMap<(usize, String), Vec<usize>>,
    /// Parent links, remembered: the extractors climb from every site to its handler.
    parents: Parents<'t>,
    /// The query's capture names, by capture index.
    capture_names: &'static [&'static str],
    /// Framework detection forced by configuration.
    overrides: hsl_tables::FrameworkOverrides,
    /// The router questions the statement being read asked of the rest of the file, with
    /// their answers ([`ChunkFacts::dependencies`]).
    consulted: Vec<(String, bool)>,
    /// Questions are answered from `router_names` only: the text read is one statement parsed
    /// on its own, and the rest of the file is out of reach ([`ChunkReader::answer_from`]).
    known_only: bool,
    /// A question could not be answered that way; the statement's facts are not used.
    unanswered: bool,
}

impl Extractor<'_, '_> {
    fn capture_name(&self, index: u32) -> Option<&'static str> {
        self.capture_names.get(index as usize).copied()
    }
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
            let Some(statement) = self.parents.parent(node) else {
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
            let declarator = self
                .parents
                .ancestors(*node)
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
                    specifier: None,
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
                    specifier: None,
                }),
                "namespace_import" => {
                    if let Some(name) = named_children(part).into_iter().next() {
                        self.facts.imports.push(Import {
                            local: text(name, self.source).to_string(),
                            module: module.to_string(),
                            item: None,
                            specifier: None,
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
                            // Only an unaliased specifier can take a sibling name beside it.
                            specifier: (alias.id() == name.id()).then(|| specifier.byte_range()),
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
                    specifier: Some(property.byte_range()),
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
                        specifier: None,
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

    /// The branch of `handler` that `node` sits in when the branch tests the request's method
    /// (`if (req.method === 'POST') { … }`, `case 'POST':` of `switch (req.method)`): a handler
    /// of its own whose method is the one tested. The innermost such branch wins.
    fn method_branch(&mut self, node: Node<'t>, handler: Option<HandlerId>) -> Option<HandlerId> {
        let branches: Vec<&'static hsl_tables::MethodBranches> = self
            .tables
            .iter()
            .filter_map(|t| t.routes.as_ref()?.method_branches.as_ref())
            .collect();
        if branches.is_empty() {
            return None;
        }
        let stop = handler.map(|id| self.facts.handlers[id].range.clone());
        let mut child = node;
        for ancestor in self.parents.ancestors(node) {
            if stop
                .as_ref()
                .is_some_and(|range| ancestor.byte_range() == *range)
                || FUNCTION_KINDS.contains(&ancestor.kind())
            {
                return None;
            }
            let found = match ancestor.kind() {
                "if_statement" => {
                    let consequence = ancestor.child_by_field_name("consequence");
                    let condition = ancestor.child_by_field_name("condition");
                    match (consequence, condition) {
                        (Some(consequence), Some(condition)) if consequence.id() == child.id() => {
                            self.tested_method(condition, &branches).map(|method| {
                                (consequence.byte_range(), strip_parens(condition), method)
                            })
                        }
                        _ => None,
                    }
                }
                "switch_case" => {
                    let value = ancestor.child_by_field_name("value");
                    let switch = self
                        .parents
                        .parent(ancestor)
                        .and_then(|body| self.parents.parent(body))
                        .filter(|s| s.kind() == "switch_statement");
                    let subject = switch.and_then(|s| s.child_by_field_name("value"));
                    match (value, subject) {
                        (Some(value), Some(subject))
                            if self.is_method_expr(strip_parens(subject), &branches) =>
                        {
                            upper_method(value, self.source)
                                .map(|method| (ancestor.byte_range(), value, method))
                        }
                        _ => None,
                    }
                }
                // `if (req.method !== 'POST') return …;` earlier in the block: what follows
                // it runs for POST only.
                "statement_block" => {
                    self.method_guard_before(child, &branches)
                        .map(|(guard, condition, method)| {
                            (guard.end_byte()..ancestor.end_byte(), condition, method)
                        })
                }
                _ => None,
            };
            if let Some((range, condition, method)) = found {
                let key = (range.start, range.end);
                if let Some(id) = self.handler_ids.get(&key) {
                    return Some(*id);
                }
                let id = self.facts.handlers.len();
                let calls = self
                    .parents
                    .root()
                    .descendant_for_byte_range(range.start, range.end)
                    .map(|node| js_conditions::calls(node, self.source))
                    .unwrap_or_default();
                self.facts.handlers.push(Handler {
                    name: None,
                    calls,
                    range,
                    name_range: condition.byte_range(),
                    methods: vec![MethodEvidence {
                        method,
                        source: MethodSource::Branch,
                        range: condition.byte_range(),
                    }],
                });
                self.handler_ids.insert(key, id);
                return Some(id);
            }
            child = ancestor;
        }
        None
    }

    /// An earlier statement of the same block that leaves unless the method is one:
    /// `if (req.method !== 'POST') { …; return …; }`.
    fn method_guard_before(
        &self,
        statement: Node<'t>,
        branches: &[&hsl_tables::MethodBranches],
    ) -> Option<(Node<'t>, Node<'t>, Method)> {
        // A guard on the request's method lives in a function body; the file's top level has
        // no request (and walking back over it sibling by sibling would be quadratic).
        let block = self
            .parents
            .parent(statement)
            .filter(|parent| parent.kind() != "program")?;
        // Siblings from the remembered parent: tree-sitter's own sibling steps climb from the root.
        let siblings = named_children(block);
        let at = siblings
            .iter()
            .position(|sibling| sibling.id() == statement.id())?;
        for node in siblings[..at].iter().rev().copied() {
            if node.kind() != "if_statement" || node.child_by_field_name("alternative").is_some() {
                continue;
            }
            let Some(condition) = node.child_by_field_name("condition").map(strip_parens) else {
                continue;
            };
            let Some(consequence) = node.child_by_field_name("consequence") else {
                continue;
            };
            if !always_leaves(consequence) || condition.kind() != "binary_expression" {
                continue;
            }
            let (Some(operator), Some(left), Some(right)) = (
                condition.child_by_field_name("operator"),
                condition.child_by_field_name("left").map(strip_parens),
                condition.child_by_field_name("right").map(strip_parens),
            ) else {
                continue;
            };
            if !matches!(text(operator, self.source), "!==" | "!=") {
                continue;
            }
            let method = if self.is_method_expr(left, branches) {
                upper_method(right, self.source)
            } else if self.is_method_expr(right, branches) {
                upper_method(left, self.source)
            } else {
                None
            };
            if let Some(method) = method {
                return Some((node, condition, method));
            }
        }
        None
    }

    /// `req.method === 'POST'` (either side, `==` too), alone or as a conjunct of `&&`.
    fn tested_method(
        &self,
        condition: Node<'t>,
        branches: &[&hsl_tables::MethodBranches],
    ) -> Option<Method> {
        let condition = strip_parens(condition);
        if condition.kind() != "binary_expression" {
            return None;
        }
        let operator = condition.child_by_field_name("operator")?;
        let left = strip_parens(condition.child_by_field_name("left")?);
        let right = strip_parens(condition.child_by_field_name("right")?);
        match text(operator, self.source) {
            "&&" => self
                .tested_method(left, branches)
                .or_else(|| self.tested_method(right, branches)),
            "===" | "==" => {
                if self.is_method_expr(left, branches) {
                    upper_method(right, self.source)
                } else if self.is_method_expr(right, branches) {
                    upper_method(left, self.source)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn is_method_expr(&self, node: Node<'t>, branches: &[&hsl_tables::MethodBranches]) -> bool {
        let Some(path) = member_path(node, self.source) else {
            return false;
        };
        let [object, property] = &path[..] else {
            return false;
        };
        branches
            .iter()
            .any(|b| &b.property == property && b.request_names.iter().any(|n| n == object))
    }

    /// `fastify.route({ method: 'POST', url: '/x', handler })`; `method` may be an array.
    fn register_route_object(
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
    fn is_router_name(&self, name: &str) -> bool {
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
    fn creates_router(&mut self, name: Node<'t>) -> bool {
        let wanted = text(name, self.source);
        let verdict = self.router_verdict(wanted);
        if !self.consulted.iter().any(|(asked, _)| asked == wanted) {
            self.consulted.push((wanted.to_string(), verdict));
        }
        verdict
    }

    /// [`Self::creates_router`] for a name, without recording the question.
    fn router_verdict(&mut self, wanted: &str) -> bool {
        if let Some(known) = self.router_names.get(wanted) {
            return *known;
        }
        if self.known_only {
            self.unanswered = true;
            return false;
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
    fn register(
        &mut self,
        refs: Vec<HandlerRef>,
        methods: &[Method],
        path: Option<String>,
        range: ByteRange,
    ) {
        for handler in refs {
            if let HandlerRef::Inline(id) = handler
                && let Some(found) = self.facts.handlers.get_mut(id)
            {
                for method in methods {
                    found.methods.push(MethodEvidence {
                        method: *method,
                        source: MethodSource::Registration,
                        range: range.clone(),
                    });
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
        let (name, name_range) = function_name(&self.parents, function, self.source, find_binding);
        let id = self.facts.handlers.len();
        self.facts.handlers.push(Handler {
            name,
            range: function.byte_range(),
            name_range,
            methods: Vec::new(),
            calls: js_conditions::calls(function, self.source),
        });
        self.handler_ids.insert(key, id);
        id
    }

    /// The table for a response object named `root`: among the frameworks the file imports
    /// first, the first one that knows what is done to it (`knows`), so that a file importing
    /// both `http` and `express` reads `res.redirect` as Express's.
    fn response_table(
        &self,
        root: &str,
        knows: impl Fn(&Framework) -> bool,
    ) -> Option<&'static Framework> {
        let detected = self
            .tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id));
        let others = self.tables.iter().filter(|table| {
            !self.facts.frameworks.contains(&table.id)
                && !table
                    .response
                    .as_ref()
                    .is_some_and(|r| r.only_when_imported)
        });
        let candidates: Vec<&'static Framework> = detected
            .chain(others)
            .filter(|table| {
                table
                    .response
                    .as_ref()
                    .is_some_and(|response| response.names.iter().any(|name| name == root))
            })
            .copied()
            .collect();
        candidates
            .iter()
            .find(|table| knows(table))
            .or(candidates.first())
            .copied()
    }

    /// The table whose response class is `root` (`Response`, `NextResponse`), among the
    /// frameworks the file imports, or any table that needs no import for it.
    fn static_table(&self, root: &str) -> Option<&'static Framework> {
        self.tables
            .iter()
            .filter(|table| {
                table.detect.imports.is_empty() || self.facts.frameworks.contains(&table.id)
            })
            .find(|table| {
                table
                    .response
                    .as_ref()
                    .is_some_and(|response| response.static_names.iter().any(|name| name == root))
            })
            .copied()
    }

    /// The response object a chain or assignment starts from: a name (`res`), or an alias
    /// property of one (Koa's `ctx.response`, read as `ctx`).
    fn response_root(&self, node: Node<'t>) -> Option<String> {
        match node.kind() {
            "identifier" => Some(text(node, self.source).to_string()),
            "member_expression" => {
                let object = node
                    .child_by_field_name("object")
                    .filter(|object| object.kind() == "identifier")?;
                let property = text(node.child_by_field_name("property")?, self.source);
                let name = text(object, self.source);
                let aliased = self.tables.iter().any(|table| {
                    table.response.as_ref().is_some_and(|response| {
                        response.names.iter().any(|n| n == name)
                            && response.aliases.iter().any(|alias| alias == property)
                    })
                });
                aliased.then(|| name.to_string())
            }
            _ => None,
        }
    }

    fn response_item_from_chain(&mut self, chain: Chain<'t>) -> Option<Item<'t>> {
        if let Some(item) = self.module_constructor_call(&chain) {
            return Some(item);
        }
        let root = self.response_root(chain.root)?;
        let (table, anchor) = match self.static_table(&root) {
            Some(table) => (table, Anchor::Enclosing),
            None => {
                let methods: Vec<&str> = chain.links.iter().map(|l| l.method.as_str()).collect();
                let knows = |table: &Framework| {
                    table
                        .calls
                        .iter()
                        .any(|call| methods.contains(&call.method.as_str()))
                };
                (self.response_table(&root, knows)?, Anchor::Param)
            }
        };
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
        let slot = statement_slot(&self.parents, chain.top);
        Some(Item {
            block: slot.block,
            start: slot.start,
            root,
            framework: table.id.clone(),
            ops,
            anchor,
            node: chain.top,
            end: slot.end,
            statement: slot.statement,
            escapes: value_escapes(&self.parents, chain.top),
        })
    }

    /// Whether `node` runs under `directive`: the file, or a function around it, starts with
    /// it (`"use server"` makes a Server Action).
    fn under_directive(&self, node: Node<'t>, directive: &str) -> bool {
        self.file_directive == Some(directive)
            || self.parents.ancestors(node).any(|ancestor| {
                FUNCTION_KINDS.contains(&ancestor.kind())
                    && ancestor
                        .child_by_field_name("body")
                        .filter(|body| body.kind() == "statement_block")
                        .and_then(|body| named_children(body).into_iter().next())
                        .is_some_and(|first| is_directive(first, directive, self.source))
            })
    }

    /// `createError.NotFound(msg)`: a constructor the framework's module exports, called on the
    /// name its import binds (http-errors' classes build the error with or without `new`).
    fn module_constructor_call(&mut self, chain: &Chain<'t>) -> Option<Item<'t>> {
        let [link] = chain.links.as_slice() else {
            return None;
        };
        if chain.root.kind() != "identifier" {
            return None;
        }
        let local = text(chain.root, self.source);
        let import = self.facts.imports.iter().find(|import| {
            import.local == local && import.item.as_deref().is_none_or(|item| item == "default")
        })?;
        let table = self
            .tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id))
            .find(|table| {
                table.detect.imports.contains(&import.module)
                    && table.constructors.iter().any(|c| c.method == link.method)
            })
            .copied()?;
        let call = table
            .constructors
            .iter()
            .find(|c| c.method == link.method)?;
        self.standalone_item(
            call,
            link,
            format!("{}@{}", link.method, link.call.start_byte()),
            &table.id,
        )
    }

    /// `new Response(body, init)`, `new HttpException(body, status)`.
    fn constructor_item(&mut self, construction: Node<'t>) -> Option<Item<'t>> {
        let constructor = construction.child_by_field_name("constructor")?;
        let name = member_path(constructor, self.source)?.last()?.clone();
        let args = construction
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        let table = self
            .tables
            .iter()
            .filter(|t| t.detect.imports.is_empty() || self.facts.frameworks.contains(&t.id))
            .find(|t| t.constructors.iter().any(|c| c.method == name))
            .copied()?;
        let call = table.constructors.iter().find(|c| c.method == name)?;
        if self.stored_by_call(construction, &call.stored_by) {
            return None;
        }
        // `new createError.NotFound()`: the class name is what a fix respells.
        let method_node = match constructor.kind() {
            "member_expression" => constructor
                .child_by_field_name("property")
                .unwrap_or(constructor),
            _ => constructor,
        };
        let link = Link {
            method: name.clone(),
            method_node,
            args,
            call: construction,
        };
        self.standalone_item(
            call,
            &link,
            format!("new {name}@{}", construction.start_byte()),
            &table.id,
        )
    }

    /// Whether `value` is an argument of a call to one of `methods` (`cache.put(req, value)`),
    /// through parentheses and `await`.
    fn stored_by_call(&self, value: Node<'t>, methods: &[String]) -> bool {
        if methods.is_empty() {
            return false;
        }
        let mut node = value;
        while let Some(parent) = self.parents.parent(node) {
            match parent.kind() {
                "parenthesized_expression" | "await_expression" | "as_expression" => node = parent,
                "arguments" => {
                    let callee = self
                        .parents
                        .parent(parent)
                        .and_then(|call| call.child_by_field_name("function"))
                        .filter(|callee| callee.kind() == "member_expression")
                        .and_then(|callee| callee.child_by_field_name("property"));
                    return callee
                        .is_some_and(|p| methods.iter().any(|m| m == text(p, self.source)));
                }
                _ => return false,
            }
        }
        false
    }

    /// The item of a call that is a response on its own (`new Response(..)`, `redirect(..)`),
    /// grouped with nothing else.
    fn standalone_item(
        &self,
        effect: &'static ResponseCall,
        link: &Link<'t>,
        root: String,
        framework: &str,
    ) -> Option<Item<'t>> {
        let mut ops = Vec::new();
        self.ops_of_call(effect, None, link, &mut ops);
        if ops.is_empty() {
            return None;
        }
        let slot = statement_slot(&self.parents, link.call);
        Some(Item {
            block: slot.block,
            start: slot.start,
            root,
            framework: framework.to_string(),
            ops,
            anchor: Anchor::Enclosing,
            node: link.call,
            end: slot.end,
            statement: slot.statement,
            escapes: value_escapes(&self.parents, link.call),
        })
    }

    /// `redirect('/x')` where `redirect` is imported from a framework that lists it.
    fn function_item(&mut self, call: Node<'t>) -> Option<Item<'t>> {
        let function = call.child_by_field_name("function")?;
        let local = text(function, self.source);
        let import = self.facts.imports.iter().find(|i| i.local == local)?;
        // A whole module called as a function (`require('http-errors')(404)`) is its default
        // export.
        let item = import.item.clone().unwrap_or_else(|| "default".to_string());
        let module = import.module.clone();
        let table = self
            .tables
            .iter()
            .filter(|t| {
                t.detect
                    .imports
                    .iter()
                    .any(|spec| module == *spec || module.starts_with(&format!("{spec}/")))
            })
            .find(|t| t.functions.iter().any(|f| f.method == item))
            .copied()?;
        let effect = table.functions.iter().find(|f| f.method == item)?;
        let link = Link {
            method: item.clone(),
            method_node: function,
            args: call
                .child_by_field_name("arguments")
                .map(named_children)
                .unwrap_or_default(),
            call,
        };
        self.standalone_item(
            effect,
            &link,
            format!("{item}()@{}", call.start_byte()),
            &table.id,
        )
    }

    /// The method a decorator sits on: its parent (JavaScript) or the next method of the class
    /// body (TypeScript puts decorators beside the method).
    fn decorated_method(&self, decorator: Node<'t>) -> Option<Node<'t>> {
        let parent = self.parents.parent(decorator)?;
        if parent.kind() == "method_definition" {
            return Some(parent);
        }
        if parent.kind() != "class_body" {
            return None;
        }
        let mut next = decorator.next_named_sibling();
        while let Some(node) = next {
            match node.kind() {
                "method_definition" => return Some(node),
                "decorator" | "comment" => next = node.next_named_sibling(),
                _ => return None,
            }
        }
        None
    }

    /// `@Post()` gives the method; `@HttpCode(204)`, `@Redirect(url)`, `@Header(..)` act on the
    /// method's response, whose body is what it returns.
    fn decorator_item(&mut self, decorator: Node<'t>) -> Option<Item<'t>> {
        let method = self.decorated_method(decorator)?;
        let call = named_children(decorator)
            .into_iter()
            .find(|n| n.kind() == "call_expression")?;
        let function = call.child_by_field_name("function")?;
        let name = member_path(function, self.source)?.last()?.clone();
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for table in self.tables.clone() {
            if !self.facts.frameworks.contains(&table.id) {
                continue;
            }
            if let Some(verb) = table
                .routes
                .as_ref()
                .and_then(|routes| routes.decorators.get(&name))
                .and_then(|m| Method::parse(m))
            {
                let id = self.handler_id(method, false);
                self.facts.handlers[id].methods.push(MethodEvidence {
                    method: verb,
                    source: MethodSource::Attribute,
                    range: decorator.byte_range(),
                });
                return None;
            }
            let Some(effect) = table.decorator_calls.iter().find(|c| c.method == name) else {
                continue;
            };
            let returned = returned_value(method);
            // A returned `{ url, statusCode }` overrides `@Redirect`: only a method that returns
            // nothing proves the decorator's code.
            if effect.redirect.is_some() && returned.is_some() {
                return None;
            }
            let link = Link {
                method: name.clone(),
                method_node: function,
                args,
                call,
            };
            let mut ops = Vec::new();
            self.ops_of_call(effect, None, &link, &mut ops);
            let takes_response = table.routes.as_ref().is_some_and(|routes| {
                takes_decorated_param(method, &routes.response_param_decorators, self.source)
            });
            if effect.status_arg.is_some() && !takes_response {
                ops.push(Op::Body(self.body_of_return(returned), None));
            }
            return Some(Item {
                block: Some(method.id()),
                start: decorator.start_byte(),
                root: "@".to_string(),
                framework: table.id.clone(),
                ops,
                anchor: Anchor::Function(method),
                node: decorator,
                end: decorator.end_byte(),
                statement: None,
                escapes: takes_response,
            });
        }
        None
    }

    fn body_of_return(&self, returned: Option<Node<'t>>) -> Body {
        match returned {
            Some(value) => self.body_of(Some(value)),
            None => Body::Unknown,
        }
    }

    /// Next.js `export async function POST(request)` / `export const POST = …`.
    fn collect_exported_methods(&mut self, statements: &[Node<'t>]) {
        // (name, method, whether the file imports the framework, the request types that prove
        // a handler without the import).
        type Exported = (&'static String, Method, bool, &'static [String]);
        let names: Vec<Exported> = self
            .tables
            .iter()
            .filter_map(|t| {
                let detected = self.facts.frameworks.contains(&t.id);
                t.routes.as_ref().map(|routes| (routes, detected))
            })
            .flat_map(|(routes, detected)| {
                routes
                    .exported_names
                    .iter()
                    .filter_map(move |(name, method)| {
                        Some((
                            name,
                            Method::parse(method)?,
                            detected,
                            routes.exported_request_types.as_slice(),
                        ))
                    })
            })
            .filter(|(_, _, detected, types)| *detected || !types.is_empty())
            .collect();
        if names.is_empty() {
            return;
        }
        for &statement in statements {
            if statement.kind() != "export_statement" {
                continue;
            }
            let Some(declaration) = statement.child_by_field_name("declaration") else {
                continue;
            };
            let mut found: Vec<(Node<'t>, Node<'t>)> = Vec::new();
            match declaration.kind() {
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(name) = declaration.child_by_field_name("name") {
                        found.push((name, declaration));
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    for declarator in named_children(declaration) {
                        let name = declarator.child_by_field_name("name");
                        let value = declarator.child_by_field_name("value");
                        if let (Some(name), Some(value)) = (name, value)
                            && FUNCTION_KINDS.contains(&value.kind())
                        {
                            found.push((name, value));
                        }
                    }
                }
                _ => {}
            }
            for (name, function) in found {
                let written = text(name, self.source);
                let Some((_, method, _, _)) = names.iter().find(|(n, _, detected, types)| {
                    n.as_str() == written
                        && (*detected
                            || first_param_type(function, self.source)
                                .is_some_and(|t| types.iter().any(|x| x == t)))
                }) else {
                    continue;
                };
                let id = self.handler_id(function, true);
                self.facts.handlers[id].methods.push(MethodEvidence {
                    method: *method,
                    source: MethodSource::ExportedName,
                    range: name.byte_range(),
                });
            }
        }
    }

    fn ops_of_call(
        &self,
        call: &'static ResponseCall,
        finish: Option<&str>,
        link: &Link<'t>,
        ops: &mut Vec<Op<'t>>,
    ) {
        let site = Site {
            call: link.call,
            method: Some(link.method_node),
            args: &link.args,
            receiver: chain_root(link.call)
                .filter(|root| root.kind() == "identifier")
                .map(|root| text(root, self.source)),
            init_arg: call.init_arg,
            headers_arg: call.headers_arg,
        };
        let first_status = ops.len();
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
        if let Some(index) = call.headers_arg
            && link.args.len() > index
            && let Some(last) = link.args.last()
            && !matches!(last.kind(), "string" | "template_string")
        {
            self.header_ops(*last, ops);
        }
        if let Some(index) = call.options_arg {
            for arg in link.args.iter().skip(index) {
                self.options_ops(*arg, ops);
            }
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
                at.filter(|arg| {
                    matches!(arg.kind(), "number" | "object")
                        || self.constant_status(*arg).is_some()
                })
                .or(numeric)
                .or(not_url)
                .or(at)
            } else {
                None
            };
            match explicit {
                Some(arg) if arg.kind() == "object" => self.init_ops(arg, ops),
                Some(arg) => ops.push(self.status_op(arg)),
                None => {
                    let code = match &redirect.under_directive {
                        Some(under) if self.under_directive(link.call, &under.directive) => {
                            under.status
                        }
                        _ => redirect.default,
                    };
                    ops.push(Op::Status {
                        code: Some(code),
                        spelling: Spelling::ImplicitDefault {
                            helper: link.method.clone(),
                            insert: self.insertion(&redirect.insert, &site),
                        },
                        node: link.method_node,
                        range: link.method_node.byte_range(),
                        keeps: redirect.keeps_status.as_deref(),
                        header_insert: None,
                    });
                }
            }
        } else if let Some(index) = call.status_arg
            && let Some(arg) = link.args.get(index)
        {
            ops.push(self.status_op(*arg));
        }
        if call.redirect.is_none()
            && let Some(index) = call.init_arg
            && let Some(arg) = link.args.get(index)
        {
            self.init_ops(*arg, ops);
        }
        // Statuses this call sets explicitly learn where a header goes.
        if let Some(spec) = &call.header_insert {
            for op in &mut ops[first_status..] {
                if let Op::Status {
                    spelling,
                    header_insert,
                    ..
                } = op
                    && !matches!(spelling, Spelling::ImplicitDefault { .. })
                {
                    *header_insert = self.insertion(spec, &site);
                }
            }
        }
        if let Some(code) = call.implicit_status {
            // A member of a family of fixed-status calls is spelled as a helper: a fix switches
            // it to its sibling (`UnauthorizedException` → `ForbiddenException`).
            let spelling = match &call.family {
                // Reached through a module (`createError.Unauthorized`), the name is written
                // qualified: a fix that switches it needs no import of the sibling.
                Some(family) => Spelling::Helper {
                    family: family.clone(),
                    name: self
                        .parents
                        .parent(link.method_node)
                        .filter(|parent| {
                            parent.kind() == "member_expression"
                                && parent
                                    .child_by_field_name("property")
                                    .is_some_and(|p| p.id() == link.method_node.id())
                        })
                        .map_or_else(
                            || link.method.clone(),
                            |member| text(member, self.source).to_string(),
                        ),
                    name_range: link.method_node.byte_range(),
                },
                None => Spelling::ImplicitDefault {
                    helper: link.method.clone(),
                    insert: call
                        .implicit_insert
                        .as_deref()
                        .and_then(|spec| self.insertion(spec, &site)),
                },
            };
            ops.push(Op::Implicit {
                code,
                spelling,
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
                    words: js_conditions::words(link.call, self.source),
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

    /// Where a table's insertion form (`ResponseCall::header_insert`, `implicit_insert`, a
    /// redirect's `insert`) puts its text at `site`, with `{q}`, `{receiver}` and `{indent}`
    /// filled in; `{name}`, `{value}` and `{code}` are left for the rule.
    fn insertion(&self, spec: &str, site: &Site<'_, 't>) -> Option<Insertion> {
        // `a|b`: the first form that applies.
        if let Some((first, rest)) = spec.split_once('|') {
            return self
                .insertion(first, site)
                .or_else(|| self.insertion(rest, site));
        }
        let q = self.quote.to_string();
        let entry = format!("{q}{{name}}{q}: {q}{{value}}{q}");
        let at = |at: usize, template: String| {
            Some(Insertion {
                at,
                template: template.replace("{q}", &q),
            })
        };
        let (kind, template) = spec.split_once(':').unwrap_or((spec, ""));
        match kind {
            "none" => None,
            "before-first-arg" => at(site.args.first()?.start_byte(), "{code}, ".to_string()),
            "after-last-arg" => at(site.args.last()?.end_byte(), ", {code}".to_string()),
            "after-call" => at(site.call.end_byte(), template.to_string()),
            "before-method" => at(site.method?.start_byte(), template.to_string()),
            "before-statement" => {
                let statement = match self.parents.parent(site.call) {
                    Some(decorator) if decorator.kind() == "decorator" => decorator,
                    _ => std::iter::once(site.call)
                        .chain(self.parents.ancestors(site.call))
                        .find(|n| {
                            FUNCTION_KINDS.contains(&n.kind())
                                || matches!(
                                    n.kind(),
                                    "expression_statement" | "return_statement" | "throw_statement"
                                )
                        })
                        .filter(|n| !FUNCTION_KINDS.contains(&n.kind()))
                        .filter(|n| {
                            self.parents.parent(n).is_some_and(|p| {
                                matches!(
                                    p.kind(),
                                    "statement_block"
                                        | "program"
                                        | "switch_case"
                                        | "switch_default"
                                )
                            })
                        })?,
                };
                let mut template = template.to_string();
                if template.contains("{receiver}") {
                    template = template.replace("{receiver}", site.receiver?);
                }
                let line_start = self.source[..statement.start_byte()]
                    .rfind('\n')
                    .map_or(0, |at| at + 1);
                let indent = &self.source[line_start..statement.start_byte()];
                let template = if indent.chars().all(char::is_whitespace) {
                    template.replace("{indent}", indent)
                } else {
                    template.replace("\n{indent}", " ").replace("{indent}", "")
                };
                at(statement.start_byte(), template)
            }
            "init-headers" => {
                let Some(init) = site.init_arg.and_then(|i| site.args.get(i)) else {
                    let last = site.args.last()?;
                    return at(last.end_byte(), format!(", {{ headers: {{ {entry} }} }}"));
                };
                if init.kind() != "object" {
                    return None;
                }
                let headers = named_children(*init).into_iter().find_map(|pair| {
                    let key = pair.child_by_field_name("key")?;
                    (pair.kind() == "pair" && key_text(key, self.source) == "headers")
                        .then(|| pair.child_by_field_name("value"))
                        .flatten()
                });
                match headers {
                    Some(object) if object.kind() == "object" => {
                        let (at_byte, text) = object_entry_insertion(object, &entry);
                        at(at_byte, text)
                    }
                    Some(_) => None,
                    None => {
                        let (at_byte, text) =
                            object_entry_insertion(*init, &format!("headers: {{ {entry} }}"));
                        at(at_byte, text)
                    }
                }
            }
            "headers-arg" => {
                let index = site.headers_arg?;
                match site.args.get(index..).and_then(|rest| rest.last()) {
                    Some(last) if last.kind() == "object" => {
                        let (at_byte, text) = object_entry_insertion(*last, &entry);
                        at(at_byte, text)
                    }
                    Some(last) if last.kind() == "string" => {
                        at(last.end_byte(), format!(", {{ {entry} }}"))
                    }
                    Some(_) => None,
                    None => at(site.args.last()?.end_byte(), format!(", {{ {entry} }}")),
                }
            }
            "init-arg" => match site.init_arg.and_then(|i| site.args.get(i)) {
                Some(init) if init.kind() == "object" => {
                    let (at_byte, text) = object_entry_insertion(*init, "status: {code}");
                    // Put the status first, where readers look for it.
                    match named_children(*init).first() {
                        Some(first) => at(first.start_byte(), "status: {code}, ".to_string()),
                        None => at(at_byte, text),
                    }
                }
                Some(_) => None,
                None => at(site.args.last()?.end_byte(), template.to_string()),
            },
            _ => None,
        }
    }

    /// Headers written in a call's argument: a name (`'Allow'`), an object (`{ Allow: 'GET' }`),
    /// `new Headers({..})`, or an array of pairs. Anything the syntax cannot name (a variable,
    /// a spread, a computed key) makes the headers opaque.
    fn header_ops(&self, arg: Node<'t>, ops: &mut Vec<Op<'t>>) {
        let mut push = |name: Option<String>, range: ByteRange| match name {
            Some(name) => ops.push(Op::Header(HeaderFact {
                name: name.to_ascii_lowercase(),
                range,
            })),
            None => ops.push(Op::OpaqueHeaders),
        };
        match arg.kind() {
            "object" => {
                for child in named_children(arg) {
                    match child.kind() {
                        "pair" => {
                            let name = child
                                .child_by_field_name("key")
                                .filter(|key| key.kind() != "computed_property_name")
                                .map(|key| key_text(key, self.source));
                            push(name, child.byte_range());
                        }
                        "shorthand_property_identifier" => {
                            push(
                                Some(text(child, self.source).to_string()),
                                child.byte_range(),
                            );
                        }
                        "comment" => {}
                        _ => push(None, child.byte_range()),
                    }
                }
            }
            "array" => {
                for element in named_children(arg) {
                    let name = (element.kind() == "array")
                        .then(|| named_children(element).into_iter().next())
                        .flatten()
                        .and_then(|name| string_value(name, self.source));
                    push(name, element.byte_range());
                }
            }
            "new_expression" => {
                let is_headers = arg
                    .child_by_field_name("constructor")
                    .is_some_and(|c| text(c, self.source) == "Headers");
                let init = arg
                    .child_by_field_name("arguments")
                    .and_then(|args| named_children(args).into_iter().next());
                match init {
                    Some(init) if is_headers && matches!(init.kind(), "object" | "array") => {
                        self.header_ops(init, ops);
                    }
                    None if is_headers => {}
                    _ => ops.push(Op::OpaqueHeaders),
                }
            }
            _ => push(string_value(arg, self.source), arg.byte_range()),
        }
    }

    /// An options object of an error (http-errors props, Hono's `HTTPException` options): its
    /// `headers` are the response's; a whole `res` or anything not literal hides them.
    fn options_ops(&self, arg: Node<'t>, ops: &mut Vec<Op<'t>>) {
        match arg.kind() {
            "object" => {
                for child in named_children(arg) {
                    let key = match child.kind() {
                        "pair" => child
                            .child_by_field_name("key")
                            .map(|key| key_text(key, self.source)),
                        "shorthand_property_identifier" => {
                            Some(text(child, self.source).to_string())
                        }
                        "comment" => continue,
                        _ => None,
                    };
                    match (key.as_deref(), child.child_by_field_name("value")) {
                        (Some("headers"), Some(value)) => self.header_ops(value, ops),
                        (Some("headers" | "res"), _) | (None, _) => ops.push(Op::OpaqueHeaders),
                        _ => {}
                    }
                }
            }
            // A message or a status; a name may hold options.
            "identifier" => ops.push(Op::OpaqueHeaders),
            _ => {}
        }
    }

    /// A `ResponseInit` (`{ status: 201, headers: { .. } }`) or a bare status in its place.
    fn init_ops(&self, arg: Node<'t>, ops: &mut Vec<Op<'t>>) {
        if arg.kind() != "object" {
            if !matches!(arg.kind(), "undefined" | "null") {
                ops.push(self.status_op(arg));
                if !matches!(arg.kind(), "number" | "member_expression") {
                    // `init` from a variable may carry headers.
                    ops.push(Op::OpaqueHeaders);
                }
            }
            return;
        }
        for pair in named_children(arg) {
            match pair.kind() {
                "pair" => {
                    let (Some(key), Some(value)) = (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    if key.kind() == "computed_property_name" {
                        ops.push(Op::OpaqueHeaders);
                        continue;
                    }
                    match key_text(key, self.source).as_str() {
                        "status" => ops.push(self.status_op(value)),
                        "headers" => self.header_ops(value, ops),
                        _ => {}
                    }
                }
                // `{ status }` or `{ ...init }`: a status whose value is not written here.
                "shorthand_property_identifier" if text(pair, self.source) == "status" => {
                    ops.push(self.status_op(pair));
                }
                "shorthand_property_identifier" if text(pair, self.source) == "headers" => {
                    ops.push(Op::OpaqueHeaders);
                }
                "spread_element" => {
                    ops.push(self.status_op(pair));
                    ops.push(Op::OpaqueHeaders);
                }
                _ => {}
            }
        }
    }

    fn status_op(&self, arg: Node<'t>) -> Op<'t> {
        if let Some((code, spelling, range)) = self.constant_status(arg) {
            return Op::Status {
                code,
                spelling,
                node: arg,
                range,
                keeps: None,
                header_insert: None,
            };
        }
        let code = integer_value(arg, self.source).and_then(|n| u16::try_from(n).ok());
        let spelling = Spelling::Number;
        Op::Status {
            code: if arg.kind() == "number" { code } else { None },
            spelling,
            node: arg,
            range: arg.byte_range(),
            keeps: None,
            header_insert: None,
        }
    }

    /// `HttpStatus.SEE_OTHER`, `StatusCodes.MOVED_TEMPORARILY`: a member of a constant family
    /// of a table (a name the family does not hold is left unknown).
    fn constant_status(&self, arg: Node<'t>) -> Option<(Option<u16>, Spelling, ByteRange)> {
        if arg.kind() != "member_expression" {
            return None;
        }
        let object = arg.child_by_field_name("object")?;
        let property = arg.child_by_field_name("property")?;
        let type_name = member_path(object, self.source)?.last()?.clone();
        let family = self
            .tables
            .iter()
            .flat_map(|t| &t.constant_families)
            .find(|family| family.type_name == type_name)?;
        let name = text(property, self.source).to_string();
        let code = family.names.get(&name).copied();
        code?;
        Some((
            code,
            Spelling::Constant {
                family: family.id.clone(),
                name,
                name_range: property.byte_range(),
            },
            arg.byte_range(),
        ))
    }

    fn body_of(&self, arg: Option<Node<'t>>) -> Body {
        let Some(arg) = arg else {
            return Body::None;
        };
        match arg.kind() {
            "object" => Body::Object(object_literal(arg, self.source)),
            // `JSON.stringify({ .. })`: the literal object is the content.
            "call_expression"
                if arg
                    .child_by_field_name("function")
                    .is_some_and(|f| text(f, self.source) == "JSON.stringify") =>
            {
                let object = arg
                    .child_by_field_name("arguments")
                    .and_then(|args| named_children(args).into_iter().next())
                    .filter(|first| first.kind() == "object");
                match object {
                    Some(object) => Body::Object(object_literal(object, self.source)),
                    None => Body::Opaque {
                        range: arg.byte_range(),
                        words: js_conditions::words(arg, self.source),
                    },
                }
            }
            "null" | "undefined" => Body::None,
            "identifier" if text(arg, self.source) == "undefined" => Body::None,
            _ => match string_value(arg, self.source) {
                Some(value) if value.is_empty() => Body::Empty,
                _ => Body::Opaque {
                    range: arg.byte_range(),
                    words: js_conditions::words(arg, self.source),
                },
            },
        }
    }

    fn response_item_from_assignment(&mut self, assign: Node<'t>) -> Option<Item<'t>> {
        let left = assign.child_by_field_name("left")?;
        let receiver = left.child_by_field_name("object")?;
        let property = left.child_by_field_name("property")?;
        let value = assign.child_by_field_name("right")?;
        let root = self.response_root(receiver)?;
        let property = text(property, self.source);
        let knows = |table: &Framework| table.assignments.iter().any(|a| a.property == property);
        let table = self.response_table(&root, knows)?;
        let assignment = table
            .assignments
            .iter()
            .find(|assignment| assignment.property == property)?;
        let mut ops = Vec::new();
        let site = Site {
            call: assign,
            method: None,
            args: &[],
            receiver: Some(root.as_str()),
            init_arg: None,
            headers_arg: None,
        };
        if assignment.body {
            if let Some(code) = assignment.implicit_status {
                ops.push(Op::Implicit {
                    code,
                    spelling: Spelling::ImplicitDefault {
                        helper: property.to_string(),
                        insert: assignment
                            .implicit_insert
                            .as_deref()
                            .and_then(|spec| self.insertion(spec, &site)),
                    },
                    node: left,
                    range: left.byte_range(),
                });
            }
            ops.push(Op::Body(self.body_of(Some(value)), None));
        } else {
            let mut op = self.status_op(value);
            if let Op::Status { header_insert, .. } = &mut op {
                *header_insert = assignment
                    .header_insert
                    .as_deref()
                    .and_then(|spec| self.insertion(spec, &site));
            }
            ops.push(op);
        }
        let slot = statement_slot(&self.parents, assign);
        Some(Item {
            block: slot.block,
            start: slot.start,
            root,
            framework: table.id.clone(),
            ops,
            anchor: Anchor::Param,
            node: assign,
            end: slot.end,
            statement: slot.statement,
            escapes: value_escapes(&self.parents, assign),
        })
    }

    /// Groups the items of each block by response object, in order, into responses that end at
    /// a finishing call (`res.json`, `res.end`).
    fn build_responses(&mut self, mut items: Vec<Item<'t>>) {
        items.sort_by_key(|item| (item.block, item.start));
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let joins = groups.last().is_some_and(|group| {
                group.last().is_some_and(|&last| {
                    let last = &items[last];
                    item.block.is_some()
                        && last.block == item.block
                        && last.root == item.root
                        && !last.ops.iter().any(|op| matches!(op, Op::Ends))
                })
            });
            match groups.last_mut() {
                Some(group) if joins => group.push(index),
                _ => groups.push(vec![index]),
            }
        }
        let mut group_of = vec![0; items.len()];
        for (number, group) in groups.iter().enumerate() {
            for &index in group {
                group_of[index] = number;
            }
        }
        let finished: Vec<bool> = groups
            .iter()
            .map(|group| group_finishes(&self.parents, group.iter().map(|&index| &items[index])))
            .collect();
        let mut by_start: Vec<usize> = (0..items.len()).collect();
        by_start.sort_by_key(|&index| items[index].start);
        let decorated: Vec<usize> = (0..items.len())
            .filter(|&index| matches!(items[index].anchor, Anchor::Function(_)))
            .collect();
        let all = Items {
            items: &items,
            group_of: &group_of,
            finished: &finished,
            by_start: &by_start,
            decorated: &decorated,
        };
        for (number, group) in groups.iter().enumerate() {
            self.build_group(&all, number, group);
        }
    }

    /// The headers the syntax shows on the response of `group`, and whether they are all of
    /// them: the group's own, those set on the same object earlier in an enclosing block of the
    /// handler, and nothing set where the syntax cannot follow (a variable, a spread, a helper
    /// the response is passed to, a branch that may or may not run).
    fn visible_headers(
        &mut self,
        all: &Items<'_, 't>,
        number: usize,
        group: &[usize],
    ) -> (Vec<HeaderFact>, bool) {
        let items = all.items;
        let mut headers = Vec::new();
        let mut complete = true;
        for &index in group {
            let item = &items[index];
            complete &= !item.escapes;
            for op in &item.ops {
                match op {
                    Op::Header(header) => headers.push(header.clone()),
                    Op::OpaqueHeaders => complete = false,
                    _ => {}
                }
            }
        }
        let (Some(&first), Some(&last)) = (group.first(), group.last()) else {
            return (headers, false);
        };
        let first = &items[first];
        let end = items[last].end;
        let finished = all.finished[number];
        match first.anchor {
            Anchor::Param => {
                let Some(function) = self.parents.ancestors(first.node).find(|ancestor| {
                    FUNCTION_KINDS.contains(&ancestor.kind())
                        && declares_param(*ancestor, &first.root, self.source)
                }) else {
                    return (headers, false);
                };
                let scope = function.byte_range();
                let blocks: Vec<usize> = self
                    .parents
                    .ancestors(first.node)
                    .take_while(|ancestor| ancestor.id() != function.id())
                    .filter(|ancestor| {
                        matches!(
                            ancestor.kind(),
                            "statement_block" | "program" | "switch_case" | "switch_default"
                        )
                    })
                    .map(|block| block.id())
                    .collect();
                for &index in all.within(&scope) {
                    let other = &items[index];
                    if all.group_of[index] == number || other.root != first.root {
                        continue;
                    }
                    let touches = other.escapes
                        || other
                            .ops
                            .iter()
                            .any(|op| matches!(op, Op::Header(_) | Op::OpaqueHeaders));
                    if !touches {
                        continue;
                    }
                    let encloses = other.block.is_some_and(|block| blocks.contains(&block))
                        && other.end <= first.start;
                    if encloses {
                        complete &= !other.escapes;
                        for op in &other.ops {
                            match op {
                                Op::Header(header) => headers.push(header.clone()),
                                Op::OpaqueHeaders => complete = false,
                                _ => {}
                            }
                        }
                        continue;
                    }
                    // Another response that was sent, or code after this one was sent.
                    if all.finished[all.group_of[index]] || (finished && other.start >= end) {
                        continue;
                    }
                    complete = false;
                }
                let escapes = self.escape_sites(function, &first.root);
                if escapes.iter().any(|&at| !finished || at < end) {
                    complete = false;
                }
            }
            Anchor::Enclosing => {
                // A NestJS exception thrown from a method with `@Header(..)` decorators carries
                // their headers (they are set before the method runs).
                if let Some(function) = self
                    .parents
                    .ancestors(first.node)
                    .find(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()))
                {
                    for &index in all.decorated {
                        let other = &items[index];
                        if let Anchor::Function(method) = other.anchor
                            && method.id() == function.id()
                        {
                            complete &= !other.escapes;
                            for op in &other.ops {
                                match op {
                                    Op::Header(header) => headers.push(header.clone()),
                                    Op::OpaqueHeaders => complete = false,
                                    _ => {}
                                }
                            }
                        }
                    }
                }
            }
            Anchor::Function(_) => {}
        }
        (headers, complete)
    }

    /// Where, in `function`, the response object `root` leaves the syntax's sight: passed to a
    /// call, bound to another name, put in an object or array, or reached through a member
    /// that sets headers out of the tables' sight (`reply.raw`, `ctx.res`).
    fn escape_sites(&mut self, function: Node<'t>, root: &str) -> Vec<usize> {
        let key = (function.id(), root.to_string());
        if let Some(found) = self.escape_cache.get(&key) {
            return found.clone();
        }
        let opaque_members: Vec<&str> = self
            .tables
            .iter()
            .filter_map(|table| table.response.as_ref())
            .filter(|response| response.names.iter().any(|name| name == root))
            .flat_map(|response| response.opaque_members.iter().map(String::as_str))
            .collect();
        let params = function
            .child_by_field_name("parameters")
            .or_else(|| function.child_by_field_name("parameter"))
            .map(|params| params.byte_range());
        let mut found = Vec::new();
        let mut stack = vec![function];
        while let Some(node) = stack.pop() {
            if params.as_ref().is_some_and(|range| {
                node.start_byte() >= range.start && node.end_byte() <= range.end
            }) {
                continue;
            }
            let named_root = matches!(node.kind(), "identifier" | "shorthand_property_identifier")
                && text(node, self.source) == root;
            if named_root {
                let escapes = node.kind() == "shorthand_property_identifier"
                    || self
                        .parents
                        .parent(node)
                        .is_some_and(|parent| match parent.kind() {
                            "arguments" | "array" | "spread_element" => true,
                            "variable_declarator" | "pair" => parent
                                .child_by_field_name("value")
                                .is_some_and(|value| value.id() == node.id()),
                            "assignment_expression" => parent
                                .child_by_field_name("right")
                                .is_some_and(|value| value.id() == node.id()),
                            "member_expression" => parent
                                .child_by_field_name("property")
                                .is_some_and(|p| opaque_members.contains(&text(p, self.source))),
                            _ => false,
                        });
                if escapes {
                    found.push(node.start_byte());
                }
                continue;
            }
            stack.extend(named_children(node));
        }
        self.escape_cache.insert(key, found.clone());
        found
    }

    fn build_group(&mut self, all: &Items<'_, 't>, number: usize, group: &[usize]) {
        let Some(&first) = group.first() else {
            return;
        };
        let first = &all.items[first];
        let framework = first.framework.clone();
        let root = first.root.clone();
        let anchor = first.anchor;
        let ops = keep_earlier_statuses(
            group
                .iter()
                .flat_map(|&index| all.items[index].ops.iter().cloned())
                .collect(),
        );
        let (headers, headers_complete) = self.visible_headers(all, number, group);
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
        for op in ops.iter() {
            let (code, spelling, node, range, header_insert) = match op {
                Op::Status {
                    code,
                    spelling,
                    node,
                    range,
                    header_insert,
                    ..
                } => (*code, spelling, node, range, header_insert.clone()),
                Op::Implicit {
                    code,
                    spelling,
                    node,
                    range,
                } => {
                    if !std::ptr::eq(op, effective.unwrap_or(op)) {
                        continue;
                    }
                    (Some(*code), spelling, node, range, None)
                }
                _ => continue,
            };
            if code.is_none() {
                continue;
            }
            let is_effective = effective.is_some_and(|found| std::ptr::eq(found, op));
            let handler = match anchor {
                Anchor::Param => self.enclosing_handler(*node, &root),
                Anchor::Enclosing => {
                    let function = self
                        .parents
                        .ancestors(*node)
                        .find(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()));
                    function.map(|function| self.handler_id(function, true))
                }
                Anchor::Function(function) => Some(self.handler_id(function, true)),
            };
            let handler = match self.method_branch(*node, handler) {
                Some(branch) => Some(branch),
                None => handler,
            };
            let context = context_of(
                &self.parents,
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
                headers_complete: is_effective && headers_complete,
                header_insert: if is_effective { header_insert } else { None },
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
        let function = self.parents.ancestors(node).find(|ancestor| {
            FUNCTION_KINDS.contains(&ancestor.kind())
                && declares_param(*ancestor, root, self.source)
        })?;
        Some(self.handler_id(function, true))
    }
}

/// Every item, with the group each belongs to and whether that group's response is finished.
struct Items<'a, 't> {
    items: &'a [Item<'t>],
    group_of: &'a [usize],
    finished: &'a [bool],
    /// Indices of `items` in source order, so a handler's items are found by binary search
    /// rather than by scanning every item of the file for every response.
    by_start: &'a [usize],
    /// Indices of the items anchored to a function by a decorator (`@Header(..)`).
    decorated: &'a [usize],
}

impl Items<'_, '_> {
    /// Indices of the items that start inside `scope`.
    fn within(&self, scope: &std::ops::Range<usize>) -> &[usize] {
        let from = self
            .by_start
            .partition_point(|&index| self.items[index].start < scope.start);
        let to = self
            .by_start
            .partition_point(|&index| self.items[index].start < scope.end);
        self.by_start.get(from..to).unwrap_or(&[])
    }
}

/// Whether a group's response is finished: a call ends it (`res.end()`), or its block leaves
/// right after it (Koa's `ctx.status = 405; return;`), so nothing later in the handler joins it.
fn group_finishes<'a, 't: 'a>(
    parents: &Parents<'t>,
    mut group: impl Iterator<Item = &'a Item<'t>>,
) -> bool {
    let mut last = None;
    for item in group.by_ref() {
        if item.ops.iter().any(|op| matches!(op, Op::Ends)) {
            return true;
        }
        last = Some(item);
    }
    let Some(statement) = last.and_then(|item| item.statement) else {
        return false;
    };
    let Some(block) = parents.parent(statement) else {
        return false;
    };
    named_children(block)
        .into_iter()
        .skip_while(|sibling| sibling.id() != statement.id())
        .any(|node| matches!(node.kind(), "return_statement" | "throw_statement"))
}

/// Drops a helper's default status when the same response already set one that the helper
/// keeps (Fastify's `reply.code(303).redirect(url)`; Koa's `ctx.status = 301; ctx.redirect(url)`
/// keeps a redirect code). An earlier status whose value is unknown makes the default unknown.
fn keep_earlier_statuses(ops: Vec<Op<'_>>) -> Vec<Op<'_>> {
    const REDIRECTS: &[u16] = &[300, 301, 302, 303, 305, 307, 308];
    let mut out: Vec<Op<'_>> = Vec::with_capacity(ops.len());
    let mut earlier: Option<Option<u16>> = None;
    for mut op in ops {
        if let Op::Status { code, keeps, .. } = &mut op {
            match (*keeps, earlier) {
                (Some("any"), Some(_)) => continue,
                (Some("redirect"), Some(Some(set))) if REDIRECTS.contains(&set) => continue,
                (Some("redirect"), Some(None)) => *code = None,
                _ => {}
            }
            earlier = Some(*code);
        }
        out.push(op);
    }
    out
}

/// The value the first `return <value>` directly in a function's body returns.
fn returned_value(function: Node<'_>) -> Option<Node<'_>> {
    let body = function.child_by_field_name("body")?;
    let mut stack = named_children(body);
    stack.reverse();
    while let Some(node) = stack.pop() {
        if FUNCTION_KINDS.contains(&node.kind()) || node.kind() == "class_declaration" {
            continue;
        }
        if node.kind() == "return_statement" {
            if let Some(value) = named_children(node).into_iter().next() {
                return Some(value);
            }
            continue;
        }
        let mut children = named_children(node);
        children.reverse();
        stack.extend(children);
    }
    None
}

/// Whether one of a method's parameters carries one of `decorators` (`@Res() res`).
fn takes_decorated_param(method: Node<'_>, decorators: &[String], source: &str) -> bool {
    let Some(params) = method.child_by_field_name("parameters") else {
        return false;
    };
    named_children(params).into_iter().any(|param| {
        named_children(param)
            .into_iter()
            .filter(|child| child.kind() == "decorator")
            .filter_map(|decorator| named_children(decorator).into_iter().next())
            .filter_map(|expr| match expr.kind() {
                "call_expression" => expr.child_by_field_name("function"),
                _ => Some(expr),
            })
            .any(|name| decorators.iter().any(|d| d == text(name, source)))
    })
}

/// Methods written as a literal: `'POST'` or `['PUT', 'PATCH']` (upper case, as requests carry
/// them); `None` when any is not a literal method.
fn method_list(node: Node<'_>, source: &str) -> Option<Vec<Method>> {
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

/// A statement that always returns or throws: `return x;`, `{ …; return; }`.
fn always_leaves(statement: Node<'_>) -> bool {
    match statement.kind() {
        "return_statement" | "throw_statement" => true,
        "statement_block" => named_children(statement)
            .into_iter()
            .rev()
            .find(|n| n.kind() != "comment")
            .is_some_and(always_leaves),
        _ => false,
    }
}

fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match named_children(node).into_iter().next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// A method name as the request carries it: upper case (`'POST'`); `'post'` never matches.
fn upper_method(node: Node<'_>, source: &str) -> Option<Method> {
    let value = string_value(node, source)?;
    if value != value.to_ascii_uppercase() {
        return None;
    }
    Method::parse(&value)
}

/// The type written on a function's first parameter (`Request` in `(request: Request)`).
fn first_param_type<'s>(function: Node<'_>, source: &'s str) -> Option<&'s str> {
    let params = function.child_by_field_name("parameters")?;
    let first = named_children(params).into_iter().next()?;
    let annotation = first.child_by_field_name("type")?;
    let written = text(annotation, source).trim_start_matches(':').trim();
    Some(written)
}

/// The object a member-call chain starts from (`ctx` in `ctx.set(..).redirect(..)`).
fn chain_root(call: Node<'_>) -> Option<Node<'_>> {
    let mut current = call;
    loop {
        current = match current.kind() {
            "call_expression" => current.child_by_field_name("function")?,
            "member_expression" => current.child_by_field_name("object")?,
            _ => return Some(current),
        };
    }
}

fn is_chain_top<'t>(parents: &Parents<'t>, call: Node<'t>) -> bool {
    let Some(parent) = parents.parent(call) else {
        return true;
    };
    if parent.kind() != "member_expression" {
        return true;
    }
    let Some(grand) = parents.parent(parent) else {
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

/// A call as an insertion form sees it (see [`Extractor::insertion`]).
struct Site<'a, 't> {
    call: Node<'t>,
    method: Option<Node<'t>>,
    args: &'a [Node<'t>],
    /// The response object the call is made on, when it is a name.
    receiver: Option<&'a str>,
    init_arg: Option<usize>,
    headers_arg: Option<usize>,
}

/// Where `entry` goes to become the last entry of an object literal, and the text to insert.
fn object_entry_insertion(object: Node<'_>, entry: &str) -> (usize, String) {
    let last = named_children(object)
        .into_iter()
        .rfind(|child| child.kind() != "comment");
    match last {
        Some(last) => (last.end_byte(), format!(", {entry}")),
        None => (object.start_byte() + 1, format!(" {entry} ")),
    }
}

/// Whether a statement is the directive `"<name>"` (a string alone as an expression statement).
fn is_directive(statement: Node<'_>, name: &str, source: &str) -> bool {
    statement.kind() == "expression_statement"
        && named_children(statement)
            .first()
            .is_some_and(|expr| string_value(*expr, source).as_deref() == Some(name))
}

/// Whether the text's first statement is the directive `"<name>"`, comments and blank lines
/// before it skipped (read from the text: a statement parsed on its own must see the same).
fn starts_with_directive(source: &str, name: &str) -> bool {
    let mut rest = source.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("//") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else if let Some(shebang) = rest.strip_prefix("#!") {
            rest = shebang.split_once('\n').map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    // The string must be the whole statement: `"use server".length` is not a directive.
    [format!("'{name}'"), format!("\"{name}\"")]
        .iter()
        .filter_map(|quoted| rest.strip_prefix(quoted.as_str()))
        .map(|after| after.trim_start_matches([' ', '\t']))
        .any(|after| {
            after.is_empty()
                || after.starts_with([';', '\n', '\r'])
                || after.starts_with("//")
                || after.starts_with("/*")
        })
}

/// The quote the file writes strings with: the one that opens more strings (a quote after a
/// non-word character; `don't` in a comment does not count), double quotes on a tie.
fn quote_style(source: &str) -> char {
    let bytes = source.as_bytes();
    let mut single = 0;
    let mut double = 0;
    // Only the quotes are visited (the language server asks after every edit of a large file).
    for at in memchr::memchr2_iter(b'\'', b'"', bytes) {
        let previous = at.checked_sub(1).map_or(b' ', |before| bytes[before]);
        // Bytes of non-ASCII characters count as word characters (`é'`).
        let opens = !(previous.is_ascii_alphanumeric() || previous >= 0x80 || previous == b'\\');
        match bytes[at] {
            b'\'' if opens => single += 1,
            b'"' if opens => double += 1,
            _ => {}
        }
    }
    if single > double { '\'' } else { '"' }
}

/// Where an item stands: the block its statement sits in (to group statements on one
/// response), the statement's range, and the statement when it stands in a block.
struct Slot<'t> {
    block: Option<usize>,
    start: usize,
    end: usize,
    statement: Option<Node<'t>>,
}

/// The block a statement sits in (to group statements on one response) and where it starts.
fn statement_slot<'t>(parents: &Parents<'t>, node: Node<'t>) -> Slot<'t> {
    let statement = std::iter::once(node)
        .chain(parents.ancestors(node))
        .find(|n| {
            matches!(n.kind(), "expression_statement" | "return_statement")
                || parents
                    .parent(n)
                    .is_some_and(|p| p.kind() == "arrow_function")
        });
    let Some(statement) = statement else {
        return Slot {
            block: None,
            start: node.start_byte(),
            end: node.end_byte(),
            statement: None,
        };
    };
    match parents.parent(statement) {
        Some(block)
            if matches!(
                block.kind(),
                "statement_block" | "program" | "switch_case" | "switch_default"
            ) =>
        {
            Slot {
                block: Some(block.id()),
                start: statement.start_byte(),
                end: statement.end_byte(),
                statement: Some(statement),
            }
        }
        _ => Slot {
            block: None,
            start: statement.start_byte(),
            end: statement.end_byte(),
            statement: None,
        },
    }
}

/// Whether a response value leaves the syntax's sight: anything but being returned, thrown or
/// finished as a statement of its own (`const r = new Response(..)`, `withCors(res.json(x))`).
fn value_escapes<'t>(parents: &Parents<'t>, node: Node<'t>) -> bool {
    let mut child = node;
    for parent in parents.ancestors(node) {
        match parent.kind() {
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "sequence_expression" => {}
            "ternary_expression" | "binary_expression" => {
                let condition = parent
                    .child_by_field_name("condition")
                    .or_else(|| parent.child_by_field_name("left"))
                    .filter(|_| parent.kind() == "ternary_expression");
                if condition.is_some_and(|c| c.id() == child.id()) {
                    return true;
                }
            }
            "expression_statement" | "return_statement" | "throw_statement" => return false,
            "arrow_function" => {
                return parent
                    .child_by_field_name("body")
                    .is_none_or(|body| body.id() != child.id());
            }
            _ => return true,
        }
        child = parent;
    }
    true
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

fn function_name<'t>(
    parents: &Parents<'t>,
    function: Node<'t>,
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
        binding_name(parents, function, source, 0)
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
fn binding_name<'t>(
    parents: &Parents<'t>,
    value: Node<'t>,
    source: &str,
    depth: usize,
) -> Option<Node<'t>> {
    let parent = parents.parent(value)?;
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
            let call = parents
                .parent(parent)
                .filter(|call| call.kind() == "call_expression")?;
            if last.id() != value.id() {
                return None;
            }
            return binding_name(parents, call, source, depth + 1);
        }
        // `exports.create = [validate, async (req, res) => …]`: a middleware array whose last
        // element answers the request (express-validator's documented shape).
        "array" if depth < 2 => {
            let last = named_children(parent).into_iter().last()?;
            if last.id() != value.id() {
                return None;
            }
            return binding_name(parents, parent, source, depth + 1);
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
                let name = text(pair, source).to_string();
                entries.push((name.clone(), LiteralValue::Variable(name)));
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
        "identifier" => LiteralValue::Variable(text(value, source).to_string()),
        _ => match string_value(value, source) {
            Some(text) => LiteralValue::String(text),
            None => LiteralValue::Other,
        },
    }
}

/// Where a response sits in its handler's control flow: the `if`s, ternaries and early-return
/// guards on the way to it (with the branch taken), and the innermost `catch` (or promise
/// `.catch(..)` callback) around it.
fn context_of<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    handler: Option<ByteRange>,
    source: &str,
) -> Context {
    let mut context = Context::default();
    let mut conditions = Vec::new();
    let mut child = node;
    for ancestor in parents.ancestors(node) {
        if let Some(range) = &handler
            && ancestor.byte_range() == *range
        {
            break;
        }
        match ancestor.kind() {
            "catch_clause" => {
                context.in_catch = true;
                if context.failure.is_none() {
                    let tried = parents
                        .parent(ancestor)
                        .filter(|parent| parent.kind() == "try_statement")
                        .and_then(|parent| parent.child_by_field_name("body"));
                    context.failure = Some(hsl_facts::Failure {
                        range: ancestor.byte_range(),
                        binding: ancestor
                            .child_by_field_name("parameter")
                            .map(|param| text(param, source).to_string()),
                        pattern: None,
                        tried: tried.map(|body| body.byte_range()),
                        tried_words: tried
                            .map(|body| js_conditions::words(body, source))
                            .unwrap_or_default(),
                    });
                }
            }
            "if_statement" | "ternary_expression" => {
                if let Some(condition) = ancestor.child_by_field_name("condition")
                    && condition.id() != child.id()
                {
                    let negated = ancestor
                        .child_by_field_name("alternative")
                        .is_some_and(|alternative| alternative.id() == child.id());
                    conditions.push(js_condition(condition, negated, source));
                }
            }
            "statement_block" | "program" | "switch_case" => {
                let before = named_children(ancestor)
                    .into_iter()
                    .take_while(|sibling| sibling.end_byte() <= child.start_byte());
                let mut guards: Vec<hsl_facts::Condition> = before
                    .filter(|sibling| {
                        sibling.kind() == "if_statement"
                            && sibling.child_by_field_name("alternative").is_none()
                            && sibling
                                .child_by_field_name("consequence")
                                .is_some_and(always_leaves)
                    })
                    .filter_map(|guard| guard.child_by_field_name("condition"))
                    .map(|condition| js_condition(condition, true, source))
                    .collect();
                guards.reverse();
                conditions.extend(guards);
            }
            "arguments" => {
                if let Some(failure) = promise_catch(parents, ancestor, child, source) {
                    context.in_catch = true;
                    if context.failure.is_none() {
                        context.failure = Some(failure);
                    }
                }
            }
            _ => {}
        }
        child = ancestor;
    }
    conditions.reverse();
    context.branch_conditions = conditions;
    context
}

/// A tested expression as a [`hsl_facts::Condition`], without its parentheses.
fn js_condition(condition: Node<'_>, negated: bool, source: &str) -> hsl_facts::Condition {
    js_conditions::condition(strip_parens(condition), negated, source)
}

/// `promise.catch((err) => …)`: the callback `child` handles the promise's failure.
fn promise_catch<'t>(
    parents: &Parents<'t>,
    arguments: Node<'t>,
    child: Node<'t>,
    source: &str,
) -> Option<hsl_facts::Failure> {
    if !FUNCTION_KINDS.contains(&child.kind()) {
        return None;
    }
    let call = parents
        .parent(arguments)
        .filter(|p| p.kind() == "call_expression")?;
    let callee = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "member_expression")?;
    let property = callee.child_by_field_name("property")?;
    if text(property, source) != "catch" {
        return None;
    }
    let binding = child
        .child_by_field_name("parameter")
        .or_else(|| {
            child
                .child_by_field_name("parameters")
                .and_then(|params| named_children(params).into_iter().next())
        })
        .map(|param| text(param, source).to_string());
    let promise = callee.child_by_field_name("object");
    Some(hsl_facts::Failure {
        range: child.byte_range(),
        binding,
        pattern: None,
        tried: promise.map(|object| object.byte_range()),
        tried_words: promise
            .map(|object| js_conditions::words(object, source))
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(language: Language, source: &str) -> FileFacts {
        let tree = super::super::parse(language, source).expect("tree");
        extract(language, source, &tree)
    }

    /// The code a redirect helper sends when the call names none, as the facts record it.
    fn default_code(language: Language, source: &str) -> Option<u16> {
        let found = facts(language, source);
        let response = found.responses.iter().find(|r| r.role == SiteRole::Sets)?;
        assert!(
            matches!(response.status.spelling, Spelling::ImplicitDefault { .. }),
            "not a helper default: {source}"
        );
        response.status.code
    }

    #[test]
    fn file_directives() {
        assert!(starts_with_directive(
            "'use server';\nexport async function a() {}",
            "use server"
        ));
        assert!(starts_with_directive(
            "#!/usr/bin/env node\n// header\n/* licence */\n\"use server\"\n",
            "use server"
        ));
        assert!(starts_with_directive(
            "\u{feff}'use server' // actions",
            "use server"
        ));
        assert!(!starts_with_directive("'use client';", "use server"));
        assert!(!starts_with_directive("'use server'.length;", "use server"));
        assert!(!starts_with_directive(
            "import x from 'y';\n'use server';",
            "use server"
        ));
    }

    #[test]
    fn the_quote_that_opens_more_strings() {
        assert_eq!(quote_style("a('x'); b('y'); c(\"z\"); // don't"), '\'');
        assert_eq!(quote_style("a(\"x\"); // it's, don't, won't"), '"');
        assert_eq!(quote_style("'a' \"b\""), '"');
        assert_eq!(quote_style("é'x' é'y' \"z\""), '"');
        assert_eq!(quote_style(""), '"');
    }

    // Each default below was read from the framework's own source; the comment names the file
    // and the version (../shared/FRAMEWORKS.md has the line ranges).
    #[test]
    fn redirect_helper_defaults() {
        // Express: lib/response.js `res.redirect` (expressjs/express@a3714473 = 5.2.1, and v4.22.2).
        let express = "app.post('/a', (req, res) => res.redirect('/x'));";
        assert_eq!(default_code(Language::JavaScript, express), Some(302));
        // Hono: src/context.ts `redirect` (honojs/hono@28a9c128 = 4.13.3), `T = 302`.
        let hono = "import { Hono } from 'hono';\napp.post('/a', (c) => c.redirect('/x'));";
        assert_eq!(default_code(Language::TypeScript, hono), Some(302));
        // Fastify: lib/reply.js `redirect` (fastify/fastify tag v5.12.1, lines 469-475; same
        // default at v4.29.1 and v4.0.0): 302 unless `reply.code()` set one before.
        let fastify = "fastify.post('/a', (request, reply) => reply.redirect('/x'));";
        assert_eq!(default_code(Language::JavaScript, fastify), Some(302));
        let kept = facts(
            Language::JavaScript,
            "fastify.post('/a', (request, reply) => reply.code(303).redirect('/x'));",
        );
        assert_eq!(kept.responses.len(), 1);
        assert_eq!(kept.responses[0].status.code, Some(303));
        // Koa: lib/response.js `redirect` (koajs/koa@e0ba8ef = 3.2.0, lines 302-322; same in
        // v2.16.4): 302 unless `ctx.status` already holds a redirect code.
        let koa = "import Router from '@koa/router';\nrouter.post('/a', (ctx) => { ctx.redirect('/x'); });";
        assert_eq!(default_code(Language::JavaScript, koa), Some(302));
        // Web Fetch: `static Response redirect(USVString url, optional unsigned short status =
        // 302)` (whatwg/fetch@586cd2a fetch.bs:9323, steps at 9507).
        let web =
            "export async function POST(request: Request) { return Response.redirect('/x'); }";
        assert_eq!(default_code(Language::TypeScript, web), Some(302));
        // Next.js: `NextResponse.redirect` defaults to 307 (vercel/next.js@05c44d52
        // packages/next/src/server/web/spec-extension/response.ts, `static redirect`).
        // Next.js: `redirect()` 307 and `permanentRedirect()` 308 in route handlers
        // (nextjs.org redirect / permanentRedirect docs; vercel/next.js@1bd1931b
        // packages/next/src/client/components/redirect-status-code.ts).
        let navigation = "import { redirect, permanentRedirect } from 'next/navigation';\nexport async function POST(request: Request) { redirect('/x'); }";
        assert_eq!(default_code(Language::TypeScript, navigation), Some(307));
        let permanent = "import { permanentRedirect } from 'next/navigation';\nexport async function POST(request: Request) { permanentRedirect('/x'); }";
        assert_eq!(default_code(Language::TypeScript, permanent), Some(308));
        // From a Server Action both answer the form post with 303 (nextjs.org redirect docs:
        // "When used in a server action, it will serve a 303"; RedirectStatusCode.SeeOther in
        // packages/next/src/client/components/redirect-status-code.ts). A Server Action is a
        // function whose body, or whose file, starts with the "use server" directive.
        let action = "'use server';\n// A form action.\nimport { redirect } from 'next/navigation';\nexport async function save(form: FormData) { await db.save(form); redirect('/done'); }";
        assert_eq!(default_code(Language::TypeScript, action), Some(303));
        let inline = "import { redirect } from 'next/navigation';\nexport default function Page() {\n  async function save(form: FormData) {\n    \"use server\";\n    redirect('/done');\n  }\n  return <form action={save} />;\n}";
        assert_eq!(default_code(Language::Tsx, inline), Some(303));
        let not_first = "import { redirect } from 'next/navigation';\nexport async function POST(request: Request) { log('use server'); redirect('/x'); }";
        assert_eq!(default_code(Language::TypeScript, not_first), Some(307));
        let nest_exception = facts(
            Language::TypeScript,
            "import { NotFoundException } from '@nestjs/common';\nfunction f() { throw new NotFoundException('x'); }",
        );
        assert_eq!(nest_exception.responses[0].status.code, Some(404));
        let next = "import { NextResponse } from 'next/server';\nexport async function POST(request: Request) { return NextResponse.redirect('/x'); }";
        assert_eq!(default_code(Language::TypeScript, next), Some(307));
        // NestJS: `@Redirect(url = '', statusCode?)`, and the router falls back to
        // `HttpStatus.FOUND` (nestjs/nest@1a40dc60 packages/common/decorators/http/
        // redirect.decorator.ts; packages/core/router/router-response-controller.ts `redirect`).
        let nest = "import { Post, Redirect } from '@nestjs/common';\nclass A {\n  @Post()\n  @Redirect('/x')\n  go() {}\n}";
        assert_eq!(default_code(Language::TypeScript, nest), Some(302));
        // Next.js Pages API: `res.redirect(url)` sends 307 (vercel/next.js@12fa0675
        // packages/next/src/server/api-utils/index.ts, `redirect`).
        let pages = "import type { NextApiResponse } from 'next';\nexport default function h(req, res: NextApiResponse) { if (req.method === 'POST') res.redirect('/x'); }";
        assert_eq!(default_code(Language::TypeScript, pages), Some(307));
    }

    /// Each set response's code, header names and whether its headers are complete.
    fn headers_of(language: Language, source: &str) -> Vec<(u16, Vec<String>, bool)> {
        facts(language, source)
            .responses
            .iter()
            .filter(|r| r.role == SiteRole::Sets)
            .map(|r| {
                let mut names: Vec<String> = r.headers.iter().map(|h| h.name.clone()).collect();
                names.sort();
                (r.status.code.unwrap_or(0), names, r.headers_complete)
            })
            .collect()
    }

    fn one(language: Language, source: &str) -> (u16, Vec<String>, bool) {
        let found = headers_of(language, source);
        assert_eq!(found.len(), 1, "{source}: {found:?}");
        found.into_iter().next().expect("one response")
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chained_and_earlier_headers_belong_to_the_response() {
        let js = Language::JavaScript;
        let chained = "app.all('/x', (req, res) => res.status(405).set('Allow', 'GET').end());";
        assert_eq!(one(js, chained), (405, names(&["allow"]), true));
        let enclosing = "app.all('/x', (req, res) => {\n  res.setHeader('Allow', 'GET');\n  if (x) {\n    return res.status(405).end();\n  }\n  res.end();\n});";
        let found = headers_of(js, enclosing);
        assert_eq!(found[0], (405, names(&["allow"]), true));
        let object = "app.all('/x', (req, res) => { res.set({ Allow: 'GET', 'Retry-After': '5' }); res.status(405).end(); });";
        assert_eq!(
            one(js, object),
            (405, names(&["allow", "retry-after"]), true)
        );
        let write_head = "import http from 'node:http';\nhttp.createServer((req, res) => { res.writeHead(405, 'Nope', { Allow: 'GET' }); res.end(); });";
        assert_eq!(one(js, write_head), (405, names(&["allow"]), true));
        let bare = "app.all('/x', (req, res) => res.status(405).end());";
        assert_eq!(one(js, bare), (405, names(&[]), true));
    }

    #[test]
    fn headers_out_of_sight_make_the_response_incomplete() {
        let js = Language::JavaScript;
        for source in [
            "app.all('/x', (req, res) => res.status(405).set(headers).end());",
            "app.all('/x', (req, res) => res.status(405).set({ ...base }).end());",
            "app.all('/x', (req, res) => res.status(405).set({ [name]: 'GET' }).end());",
            "app.all('/x', (req, res) => res.status(405).set(name, 'GET').end());",
            "app.all('/x', (req, res) => { cors(res); res.status(405).end(); });",
            "app.all('/x', (req, res) => { if (a) { res.set('Allow', 'GET'); } res.status(405).end(); });",
            "app.all('/x', (req, res) => { const r = res.status(405); r.set('Allow', 'GET'); r.end(); });",
        ] {
            let (code, _, complete) = one(js, source);
            assert_eq!(code, 405, "{source}");
            assert!(!complete, "{source}");
        }
        let ts = Language::TypeScript;
        for source in [
            "export async function GET(request: Request) { return new Response(null, init); }",
            "export async function GET(request: Request) { return new Response(null, { status: 405, headers }); }",
            "export async function GET(request: Request) { return new Response(null, { status: 405, headers: base }); }",
            "export async function GET(request: Request) { const r = new Response(null, { status: 405 }); r.headers.set('Allow', 'GET'); return r; }",
            "export async function GET(request: Request) { return withCors(new Response(null, { status: 405 })); }",
            "import { HTTPException } from 'hono';\nfunction f() { throw new HTTPException(401, { res }); }",
            "import Koa from 'koa';\nconst f = async (ctx) => { ctx.res.setHeader('Allow', 'GET'); ctx.status = 405; };",
            "import Fastify from 'fastify';\nconst f = (request, reply) => { reply.raw.setHeader('Allow', 'GET'); reply.code(405).send(); };",
            "import Koa from 'koa';\nconst f = async (ctx) => { await authenticate(ctx); ctx.status = 401; };",
            "import Koa from 'koa';\nconst f = async (ctx) => { ctx.throw(401, 'login', props); };",
        ] {
            let found = headers_of(ts, source);
            assert!(
                found.iter().all(|(_, _, complete)| !complete),
                "{source}: {found:?}"
            );
        }
        // A branch that answered on its own is another response.
        let other = "app.all('/x', (req, res) => { if (a) { res.set('Allow', 'GET'); return res.json({}); } res.status(405).end(); });";
        let found = headers_of(js, other);
        assert!(found.contains(&(405, names(&[]), true)), "{found:?}");
    }

    #[test]
    fn init_objects_and_framework_header_calls() {
        let ts = Language::TypeScript;
        let web = "export async function GET(request: Request) { return new Response(null, { status: 405, headers: new Headers({ Allow: 'GET' }) }); }";
        assert_eq!(one(ts, web), (405, names(&["allow"]), true));
        let pairs = "export async function GET(request: Request) { return new Response(null, { status: 429, headers: [['Retry-After', '5']] }); }";
        assert_eq!(one(ts, pairs), (429, names(&["retry-after"]), true));
        let hono = "import { Hono } from 'hono';\napp.all('/x', (c) => c.json({ e: 1 }, 405, { Allow: 'GET' }));";
        assert_eq!(one(ts, hono), (405, names(&["allow"]), true));
        let koa = "import Router from '@koa/router';\nrouter.all('/x', (ctx) => { ctx.response.set('Allow', 'GET'); ctx.status = 405; });";
        assert_eq!(one(ts, koa), (405, names(&["allow"]), true));
        let koa_throw = "import Router from '@koa/router';\nrouter.get('/x', (ctx) => { ctx.throw(401, 'login', { headers: { 'WWW-Authenticate': 'Bearer' } }); });";
        assert_eq!(
            one(ts, koa_throw),
            (401, names(&["www-authenticate"]), true)
        );
        let nest = "import { Controller, Header, HttpCode, Post, MethodNotAllowedException } from '@nestjs/common';\nclass A {\n  @Post()\n  @Header('Allow', 'GET')\n  go() { throw new MethodNotAllowedException(); }\n}";
        assert_eq!(one(ts, nest), (405, names(&["allow"]), true));
        let mention = facts(
            Language::JavaScript,
            "app.get('/x', (req, res) => { if (res.statusCode === 405) {} res.status(200).json({}); });",
        );
        assert!(
            mention
                .responses
                .iter()
                .filter(|r| r.role == SiteRole::Mentions)
                .all(|r| !r.headers_complete)
        );
    }

    /// The text a response's header insertion produces for `Allow: GET`.
    fn with_header(language: Language, source: &str) -> Option<String> {
        let found = facts(language, source);
        let response = found.responses.iter().find(|r| r.role == SiteRole::Sets)?;
        let insert = response.header_insert.as_ref()?;
        let text = insert
            .template
            .replace("{name}", "Allow")
            .replace("{value}", "GET");
        Some(spliced(source, insert.at, &text))
    }

    /// `source` with `text` inserted at byte `at`.
    fn spliced(source: &str, at: usize, text: &str) -> String {
        format!("{}{text}{}", &source[..at], &source[at..])
    }

    #[test]
    fn header_insertions_follow_each_idiom() {
        let js = Language::JavaScript;
        let ts = Language::TypeScript;
        assert_eq!(
            with_header(js, "app.all(\"/x\", (req, res) => res.status(405).end());").as_deref(),
            Some("app.all(\"/x\", (req, res) => res.status(405).set(\"Allow\", \"GET\").end());")
        );
        assert_eq!(
            with_header(js, "app.all('/x', (req, res) => res.sendStatus(405));").as_deref(),
            Some("app.all('/x', (req, res) => res.set('Allow', 'GET').sendStatus(405));")
        );
        assert_eq!(
            with_header(js, "import Router from '@koa/router';\nrouter.all('/x', (ctx) => {\n  ctx.status = 405;\n});").as_deref(),
            Some("import Router from '@koa/router';\nrouter.all('/x', (ctx) => {\n  ctx.set('Allow', 'GET');\n  ctx.status = 405;\n});")
        );
        assert_eq!(
            with_header(js, "import http from 'node:http';\nhttp.createServer((req, res) => { res.writeHead(405); res.end(); });").as_deref(),
            Some("import http from 'node:http';\nhttp.createServer((req, res) => { res.writeHead(405, { 'Allow': 'GET' }); res.end(); });")
        );
        assert_eq!(
            with_header(ts, "export function GET(request: Request) { return new Response(null, { status: 405 }); }").as_deref(),
            Some("export function GET(request: Request) { return new Response(null, { status: 405, headers: { \"Allow\": \"GET\" } }); }")
        );
        assert_eq!(
            with_header(
                ts,
                "import { Hono } from 'hono';\napp.all('/x', (c) => c.body(null, 405));"
            )
            .as_deref(),
            Some(
                "import { Hono } from 'hono';\napp.all('/x', (c) => c.body(null, 405, { 'Allow': 'GET' }));"
            )
        );
    }

    /// The text an implicit status's insertion produces for `400`.
    fn with_status(language: Language, source: &str) -> Option<String> {
        let found = facts(language, source);
        let response = found.responses.iter().find(|r| r.role == SiteRole::Sets)?;
        let Spelling::ImplicitDefault {
            insert: Some(insert),
            ..
        } = &response.status.spelling
        else {
            return None;
        };
        let text = insert.template.replace("{code}", "400");
        Some(spliced(source, insert.at, &text))
    }

    #[test]
    fn implicit_statuses_learn_where_an_explicit_one_goes() {
        let js = Language::JavaScript;
        let ts = Language::TypeScript;
        assert_eq!(
            with_status(js, "app.get('/x', (req, res) => res.json({ ok: false }));").as_deref(),
            Some("app.get('/x', (req, res) => res.status(400).json({ ok: false }));")
        );
        assert_eq!(
            with_status(
                js,
                "fastify.get('/x', (request, reply) => reply.send({ ok: false }));"
            )
            .as_deref(),
            Some("fastify.get('/x', (request, reply) => reply.code(400).send({ ok: false }));")
        );
        assert_eq!(
            with_status(js, "import Router from '@koa/router';\nrouter.get('/x', (ctx) => {\n  ctx.body = { ok: false };\n});").as_deref(),
            Some("import Router from '@koa/router';\nrouter.get('/x', (ctx) => {\n  ctx.status = 400;\n  ctx.body = { ok: false };\n});")
        );
        assert_eq!(
            with_status(
                ts,
                "import { Hono } from 'hono';\napp.get('/x', (c) => c.json({ ok: false }));"
            )
            .as_deref(),
            Some("import { Hono } from 'hono';\napp.get('/x', (c) => c.json({ ok: false }, 400));")
        );
        assert_eq!(
            with_status(ts, "export function GET(request: Request) { return Response.json({ ok: false }, { headers: { a: 'b' } }); }").as_deref(),
            Some("export function GET(request: Request) { return Response.json({ ok: false }, { status: 400, headers: { a: 'b' } }); }")
        );
        assert_eq!(
            with_status(ts, "export function GET(request: Request) { return new Response(JSON.stringify({ ok: false })); }").as_deref(),
            Some("export function GET(request: Request) { return new Response(JSON.stringify({ ok: false }), { status: 400 }); }")
        );
    }

    #[test]
    fn stringified_literal_objects_are_object_bodies() {
        let found = facts(
            Language::JavaScript,
            "import http from 'node:http';\nhttp.createServer((req, res) => res.end(JSON.stringify({ error: 'x' })));",
        );
        let response = found.responses.iter().find(|r| r.role == SiteRole::Sets);
        assert!(
            response.is_some_and(|r| matches!(r.body, Body::Object(_))),
            "{:?}",
            response.map(|r| &r.body)
        );
    }

    #[test]
    fn all_registrations_name_the_path_and_no_method() {
        let source = "app.get('/x', list);\napp.all('/x', (req, res) => res.status(405).end());\napp.route('/y').get(show).all(deny);";
        let found = facts(Language::JavaScript, source);
        let all: Vec<(Option<String>, usize)> = found
            .registrations
            .iter()
            .filter(|r| r.methods.is_empty())
            .map(|r| (r.path.clone(), r.methods.len()))
            .collect();
        assert_eq!(
            all,
            vec![(Some("/x".to_string()), 0), (Some("/y".to_string()), 0)]
        );
    }

    #[test]
    fn a_file_importing_http_and_express_reads_res_as_express() {
        let source = "const http = require('http');\nconst express = require('express');\nconst app = express();\napp.post('/a', (req, res) => res.redirect('/x'));\nhttp.createServer(app).listen(3000);\n";
        let found = facts(Language::JavaScript, source);
        assert_eq!(found.responses.len(), 1);
        assert_eq!(found.responses[0].status.framework, "express");
        assert_eq!(found.responses[0].status.code, Some(302));
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

    /// Bare variables in a literal body are told apart from other expressions (whether an
    /// `err` holds a failure is the rules' question).
    #[test]
    fn object_bodies_name_their_variables() {
        use hsl_facts::{Body, LiteralValue};
        let found = facts(
            Language::JavaScript,
            "app.get('/x', (req, res) => res.json({ err, error: e, x: f(a), message: err.message, ok: false }));",
        );
        let Body::Object(object) = &found.responses[0].body else {
            panic!("{:?}", found.responses);
        };
        let value = |key: &str| {
            object
                .entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(value("err"), Some(LiteralValue::Variable("err".into())));
        assert_eq!(value("error"), Some(LiteralValue::Variable("e".into())));
        assert_eq!(value("x"), Some(LiteralValue::Other));
        assert_eq!(value("message"), Some(LiteralValue::Other));
        assert_eq!(value("ok"), Some(LiteralValue::Bool(false)));
    }
}
