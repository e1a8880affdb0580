//! Facts from Rust files, read through the Rust framework tables (http crate, axum, …).

use std::collections::HashMap;

use tree_sitter::{Node, QueryCursor, StreamingIterator, Tree};

use super::node_util::{ancestors, integer_value, named_children, string_value, text};
use super::queries;
use crate::facts::{
    Body, ByteRange, Context, FileFacts, Handler, HandlerId, HandlerRef, HeaderFact, Import,
    Language, Method, MethodEvidence, MethodSource, Replacement, Response, RouteRegistration,
    SiteRole, Spelling, StatusSite,
};
use crate::status_codes;
use crate::tables::{Framework, Tables};

/// Extracts the facts of one Rust file.
pub fn extract(source: &str, tree: &Tree) -> FileFacts {
    let Some(query) = queries::query(Language::Rust) else {
        return FileFacts::default();
    };
    let mut captured: HashMap<&str, Vec<Node<'_>>> = HashMap::new();
    let mut cursor = QueryCursor::new();
    let names = query.capture_names();
    let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
    while let Some(found) = matches.next() {
        for capture in found.captures() {
            if let Some(name) = names.get(capture.index as usize) {
                captured.entry(name).or_default().push(capture.node);
            }
        }
    }
    let mut extractor = Extractor {
        source,
        tables: Tables::get().for_language("rust").collect(),
        facts: FileFacts::default(),
        handler_ids: HashMap::new(),
    };
    for use_tree in take(&captured, "use.tree") {
        let before = extractor.facts.imports.len();
        extractor.collect_use(use_tree, Vec::new());
        // A `use` inside `mod tests { .. }` binds names there only, not in the file's module.
        if inline_module_path(use_tree, source).is_some() {
            extractor.facts.imports.truncate(before);
        }
    }
    let methods = take(&captured, "method");
    for call in &methods {
        extractor.collect_registration(*call);
    }
    for path in take(&captured, "path") {
        extractor.constant_site(path);
    }
    for call in take(&captured, "fn") {
        extractor.call_site(call);
    }
    for call in &methods {
        extractor.status_method_site(*call);
    }
    for tokens in take(&captured, "macro.tokens") {
        extractor.macro_sites(tokens);
    }
    extractor.facts
}

/// Role, headers, body and the body-less form of the response around a site.
type Shape = (SiteRole, Vec<HeaderFact>, Body, Option<Replacement>);

fn take<'t>(captured: &HashMap<&str, Vec<Node<'t>>>, name: &str) -> Vec<Node<'t>> {
    captured.get(name).cloned().unwrap_or_default()
}

struct Extractor<'s> {
    source: &'s str,
    tables: Vec<&'static Framework>,
    facts: FileFacts,
    handler_ids: HashMap<(usize, usize), HandlerId>,
}

impl<'s> Extractor<'s> {
    fn collect_use(&mut self, node: Node<'_>, prefix: Vec<String>) {
        match node.kind() {
            // `use crate::handlers::{self, users}` binds `handlers`.
            "self" if !prefix.is_empty() => {
                let mut module = prefix;
                if let Some(item) = module.pop() {
                    self.push_import(module, item.clone(), item);
                }
            }
            "identifier" | "crate" | "self" | "super" => {
                let name = text(node, self.source).to_string();
                self.push_import(prefix, name.clone(), name);
            }
            "scoped_identifier" => {
                let mut path = prefix;
                path.extend(path_segments(node, self.source));
                if let Some(item) = path.pop() {
                    self.push_import(path, item.clone(), item);
                }
            }
            "use_as_clause" => {
                let (Some(inner), Some(alias)) = (
                    node.child_by_field_name("path"),
                    node.child_by_field_name("alias"),
                ) else {
                    return;
                };
                let mut path = prefix;
                path.extend(path_segments(inner, self.source));
                // `{self as h}` names the module of the list.
                if path.len() > 1 && path.last().is_some_and(|last| last == "self") {
                    path.pop();
                }
                if let Some(item) = path.pop() {
                    self.push_import(path, item, text(alias, self.source).to_string());
                }
            }
            "scoped_use_list" => {
                let mut path = prefix;
                if let Some(inner) = node.child_by_field_name("path") {
                    path.extend(path_segments(inner, self.source));
                }
                if let Some(list) = node.child_by_field_name("list") {
                    for child in named_children(list) {
                        self.collect_use(child, path.clone());
                    }
                }
            }
            "use_list" => {
                for child in named_children(node) {
                    self.collect_use(child, prefix.clone());
                }
            }
            _ => {}
        }
    }

    fn push_import(&mut self, module: Vec<String>, item: String, local: String) {
        if let Some(first) = module.first().or(Some(&item)) {
            for table in &self.tables {
                if table
                    .detect
                    .imports
                    .iter()
                    .any(|crate_name| crate_name == first)
                    && !self.facts.frameworks.contains(&table.id)
                {
                    self.facts.frameworks.push(table.id.clone());
                }
            }
        }
        self.facts.imports.push(Import {
            local,
            module: module.join("::"),
            item: Some(item),
        });
    }

    /// `.route("/x", post(h).get(g))` and axum-extra `.typed_post(h)`.
    fn collect_registration(&mut self, call: Node<'_>) {
        let Some(name) = call
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("field"))
        else {
            return;
        };
        let name = text(name, self.source).to_string();
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for table in self.tables.clone() {
            let Some(routes) = &table.routes else {
                continue;
            };
            if let Some(method) = routes
                .typed_methods
                .get(&name)
                .and_then(|m| Method::parse(m))
                && let Some(handler) = args.first()
            {
                let range = call
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("field"))
                    .map_or(call.byte_range(), |field| field.byte_range());
                self.register(vec![(method, *handler, range)], None);
                return;
            }
            if routes.register_method.as_deref() != Some(name.as_str()) || args.len() < 2 {
                continue;
            }
            let path = string_value(args[0], self.source);
            let mut entries = Vec::new();
            self.method_router_entries(args[1], table, &mut entries);
            self.register(entries, path);
            return;
        }
    }

    fn register(&mut self, entries: Vec<(Method, Node<'_>, ByteRange)>, path: Option<String>) {
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
                        if let Some(found) = self.facts.handlers.get_mut(id) {
                            found.methods.push(MethodEvidence {
                                method,
                                source: MethodSource::Registration,
                                range: range.clone(),
                            });
                        }
                    }
                    HandlerRef::Named(segments)
                }
                "closure_expression" => {
                    let id = self.handler_id(handler);
                    if let Some(found) = self.facts.handlers.get_mut(id) {
                        found.methods.push(MethodEvidence {
                            method,
                            source: MethodSource::Registration,
                            range: range.clone(),
                        });
                    }
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
    fn file_relative(&self, at: Node<'_>, segments: Vec<String>) -> Vec<String> {
        let Some(mut module) = inline_module_path(at, self.source) else {
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
    fn inline_module_function<'t>(&self, at: Node<'t>, segments: &[String]) -> Option<Node<'t>> {
        let path = match segments.split_first()? {
            (first, rest) if first == "self" => rest,
            (first, _) if matches!(first.as_str(), "crate" | "super") => return None,
            _ => segments,
        };
        let (name, modules) = path.split_last()?;
        if modules.is_empty() {
            return None;
        }
        // Walk down from the file's root through the named inline modules.
        let mut scope = ancestors(at).last()?;
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

    /// The original name of a renamed import (`use axum::http::StatusCode as Status` makes
    /// `Status` mean `StatusCode`); any other name as it is.
    fn imported_name(&self, local: &str) -> String {
        self.facts
            .imports
            .iter()
            .find(|import| import.local == local)
            .and_then(|import| import.item.clone())
            .unwrap_or_else(|| local.to_string())
    }

    /// A path whose first segment is a renamed import (`use crate::h::create as make`) spelled
    /// with the imported path, so that its last segment is the handler's own name.
    fn unalias(&self, mut segments: Vec<String>) -> Vec<String> {
        let Some(first) = segments.first() else {
            return segments;
        };
        let renamed =
            self.facts.imports.iter().find(|import| {
                &import.local == first && import.item.as_ref() != Some(&import.local)
            });
        let Some(import) = renamed else {
            return segments;
        };
        let mut full: Vec<String> = path_segments_of(&import.module);
        full.extend(import.item.iter().cloned());
        full.extend(segments.drain(1..));
        full
    }

    fn method_router_entries<'t>(
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
                if let Some(method) = routes.router_fns.get(name).and_then(|m| Method::parse(m))
                    && let Some(handler) = args.first()
                {
                    entries.push((method, *handler, field.byte_range()));
                } else if routes.filter_fn.as_deref() == Some(name)
                    && let [filter, handler, ..] = args.as_slice()
                {
                    // `get(a).on(MethodFilter::POST, b)`.
                    for method in self.method_filter(*filter, routes.filter_type.as_deref()) {
                        entries.push((method, *handler, field.byte_range()));
                    }
                }
            }
            "identifier" | "scoped_identifier" => {
                let segments = path_segments(function, self.source);
                let Some(name) = segments.last() else {
                    return;
                };
                if let Some(method) = routes.router_fns.get(name).and_then(|m| Method::parse(m))
                    && let Some(handler) = args.first()
                {
                    entries.push((method, *handler, function.byte_range()));
                } else if routes.filter_fn.as_deref() == Some(name.as_str())
                    && let [filter, handler, ..] = args.as_slice()
                {
                    for method in self.method_filter(*filter, routes.filter_type.as_deref()) {
                        entries.push((method, *handler, function.byte_range()));
                    }
                }
            }
            _ => {}
        }
    }

    /// `MethodFilter::POST`, or several joined with `.or(..)`: every method, or none when any
    /// part is not a literal filter.
    fn method_filter(&self, node: Node<'_>, filter_type: Option<&str>) -> Vec<Method> {
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

    fn handler_id(&mut self, function: Node<'_>) -> HandlerId {
        let key = (function.start_byte(), function.end_byte());
        if let Some(id) = self.handler_ids.get(&key) {
            return *id;
        }
        let name_node = function.child_by_field_name("name");
        let id = self.facts.handlers.len();
        // A function in an inline `mod` is not the file's item of that name: registrations
        // elsewhere cannot name it by its name alone (`register` resolves the ones in this file).
        let in_inline_module = inline_module_path(function, self.source).is_some();
        self.facts.handlers.push(Handler {
            name: name_node
                .filter(|_| !in_inline_module)
                .map(|name| text(name, self.source).to_string()),
            range: function.byte_range(),
            // Closures are pointed at by their parameter list.
            name_range: name_node
                .or_else(|| function.child_by_field_name("parameters"))
                .map_or(function.start_byte()..function.start_byte(), |n| {
                    n.byte_range()
                }),
            methods: Vec::new(),
        });
        self.handler_ids.insert(key, id);
        id
    }

    /// The registered closure or the function item a site is in.
    fn enclosing_handler(&mut self, node: Node<'_>) -> Option<HandlerId> {
        for ancestor in ancestors(node) {
            let key = (ancestor.start_byte(), ancestor.end_byte());
            if ancestor.kind() == "closure_expression"
                && let Some(id) = self.handler_ids.get(&key)
            {
                return Some(*id);
            }
            if ancestor.kind() == "function_item" {
                return Some(self.handler_id(ancestor));
            }
        }
        None
    }

    /// `StatusCode::FOUND` and friends.
    fn constant_site(&mut self, path: Node<'_>) {
        if ancestors(path).any(|a| a.kind() == "use_declaration") {
            return;
        }
        // A call's function (`StatusCode::from_u16(..)`) is read as a call.
        if path.parent().is_some_and(|parent| {
            parent.kind() == "call_expression"
                && parent.child_by_field_name("function").map(|f| f.id()) == Some(path.id())
        }) {
            return;
        }
        // The inner part of a longer path (`http::StatusCode` inside `http::StatusCode::OK`).
        if path
            .parent()
            .is_some_and(|p| p.kind() == "scoped_identifier")
        {
            return;
        }
        let segments = path_segments(path, self.source);
        let Some((name, ty)) = last_two(&segments) else {
            return;
        };
        let ty = self.imported_name(ty);
        let ty = ty.as_str();
        let Some(name_node) = path.child_by_field_name("name") else {
            return;
        };
        for table in self.tables.clone() {
            for family in &table.constant_families {
                if family.type_name != ty {
                    continue;
                }
                let code = family.names.get(name).copied().or_else(|| {
                    family
                        .registry_column
                        .as_deref()
                        .and_then(|column| status_codes::by_column(column, name))
                        .map(|entry| entry.code)
                });
                let Some(code) = code else {
                    continue;
                };
                let spelling = Spelling::Constant {
                    family: family.id.clone(),
                    name: name.to_string(),
                    name_range: name_node.byte_range(),
                };
                self.push_site(
                    path,
                    Some(code),
                    spelling,
                    path.byte_range(),
                    &table.id,
                    Vec::new(),
                );
                return;
            }
        }
    }

    /// `StatusCode::from_u16(302)` and helpers such as `Redirect::to(uri)`.
    fn call_site(&mut self, call: Node<'_>) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        let segments = path_segments(function, self.source);
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
                    continue;
                };
                let code = u16::try_from(value).ok();
                self.push_site(
                    call,
                    code,
                    Spelling::Number,
                    arg.byte_range(),
                    &table.id,
                    Vec::new(),
                );
                return;
            }
            for family in &table.helper_families {
                if family.type_name != ty {
                    continue;
                }
                let Some(code) = family.codes.get(name).copied() else {
                    continue;
                };
                let Some(name_node) = function.child_by_field_name("name") else {
                    continue;
                };
                let spelling = Spelling::Helper {
                    family: family.id.clone(),
                    name: name.to_string(),
                    name_range: name_node.byte_range(),
                };
                let headers = family
                    .sets_header
                    .iter()
                    .map(|header| HeaderFact {
                        name: header.clone(),
                        range: call.byte_range(),
                    })
                    .collect();
                self.push_site(
                    call,
                    Some(code),
                    spelling,
                    function.byte_range(),
                    &table.id,
                    headers,
                );
                return;
            }
        }
    }

    /// `Response::builder().status(302)`: a number straight into a status method.
    fn status_method_site(&mut self, call: Node<'_>) {
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
                    continue;
                };
                let code = u16::try_from(value).ok();
                self.push_site(
                    arg,
                    code,
                    Spelling::Number,
                    arg.byte_range(),
                    &table.id,
                    Vec::new(),
                );
                return;
            }
        }
    }

    /// Statuses inside a macro's tokens (`assert_eq!(res.status(), StatusCode::FOUND)`): found by
    /// a token scan, since macro bodies have no expression tree. They are mentions, never sets.
    fn macro_sites(&mut self, tokens: Node<'_>) {
        // Only the outermost token tree of a macro is scanned; nested trees are part of it.
        if tokens.parent().is_some_and(|p| p.kind() == "token_tree") {
            return;
        }
        let mut leaves = Vec::new();
        collect_leaves(tokens, &mut leaves);
        for (index, leaf) in leaves.iter().enumerate() {
            let Some(next) = leaves.get(index + 1) else {
                continue;
            };
            let Some(after) = leaves.get(index + 2) else {
                continue;
            };
            let word = text(*leaf, self.source);
            if text(*next, self.source) == "::" && after.kind() == "identifier" {
                let name = text(*after, self.source);
                if let Some((family, code, table_id)) = self.constant_in_families(word, name) {
                    let spelling = Spelling::Constant {
                        family,
                        name: name.to_string(),
                        name_range: after.byte_range(),
                    };
                    let range = leaf.start_byte()..after.end_byte();
                    self.push_mention(*leaf, Some(code), spelling, range, &table_id);
                }
            }
            if text(*next, self.source) == "(" && after.kind() == "integer_literal" {
                let is_ctor = self.tables.iter().any(|table| {
                    table
                        .status_ctors
                        .iter()
                        .any(|ctor| ctor.path.rsplit("::").next() == Some(word))
                });
                if is_ctor && let Some(value) = integer_value(*after, self.source) {
                    let table_id = self
                        .tables
                        .first()
                        .map(|t| t.id.clone())
                        .unwrap_or_default();
                    let code = u16::try_from(value).ok();
                    self.push_mention(
                        *after,
                        code,
                        Spelling::Number,
                        after.byte_range(),
                        &table_id,
                    );
                }
            }
        }
    }

    fn constant_in_families(&self, ty: &str, name: &str) -> Option<(String, u16, String)> {
        for table in &self.tables {
            for family in &table.constant_families {
                if family.type_name != ty {
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
                    return Some((family.id.clone(), code, table.id.clone()));
                }
            }
        }
        None
    }

    fn push_mention(
        &mut self,
        node: Node<'_>,
        code: Option<u16>,
        spelling: Spelling,
        range: ByteRange,
        framework: &str,
    ) {
        let handler = self.enclosing_handler(node);
        self.facts.responses.push(Response {
            status: StatusSite {
                code,
                spelling,
                range,
                framework: framework.to_string(),
            },
            headers: Vec::new(),
            body: Body::Unknown,
            context: Context::default(),
            handler,
            role: SiteRole::Mentions,
            without_body: None,
        });
    }

    /// Records a site and works out whether it sets a response's status, and what else that
    /// response shows (headers, body).
    fn push_site(
        &mut self,
        expr: Node<'_>,
        code: Option<u16>,
        spelling: Spelling,
        range: ByteRange,
        framework: &str,
        mut headers: Vec<HeaderFact>,
    ) {
        let (role, mut found_headers, body, without_body) = self.response_shape(expr);
        headers.append(&mut found_headers);
        let handler = self.enclosing_handler(expr);
        let handler_range = handler.map(|id| self.facts.handlers[id].range.clone());
        let context = context_of(expr, handler_range, self.source);
        self.facts.responses.push(Response {
            status: StatusSite {
                code,
                spelling,
                range,
                framework: framework.to_string(),
            },
            headers,
            body,
            context,
            handler,
            role,
            without_body,
        });
    }

    fn response_shape(&self, expr: Node<'_>) -> Shape {
        let expr = climb_wrappers(expr, self.source);
        let Some(parent) = expr.parent() else {
            return (SiteRole::Mentions, Vec::new(), Body::Unknown, None);
        };
        // `.status(x)` on a builder: the chain above it is the response.
        if parent.kind() == "arguments"
            && let Some(call) = parent.parent()
            && let Some(field) = call
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("field"))
            && self.is_status_method(text(field, self.source))
        {
            let (headers, body, without_body) = self.builder_chain(call);
            return (SiteRole::Sets, headers, body, without_body);
        }
        // `*res.status_mut() = x`.
        if parent.kind() == "assignment_expression"
            && parent
                .child_by_field_name("left")
                .is_some_and(|left| text(left, self.source).contains("status_mut()"))
        {
            return (SiteRole::Sets, Vec::new(), Body::Unknown, None);
        }
        // `(StatusCode::CREATED, [(header::LOCATION, url)], Json(x))`.
        if parent.kind() == "tuple_expression" {
            let elements = named_children(parent);
            let first = elements.first().map(|e| e.id()) == Some(expr.id());
            if first && in_response_position(parent, self.source, &self.handler_ids) {
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
                let without_body = match elements.as_slice() {
                    [_, _] => Some(Replacement {
                        range: parent.byte_range(),
                        text: text(expr, self.source).to_string(),
                    }),
                    [.., before_last, last] => Some(Replacement {
                        range: before_last.end_byte()..last.end_byte(),
                        text: String::new(),
                    }),
                    _ => None,
                };
                return (SiteRole::Sets, headers, body, without_body);
            }
            // `([(header::LOCATION, url)], StatusCode::FOUND)`: parts, then a bare status as the
            // response they are applied to (axum's `(T1, .., R)`).
            let last = elements.last().map(|e| e.id()) == Some(expr.id());
            if last
                && elements.len() >= 2
                && in_response_position(parent, self.source, &self.handler_ids)
            {
                let mut headers = Vec::new();
                for element in &elements[..elements.len() - 1] {
                    self.headers_of(*element, &mut headers);
                }
                return (SiteRole::Sets, headers, Body::None, None);
            }
            return (SiteRole::Mentions, Vec::new(), Body::Unknown, None);
        }
        if in_response_position(expr, self.source, &self.handler_ids) {
            return (SiteRole::Sets, Vec::new(), Body::None, None);
        }
        (SiteRole::Mentions, Vec::new(), Body::Unknown, None)
    }

    fn is_status_method(&self, name: &str) -> bool {
        self.tables
            .iter()
            .any(|table| table.status_methods.iter().any(|m| m.method == name))
    }

    /// Headers and body of a builder chain, from the call that sets the status upwards.
    fn builder_chain(&self, status_call: Node<'_>) -> (Vec<HeaderFact>, Body, Option<Replacement>) {
        let mut headers = Vec::new();
        let mut body = Body::Unknown;
        let mut without_body = None;
        let mut current = status_call;
        // Walk up while the current call is the receiver of another method call.
        while let Some(field_expr) = current.parent().filter(|p| p.kind() == "field_expression") {
            let Some(call) = field_expr
                .parent()
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
                for method in &table.header_methods {
                    if method.method == name
                        && let Some(arg) = args.get(method.name_arg)
                    {
                        headers.push(HeaderFact {
                            name: self.header_name(*arg),
                            range: arg.byte_range(),
                        });
                    }
                }
                for method in &table.body_methods {
                    if method.method == name {
                        body = args
                            .get(method.arg)
                            .map_or(Body::None, |arg| self.body_of(*arg));
                        without_body = args
                            .get(method.arg)
                            .and_then(|arg| self.empty_body_like(*arg));
                    }
                }
            }
            current = call;
        }
        (headers, body, without_body)
    }

    fn headers_of(&self, element: Node<'_>, headers: &mut Vec<HeaderFact>) {
        match element.kind() {
            "array_expression" => {
                for pair in named_children(element) {
                    let name = if pair.kind() == "tuple_expression" {
                        named_children(pair)
                            .first()
                            .map_or("*".to_string(), |name| self.header_name(*name))
                    } else {
                        "*".to_string()
                    };
                    headers.push(HeaderFact {
                        name,
                        range: pair.byte_range(),
                    });
                }
            }
            "call_expression" => {
                // `AppendHeaders([...])` and typed headers.
                let inner = element
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                match inner.first() {
                    Some(array) if array.kind() == "array_expression" => {
                        self.headers_of(*array, headers)
                    }
                    _ => headers.push(HeaderFact {
                        name: "*".to_string(),
                        range: element.byte_range(),
                    }),
                }
            }
            _ => headers.push(HeaderFact {
                name: "*".to_string(),
                range: element.byte_range(),
            }),
        }
    }

    fn header_name(&self, node: Node<'_>) -> String {
        if let Some(value) = string_value(node, self.source) {
            return value.to_ascii_lowercase();
        }
        let segments = path_segments(node, self.source);
        if let Some(last) = segments.last() {
            for table in &self.tables {
                if let Some(name) = table.header_constants.get(last) {
                    return name.clone();
                }
            }
        }
        "*".to_string()
    }

    /// What an expression shows of a body. Only what the syntax proves counts: a literal, a body
    /// wrapper (`Json(x)` always serialises something), or a conversion of those; a variable
    /// or an unknown call may be empty, so it stays [`Body::Unknown`].
    fn body_of(&self, node: Node<'_>) -> Body {
        let opaque = Body::Opaque {
            range: node.byte_range(),
        };
        match node.kind() {
            "unit_expression" => Body::Empty,
            "string_literal" | "raw_string_literal" => match string_value(node, self.source) {
                Some(value) if value.is_empty() => Body::Empty,
                _ => opaque,
            },
            "parenthesized_expression" | "reference_expression" => named_children(node)
                .last()
                .map_or(Body::Unknown, |inner| self.body_of(*inner)),
            "macro_invocation" => {
                let name = node
                    .child_by_field_name("macro")
                    .map_or("", |name| text(name, self.source));
                if matches!(name, "format" | "json" | "concat") {
                    opaque
                } else {
                    Body::Unknown
                }
            }
            "call_expression" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return Body::Unknown;
                };
                let args = node
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                // `"x".to_string()`, `"x".into()`: the receiver is the body.
                if function.kind() == "field_expression" {
                    let field = function
                        .child_by_field_name("field")
                        .map_or("", |f| text(f, self.source));
                    return match function.child_by_field_name("value") {
                        Some(receiver)
                            if args.is_empty()
                                && matches!(field, "to_string" | "to_owned" | "into") =>
                        {
                            self.body_of(receiver)
                        }
                        _ => Body::Unknown,
                    };
                }
                let function = text(function, self.source);
                let segments = path_segments_of(function);
                let is_empty = self.tables.iter().any(|table| {
                    table.empty_bodies.iter().any(|empty| {
                        function == *empty || function.ends_with(&format!("::{empty}"))
                    })
                });
                if is_empty {
                    return Body::Empty;
                }
                let last = segments.last().map_or("", String::as_str);
                let is_wrapper = self
                    .tables
                    .iter()
                    .any(|table| table.body_wrappers.iter().any(|w| w == last));
                if is_wrapper {
                    return opaque;
                }
                // `Body::from("x")`, `String::from("")`: the argument decides.
                if matches!(last, "from" | "new")
                    && segments.len() >= 2
                    && let [arg] = args.as_slice()
                {
                    return match self.body_of(*arg) {
                        Body::Empty => Body::Empty,
                        Body::Unknown => Body::Unknown,
                        _ => opaque,
                    };
                }
                Body::Unknown
            }
            _ => Body::Unknown,
        }
    }

    /// The builder's `.body(arg)` argument rewritten as an empty body of the same type, when
    /// the syntax names the type: `Body::from("x")` → `Body::empty()`, `"x"` → `""`.
    fn empty_body_like(&self, arg: Node<'_>) -> Option<Replacement> {
        let replacement = match arg.kind() {
            "string_literal" | "raw_string_literal" => "\"\"".to_string(),
            "call_expression" => {
                let function = arg.child_by_field_name("function")?;
                // `"x".to_string()` is a `String`.
                if function.kind() == "field_expression" {
                    let field = text(function.child_by_field_name("field")?, self.source);
                    let receiver = function.child_by_field_name("value")?;
                    if !matches!(field, "to_string" | "to_owned")
                        || string_value(receiver, self.source).is_none()
                    {
                        return None;
                    }
                    return Some(Replacement {
                        range: arg.byte_range(),
                        text: "String::new()".to_string(),
                    });
                }
                let function = text(function, self.source);
                let segments = path_segments_of(function);
                let (last, ty) = last_two(&segments)?;
                if !matches!(last, "from" | "new") {
                    return None;
                }
                let prefix = function.strip_suffix(last)?;
                match ty {
                    "Body" => format!("{prefix}empty()"),
                    "String" => format!("{prefix}new()"),
                    _ => return None,
                }
            }
            _ => return None,
        };
        Some(Replacement {
            range: arg.byte_range(),
            text: replacement,
        })
    }
}

/// The inline modules (`mod a { mod b { .. } }`) around a node, outermost first; `None` at
/// the file's top level.
fn inline_module_path(node: Node<'_>, source: &str) -> Option<Vec<String>> {
    let mut path: Vec<String> = ancestors(node)
        .filter(|a| a.kind() == "mod_item")
        .filter_map(|m| m.child_by_field_name("name"))
        .map(|name| text(name, source).to_string())
        .collect();
    if path.is_empty() {
        return None;
    }
    path.reverse();
    Some(path)
}

/// Skips `.unwrap()`, `?`, parentheses and `.into()` around an expression.
fn climb_wrappers<'t>(mut node: Node<'t>, source: &str) -> Node<'t> {
    loop {
        let Some(parent) = node.parent() else {
            return node;
        };
        match parent.kind() {
            "try_expression" | "parenthesized_expression" | "reference_expression" => node = parent,
            "field_expression" => {
                let field = parent
                    .child_by_field_name("field")
                    .map_or("", |f| text(f, source));
                let call = parent.parent().filter(|p| p.kind() == "call_expression");
                match call {
                    Some(call)
                        if matches!(field, "unwrap" | "expect" | "into" | "unwrap_or_default") =>
                    {
                        node = call
                    }
                    _ => return node,
                }
            }
            _ => return node,
        }
    }
}

/// An expression statement without a closing `;` (a block-like expression such as `match`).
fn is_unterminated(statement: Node<'_>) -> bool {
    statement
        .child(statement.child_count().saturating_sub(1))
        .is_none_or(|last| last.kind() != ";")
}

/// Methods whose closure argument computes the value the call returns (`opt.map(|_| x)`),
/// or, for `map_err`/`ok_or_else` followed by `?`, the error the function returns.
const CLOSURE_ADAPTERS: &[&str] = &[
    "map",
    "map_err",
    "and_then",
    "or_else",
    "unwrap_or_else",
    "map_or_else",
    "ok_or_else",
];

/// Whether an expression's value is what a handler returns: a tail expression, `return x`,
/// a match arm, or wrapped in `Ok`/`Err`/`.into_response()` there; in a registered closure,
/// or a closure whose value becomes the response (`.map_err(|e| ..)?`).
fn in_response_position(
    node: Node<'_>,
    source: &str,
    registered: &HashMap<(usize, usize), HandlerId>,
) -> bool {
    let mut node = node;
    for _ in 0..64 {
        let Some(parent) = node.parent() else {
            return false;
        };
        match parent.kind() {
            // `return` leaves the nearest function, closure or async block.
            "return_expression" => {
                let owner = ancestors(parent).find(|a| {
                    matches!(
                        a.kind(),
                        "function_item" | "closure_expression" | "async_block"
                    )
                });
                match owner {
                    Some(owner) if owner.kind() == "function_item" => return true,
                    Some(owner) if owner.kind() == "closure_expression" => {
                        match closure_value_flows(owner, source, registered) {
                            Some(call) if propagates_error(call, source) => return true,
                            Some(call) => node = call,
                            None => return is_registered(owner, registered),
                        }
                    }
                    Some(owner) => node = owner,
                    None => return false,
                }
            }
            "closure_expression" => match closure_value_flows(parent, source, registered) {
                Some(call) if propagates_error(call, source) => return true,
                Some(call) => node = call,
                None => return is_registered(parent, registered),
            },
            "block" => {
                let children = named_children(parent);
                let is_tail = children.last().map(|last| last.id()) == Some(node.id())
                    && (node.kind() != "expression_statement" || is_unterminated(node));
                if !is_tail {
                    return false;
                }
                let Some(owner) = parent.parent() else {
                    return false;
                };
                match owner.kind() {
                    "function_item" => return true,
                    "else_clause" => node = owner.parent().unwrap_or(owner),
                    // A closure's block body: the closure arm above decides.
                    _ => node = parent,
                }
            }
            "match_arm" => {
                let Some(expression) = ancestors(parent).find(|a| a.kind() == "match_expression")
                else {
                    return false;
                };
                node = expression;
            }
            // A `match` or `if` at the end of a block parses as a statement without `;`.
            "expression_statement" if is_unterminated(parent) => node = parent,
            "if_expression"
                if parent
                    .child_by_field_name("condition")
                    .is_some_and(|condition| condition.id() == node.id()) =>
            {
                return false;
            }
            "if_expression"
            | "else_clause"
            | "async_block"
            | "unsafe_block"
            | "parenthesized_expression"
            | "try_expression" => node = parent,
            "arguments" => {
                let Some(call) = parent.parent() else {
                    return false;
                };
                let function = call
                    .child_by_field_name("function")
                    .map_or("", |f| text(f, source));
                if matches!(function, "Ok" | "Err" | "Some" | "Box::new") {
                    node = call;
                    continue;
                }
                // `option.ok_or(StatusCode::NOT_FOUND)?`: the `?` returns the error value.
                return method_name(call, source) == Some("ok_or")
                    && call.parent().is_some_and(|p| p.kind() == "try_expression");
            }
            "field_expression" => {
                let field = parent
                    .child_by_field_name("field")
                    .map_or("", |f| text(f, source));
                let Some(call) = parent.parent().filter(|p| p.kind() == "call_expression") else {
                    return false;
                };
                if matches!(field, "into_response" | "into" | "into_response_parts") {
                    node = call;
                } else {
                    return false;
                }
            }
            _ => return false,
        }
    }
    false
}

fn is_registered(closure: Node<'_>, registered: &HashMap<(usize, usize), HandlerId>) -> bool {
    registered.contains_key(&(closure.start_byte(), closure.end_byte()))
}

/// For a closure passed to an adapter (`res.map_err(|e| ..)`), the call whose value carries the
/// closure's value; `None` for any other closure.
fn closure_value_flows<'t>(
    closure: Node<'t>,
    source: &str,
    registered: &HashMap<(usize, usize), HandlerId>,
) -> Option<Node<'t>> {
    if is_registered(closure, registered) {
        return None;
    }
    let call = closure
        .parent()
        .filter(|p| p.kind() == "arguments")?
        .parent()?;
    let name = method_name(call, source)?;
    if !CLOSURE_ADAPTERS.contains(&name) {
        return None;
    }
    Some(call)
}

/// `res.map_err(|e| ..)?` and `opt.ok_or_else(|| ..)?`: the closure's value is the error the
/// `?` returns.
fn propagates_error(call: Node<'_>, source: &str) -> bool {
    matches!(method_name(call, source), Some("map_err" | "ok_or_else"))
        && call.parent().is_some_and(|p| p.kind() == "try_expression")
}

/// The method a call invokes (`map_err` in `res.map_err(f)`); `None` for a plain function call.
fn method_name<'s>(call: Node<'_>, source: &'s str) -> Option<&'s str> {
    let field = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "field_expression")?
        .child_by_field_name("field")?;
    Some(text(field, source))
}

fn path_segments(node: Node<'_>, source: &str) -> Vec<String> {
    path_segments_of(text(node, source))
}

fn path_segments_of(path: &str) -> Vec<String> {
    path.split("::")
        .map(|segment| segment.trim().to_string())
        .filter(|segment| !segment.is_empty())
        .collect()
}

fn last_two(segments: &[String]) -> Option<(&str, &str)> {
    let name = segments.last()?;
    let ty = segments.get(segments.len().checked_sub(2)?)?;
    Some((name.as_str(), ty.as_str()))
}

fn collect_leaves<'t>(node: Node<'t>, leaves: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.child_count() == 0 {
            leaves.push(child);
        } else {
            collect_leaves(child, leaves);
        }
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
            "match_arm" => {
                let pattern = ancestor
                    .child_by_field_name("pattern")
                    .map_or("", |p| text(p, source));
                if pattern.trim_start().starts_with("Err") {
                    context.in_err_arm = true;
                }
            }
            "if_expression" => {
                if let Some(condition) = ancestor.child_by_field_name("condition")
                    && condition.id() != child.id()
                {
                    let condition_text = text(condition, source).to_string();
                    if condition_text.starts_with("let Err") {
                        context.in_err_arm = true;
                    }
                    context.branch_conditions.push(condition_text);
                }
            }
            _ => {}
        }
        child = ancestor;
    }
    context.branch_conditions.reverse();
    context
}
