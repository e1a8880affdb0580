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
        let mut route_path: Option<Option<String>> = None;
        for link in &chain.links {
            for table in self.tables.clone() {
                let Some(routes) = &table.routes else {
                    continue;
                };
                if routes
                    .exclude_receivers
                    .iter()
                    .any(|name| name == root_name)
                {
                    return;
                }
                if routes.chain_start.as_deref() == Some(link.method.as_str()) {
                    let path = link.args.first().copied().filter(|arg| is_path_like(*arg));
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
                        if link.args.len() < 2 || !is_path_like(*first) {
                            continue;
                        }
                        (string_value(*first, self.source), &link.args[1..])
                    }
                };
                let range = chain.root.start_byte()..link.method_node.end_byte();
                for arg in handlers.to_vec() {
                    let Some(handler) = self.handler_ref(arg, 0) else {
                        continue;
                    };
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

    fn handler_ref(&mut self, arg: Node<'t>, depth: usize) -> Option<HandlerRef> {
        match arg.kind() {
            kind if FUNCTION_KINDS.contains(&kind) => {
                Some(HandlerRef::Inline(self.handler_id(arg)))
            }
            "identifier" => Some(HandlerRef::Named(vec![text(arg, self.source).to_string()])),
            "member_expression" => member_path(arg, self.source).map(HandlerRef::Named),
            // `asyncHandler(users.create)`: a wrapper around the real handler.
            "call_expression" if depth == 0 => {
                let args = arg.child_by_field_name("arguments")?;
                let last = named_children(args).into_iter().last()?;
                self.handler_ref(last, depth + 1)
            }
            _ => None,
        }
    }

    fn handler_id(&mut self, function: Node<'t>) -> HandlerId {
        let key = (function.start_byte(), function.end_byte());
        if let Some(id) = self.handler_ids.get(&key) {
            return *id;
        }
        let (name, name_range) = function_name(function, self.source);
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
                // Express 4 also accepts the deprecated (url, status): take the number.
                let at = link.args.get(redirect.status_arg).copied();
                let numeric = link.args.iter().copied().find(|arg| arg.kind() == "number");
                at.filter(|arg| string_value(*arg, self.source).is_none())
                    .or(numeric)
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
        Some(self.handler_id(function))
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

fn is_path_like(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "string" | "template_string" | "regex" | "array"
    )
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

fn function_name(function: Node<'_>, source: &str) -> (Option<String>, ByteRange) {
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
    let Some(parent) = function.parent() else {
        return (None, head);
    };
    match parent.kind() {
        "variable_declarator" => parent
            .child_by_field_name("name")
            .filter(|name| name.kind() == "identifier")
            .map_or((None, head.clone()), |name| {
                (Some(text(name, source).to_string()), name.byte_range())
            }),
        "pair" => parent
            .child_by_field_name("key")
            .map_or((None, head.clone()), |key| {
                (Some(key_text(key, source)), key.byte_range())
            }),
        "assignment_expression" => parent
            .child_by_field_name("left")
            .and_then(|left| left.child_by_field_name("property"))
            .map_or((None, head.clone()), |property| {
                (
                    Some(text(property, source).to_string()),
                    property.byte_range(),
                )
            }),
        "public_field_definition" => parent
            .child_by_field_name("name")
            .map_or((None, head.clone()), |name| {
                (Some(text(name, source).to_string()), name.byte_range())
            }),
        _ => (None, head),
    }
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
