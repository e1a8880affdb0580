//! Facts from Rust files, read through the Rust framework tables (http crate, axum, …).

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::chunks::{self, Capture, Chunk, ChunkFacts, ChunkReader, FactCache};
use super::node_util::{Parents, integer_value, named_children, string_value, text};
use super::queries;
use super::rust_conditions;
use hsl_facts::{
    Body, ByteRange, Context, FileFacts, Handler, HandlerId, HandlerRef, HeaderFact, Import,
    Insertion, Language, LiteralValue, Method, MethodEvidence, MethodSource, ObjectLiteral,
    Pattern, PatternKind, Replacement, Response, RouteRegistration, SiteRole, Spelling, StatusSite,
};
use hsl_status_codes as status_codes;
use hsl_tables::{Framework, Tables};

/// Extracts the facts of one Rust file item by item, reusing the facts `previous` holds for
/// items that did not change (see [`chunks`]); returns the cache for the next version when
/// `keep`.
pub(super) fn extract_reusing(
    source: &str,
    tree: &Tree,
    overrides: &hsl_tables::FrameworkOverrides,
    previous: Option<&FactCache>,
    keep: bool,
) -> (FileFacts, Option<FactCache>) {
    let Some(query) = queries::query(Language::Rust) else {
        return (FileFacts::default(), None);
    };
    let mut extractor = Extractor::new(source, tree, overrides, query);
    chunks::extract(
        &mut extractor,
        Language::Rust,
        query,
        tree,
        source,
        previous,
        keep,
    )
}

/// The facts of `text` when it differs from the text of `previous` inside one item: that item
/// alone is parsed and read (see [`chunks::extract_edited`]). Rust items end with `}` or `;`,
/// so nothing after one continues it. `None` when the whole file must be parsed.
pub(super) fn extract_edited(
    text: &str,
    previous: &FactCache,
    overrides: &hsl_tables::FrameworkOverrides,
) -> Option<(FileFacts, FactCache)> {
    let edited = chunks::edited_chunk(previous, text)?;
    let item = text.get(edited.range.clone())?;
    if !(item.ends_with('}') || item.ends_with(';')) {
        return None;
    }
    let tree = super::parse(Language::Rust, item)?;
    let query = queries::query(Language::Rust)?;
    let mut extractor = Extractor::new(item, &tree, overrides, query);
    chunks::extract_edited(&mut extractor, &edited, query, &tree, text)
}

impl<'s, 't> Extractor<'s, 't> {
    fn new(
        source: &'s str,
        tree: &'t Tree,
        overrides: &hsl_tables::FrameworkOverrides,
        query: &'static tree_sitter::Query,
    ) -> Self {
        Extractor {
            source,
            tables: Tables::get().for_language("rust").collect(),
            facts: FileFacts::default(),
            handler_ids: HashMap::new(),
            parents: Parents::new(tree.root_node()),
            capture_names: query.capture_names(),
            overrides: overrides.clone(),
            foreign: std::cell::Cell::new(false),
        }
    }
}

impl<'t> ChunkReader<'t> for Extractor<'_, 't> {
    fn environment(
        &mut self,
        _: &Chunk<'t>,
        captures: &[Capture<'t>],
    ) -> (Vec<Import>, Vec<String>) {
        self.facts.frameworks.clear();
        self.facts.imports.clear();
        let captured = self.by_name(captures);
        for use_tree in take(&captured, "use.tree") {
            let before = self.facts.imports.len();
            self.collect_use(use_tree, Vec::new());
            // A `use` inside `mod tests { .. }` binds names there only, not in the file's module.
            if inline_module_path(&self.parents, use_tree, self.source).is_some() {
                self.facts.imports.truncate(before);
            }
        }
        for name in take(&captured, "extern.name") {
            let name = text(name, self.source).to_string();
            self.detect(&name);
        }
        chunks::take_environment(&mut self.facts)
    }

    fn enter(&mut self, imports: Vec<Import>, detected: Vec<String>) -> Vec<String> {
        chunks::enter_environment(&mut self.facts, &self.overrides, "rust", imports, detected)
    }

    fn read(&mut self, _: &Chunk<'t>, captures: &[Capture<'t>]) -> ChunkFacts {
        self.handler_ids.clear();
        self.foreign.set(false);
        let captured = self.by_name(captures);
        for attribute in take(&captured, "attribute") {
            self.collect_attribute(attribute);
            self.status_attribute_site(attribute);
        }
        for branch in take(&captured, "branch.match") {
            self.collect_match_branches(branch);
        }
        for branch in take(&captured, "branch.if") {
            self.collect_if_branch(branch);
        }
        let methods = take(&captured, "method");
        for call in &methods {
            self.collect_registration(*call);
        }
        for path in take(&captured, "path") {
            self.constant_site(path);
        }
        for call in take(&captured, "fn") {
            self.call_site(call);
        }
        for call in &methods {
            self.status_method_site(*call);
        }
        for tokens in take(&captured, "macro.tokens") {
            self.macro_sites(tokens);
        }
        ChunkFacts {
            foreign: self.foreign.get(),
            ..ChunkFacts::taken_from(&mut self.facts)
        }
    }
}

impl<'t> Extractor<'_, 't> {
    /// A statement's captures by capture name, each list in match order.
    fn by_name(&self, captures: &[Capture<'t>]) -> HashMap<&'static str, Vec<Node<'t>>> {
        let mut captured: HashMap<&'static str, Vec<Node<'t>>> = HashMap::new();
        for (index, node) in captures {
            if let Some(name) = self.capture_names.get(*index as usize) {
                captured.entry(name).or_default().push(*node);
            }
        }
        captured
    }
}

/// Role, headers, body and the body-less form of the response around a site.
type Shape = (SiteRole, Vec<HeaderFact>, Body, Option<Replacement>);

fn take<'t>(captured: &HashMap<&'static str, Vec<Node<'t>>>, name: &str) -> Vec<Node<'t>> {
    captured.get(name).cloned().unwrap_or_default()
}

struct Extractor<'s, 't> {
    source: &'s str,
    tables: Vec<&'static Framework>,
    facts: FileFacts,
    handler_ids: HashMap<(usize, usize), HandlerId>,
    /// Parent links, remembered: sites climb to their response, handler and context.
    parents: Parents<'t>,
    /// The query's capture names, by capture index.
    capture_names: &'static [&'static str],
    /// Framework detection forced by configuration.
    overrides: hsl_tables::FrameworkOverrides,
    /// Set when reading an item looked into another item (a handler in an inline module found
    /// from a registration), so that the item's facts are not reused ([`ChunkFacts::foreign`]).
    foreign: std::cell::Cell<bool>,
}

impl<'s, 't> Extractor<'s, 't> {
    fn collect_use(&mut self, node: Node<'t>, prefix: Vec<String>) {
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

    /// Records the frameworks whose crate a `use` path or `extern crate` names.
    fn detect(&mut self, crate_name: &str) {
        for table in &self.tables {
            if table.detect.imports.iter().any(|name| name == crate_name)
                && !self.facts.frameworks.contains(&table.id)
            {
                self.facts.frameworks.push(table.id.clone());
            }
        }
    }

    fn push_import(&mut self, module: Vec<String>, item: String, local: String) {
        if let Some(first) = module.first().or(Some(&item)).cloned() {
            self.detect(&first);
        }
        self.facts.imports.push(Import {
            local,
            module: module.join("::"),
            item: Some(item),
            specifier: None,
        });
    }

    /// `.route("/x", post(h).get(g))` and axum-extra `.typed_post(h)`.
    fn collect_registration(&mut self, call: Node<'t>) {
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
            // actix `web::resource("/x").get(h).post(h2)`.
            if let Some(method) = routes.router_fns.get(&name).and_then(|m| Method::parse(m))
                && let [handler] = args.as_slice()
                && !routes.resource_fns.is_empty()
                && let Some(resource) = self.chain_root_call(call)
                && let Some(function) = resource.child_by_field_name("function")
                && path_segments(function, self.source)
                    .last()
                    .is_some_and(|last| routes.resource_fns.contains(last))
            {
                let path = resource
                    .child_by_field_name("arguments")
                    .and_then(|a| named_children(a).first().copied())
                    .and_then(|a| string_value(a, self.source));
                let range = call
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("field"))
                    .map_or(call.byte_range(), |field| field.byte_range());
                self.register(vec![(method, *handler, range)], path);
                return;
            }
            // warp `warp::path("x").and(warp::post()).and_then(h)`.
            if routes.chain_handler_methods.contains(&name)
                && let [handler] = args.as_slice()
                && let Some(receiver) = call
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("value"))
            {
                let mut filters = Vec::new();
                if !self.chain_filters(receiver, routes, &mut filters, 0) {
                    continue;
                }
                let entries: Vec<_> = filters
                    .into_iter()
                    .map(|(method, range)| (method, *handler, range))
                    .collect();
                if entries.is_empty() {
                    continue;
                }
                self.register(entries, None);
                return;
            }
            // `.route("/x", post(h))`, and actix `resource.route(web::post().to(h))`: the last
            // argument is the method router.
            if routes.register_method.as_deref() != Some(name.as_str()) {
                continue;
            }
            let Some(router) = args.last() else {
                continue;
            };
            let path = (args.len() >= 2)
                .then(|| string_value(args[0], self.source))
                .flatten();
            let mut entries = Vec::new();
            self.method_router_entries(*router, table, &mut entries);
            if entries.is_empty() {
                continue;
            }
            self.register(entries, path);
            return;
        }
    }

    /// poem-openapi `#[oai(status = 204)] Deleted(Json<T>)`, Rocket `#[response(status = 201)]`:
    /// the status of a response type, with its payload fields as the body.
    fn status_attribute_site(&mut self, attribute: Node<'t>) {
        let Some(item) = self.parents.parent(attribute) else {
            return;
        };
        let Some(name) = named_children(attribute)
            .first()
            .map(|path| path_segments(*path, self.source))
            .and_then(|segments| segments.last().cloned())
        else {
            return;
        };
        let tokens: Vec<Node<'t>> = attribute
            .child_by_field_name("arguments")
            .map(|tree| {
                let mut cursor = tree.walk();
                tree.children(&mut cursor).collect()
            })
            .unwrap_or_default();
        for table in self.tables.clone() {
            for status_attribute in &table.status_attributes {
                if status_attribute.attribute != name {
                    continue;
                }
                let literal = tokens.windows(3).find_map(|window| match window {
                    [key, eq, value]
                        if text(*key, self.source) == status_attribute.key
                            && text(*eq, self.source) == "="
                            && value.kind() == "integer_literal" =>
                    {
                        Some(*value)
                    }
                    _ => None,
                });
                let Some(literal) = literal else {
                    continue;
                };
                let next = item_after_attributes(&self.parents, item);
                let Some(target) =
                    next.filter(|n| matches!(n.kind(), "enum_variant" | "struct_item"))
                else {
                    continue;
                };
                let body = self.payload_body(target, status_attribute.header_key.as_deref());
                let code = integer_value(literal, self.source).and_then(|v| u16::try_from(v).ok());
                let shape = (SiteRole::Sets, Vec::new(), body, None);
                self.push_shaped(
                    literal,
                    code,
                    Spelling::Number,
                    literal.byte_range(),
                    &table.id,
                    shape,
                );
                return;
            }
        }
    }

    /// The body of a response type: its fields, except header fields (marked with an attribute
    /// naming `header_key`); content when a field is a body wrapper (`Json<T>`).
    fn payload_body(&self, item: Node<'t>, header_key: Option<&str>) -> Body {
        let Some(list) = item.child_by_field_name("body") else {
            return Body::None;
        };
        let mut fields = Vec::new();
        let mut header_next = false;
        for child in named_children(list) {
            match child.kind() {
                "attribute_item" => {
                    header_next |= header_key.is_some_and(|key| {
                        let mut leaves = Vec::new();
                        collect_leaves(child, &mut leaves);
                        leaves.iter().any(|leaf| text(*leaf, self.source) == key)
                    });
                }
                "visibility_modifier" | "line_comment" | "block_comment" => {}
                _ => {
                    let field_type = match child.kind() {
                        "field_declaration" => child.child_by_field_name("type"),
                        _ => Some(child),
                    };
                    if !std::mem::take(&mut header_next)
                        && let Some(field_type) = field_type
                    {
                        fields.push(field_type);
                    }
                }
            }
        }
        if fields.is_empty() {
            return Body::None;
        }
        let wrapper = fields.iter().find(|field| {
            let base = match field.kind() {
                "generic_type" => field.child_by_field_name("type").unwrap_or(**field),
                _ => **field,
            };
            let segments = path_segments(base, self.source);
            segments.last().is_some_and(|last| {
                self.tables
                    .iter()
                    .any(|table| table.body_wrappers.iter().any(|w| w == last))
            })
        });
        match wrapper {
            Some(field) => Body::Opaque {
                range: field.byte_range(),
                words: rust_conditions::words(*field, self.source),
            },
            None => Body::Unknown,
        }
    }

    /// The tables that read branches on the request's method, with the method type's name.
    fn method_branch_tables(&self) -> Vec<(&'static hsl_tables::MethodBranches, &'static str)> {
        self.tables
            .iter()
            .filter_map(|table| {
                let routes = table.routes.as_ref()?;
                Some((
                    routes.method_branches.as_ref()?,
                    routes.filter_type.as_deref()?,
                ))
            })
            .collect()
    }

    /// `req.method()` (also `*req.method()`, `&req.method()`) for a request name of a table, or
    /// the field of `http::request::Parts` (`parts.method`).
    fn is_request_method(&self, node: Node<'t>) -> bool {
        let node = strip_refs(node);
        if node.kind() == "field_expression"
            && let (Some(receiver), Some(field)) = (
                node.child_by_field_name("value"),
                node.child_by_field_name("field"),
            )
        {
            let receiver = text(receiver, self.source);
            let field = text(field, self.source);
            return self.method_branch_tables().iter().any(|(branches, _)| {
                branches.property == field && branches.request_names.iter().any(|n| n == receiver)
            });
        }
        let Some(function) = node
            .child_by_field_name("function")
            .filter(|f| node.kind() == "call_expression" && f.kind() == "field_expression")
        else {
            return false;
        };
        let no_args = node
            .child_by_field_name("arguments")
            .is_none_or(|args| named_children(args).is_empty());
        let (Some(receiver), Some(field)) = (
            function.child_by_field_name("value"),
            function.child_by_field_name("field"),
        ) else {
            return false;
        };
        let receiver = text(receiver, self.source);
        let field = text(field, self.source);
        no_args
            && self.method_branch_tables().iter().any(|(branches, _)| {
                branches.property == field && branches.request_names.iter().any(|n| n == receiver)
            })
    }

    /// The methods a pattern or expression names: `Method::POST`, `&Method::POST`,
    /// `Method::PUT | Method::PATCH`; empty unless every alternative is a method.
    fn method_values(&self, node: Node<'t>) -> Vec<(Method, ByteRange)> {
        let node = strip_refs(node);
        match node.kind() {
            "or_pattern" => {
                let mut all = Vec::new();
                for alternative in named_children(node) {
                    let found = self.method_values(alternative);
                    if found.is_empty() {
                        return Vec::new();
                    }
                    all.extend(found);
                }
                all
            }
            "scoped_identifier" => {
                let segments = path_segments(node, self.source);
                let Some((name, ty)) = last_two(&segments) else {
                    return Vec::new();
                };
                let ty = self.imported_name(ty);
                let is_method_type = self
                    .method_branch_tables()
                    .iter()
                    .any(|(_, method_type)| *method_type == ty);
                match Method::parse(name) {
                    Some(method)
                        if is_method_type && name.chars().all(|c| c.is_ascii_uppercase()) =>
                    {
                        vec![(method, node.byte_range())]
                    }
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// Makes a branch (a match arm, an `if` block) a handler of its own for `methods`.
    fn branch_handler(&mut self, branch: Node<'t>, methods: Vec<(Method, ByteRange)>) {
        let Some(first) = methods.first().map(|(_, range)| range.clone()) else {
            return;
        };
        let id = self.handler_id(branch);
        if let Some(handler) = self.facts.handlers.get_mut(id) {
            handler.name_range = first;
            for (method, range) in methods {
                handler.methods.push(MethodEvidence {
                    method,
                    source: MethodSource::Branch,
                    range,
                });
            }
        }
    }

    /// `match (req.method(), req.uri().path()) { (&Method::POST, "/x") => .. }` and
    /// `match *req.method() { Method::POST => .. }`: each arm serves its methods.
    fn collect_match_branches(&mut self, node: Node<'t>) {
        let Some(value) = node.child_by_field_name("value") else {
            return;
        };
        let value = strip_refs(value);
        let index = if self.is_request_method(value) {
            None
        } else if value.kind() == "tuple_expression"
            && let Some(index) = named_children(value)
                .iter()
                .position(|element| self.is_request_method(*element))
        {
            Some(index)
        } else {
            return;
        };
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        for arm in named_children(body) {
            if arm.kind() != "match_arm" {
                continue;
            }
            let Some(pattern) = arm
                .child_by_field_name("pattern")
                .and_then(|p| named_children(p).first().copied())
            else {
                continue;
            };
            let part = match index {
                None => Some(pattern),
                Some(index) if pattern.kind() == "tuple_pattern" => {
                    named_children(pattern).get(index).copied()
                }
                Some(_) => None,
            };
            let methods = part.map(|p| self.method_values(p)).unwrap_or_default();
            if !methods.is_empty() {
                self.branch_handler(arm, methods);
            }
        }
    }

    /// `if req.method() == Method::POST { .. }`, also joined with `&&`: the block serves POST.
    fn collect_if_branch(&mut self, node: Node<'t>) {
        let (Some(condition), Some(consequence)) = (
            node.child_by_field_name("condition"),
            node.child_by_field_name("consequence"),
        ) else {
            return;
        };
        let methods = self.condition_methods(condition);
        if !methods.is_empty() {
            self.branch_handler(consequence, methods);
        }
    }

    fn condition_methods(&self, condition: Node<'t>) -> Vec<(Method, ByteRange)> {
        let condition = strip_refs(condition);
        if condition.kind() != "binary_expression" {
            return Vec::new();
        }
        let (Some(left), Some(operator), Some(right)) = (
            condition.child_by_field_name("left"),
            condition.child_by_field_name("operator"),
            condition.child_by_field_name("right"),
        ) else {
            return Vec::new();
        };
        match text(operator, self.source) {
            "&&" => {
                let mut methods = self.condition_methods(left);
                if methods.is_empty() {
                    methods = self.condition_methods(right);
                }
                methods
            }
            "==" if self.is_request_method(left) => self.method_values(right),
            "==" if self.is_request_method(right) => self.method_values(left),
            _ => Vec::new(),
        }
    }

    /// `#[post("/x")]`, `#[route("/x", method = "POST")]`, poem-openapi
    /// `#[oai(path = "/x", method = "post")]` on the function that follows.
    fn collect_attribute(&mut self, attribute: Node<'t>) {
        let Some(item) = self.parents.parent(attribute) else {
            return;
        };
        let Some(path) = named_children(attribute).first().copied() else {
            return;
        };
        let segments = path_segments(path, self.source);
        let Some(name) = segments.last() else {
            return;
        };
        let tokens: Vec<Node<'t>> = attribute
            .child_by_field_name("arguments")
            .map(|tree| {
                let mut cursor = tree.walk();
                tree.children(&mut cursor).collect()
            })
            .unwrap_or_default();
        let mut methods = Vec::new();
        for table in &self.tables {
            let Some(routes) = &table.routes else {
                continue;
            };
            // `#[post("/x")]`: the attribute's first argument is the path literal.
            if let Some(method) = routes.attributes.get(name).and_then(|m| Method::parse(m))
                && tokens.get(1).is_some_and(|t| t.kind() == "string_literal")
            {
                methods.push(method);
                break;
            }
            if !routes.method_attributes.contains(name) {
                continue;
            }
            let key = routes.method_key.as_deref().unwrap_or("method");
            for (index, token) in tokens.iter().enumerate() {
                let value = match token.kind() {
                    "identifier" if text(*token, self.source) == key => {
                        match (tokens.get(index + 1), tokens.get(index + 2)) {
                            (Some(eq), Some(value)) if text(*eq, self.source) == "=" => *value,
                            _ => continue,
                        }
                    }
                    // Rocket `#[route(GET, uri = "/")]`: a bare upper-case method first.
                    "identifier" if index == 1 => *token,
                    _ => continue,
                };
                let word = match value.kind() {
                    "string_literal" => string_value(value, self.source),
                    "identifier" => Some(text(value, self.source).to_string())
                        .filter(|w| w.chars().all(|c| c.is_ascii_uppercase())),
                    _ => None,
                };
                if let Some(method) = word.as_deref().and_then(Method::parse)
                    && !methods.contains(&method)
                {
                    methods.push(method);
                }
            }
            if !methods.is_empty() {
                break;
            }
        }
        if methods.is_empty() {
            return;
        }
        // The function after this attribute and any others stacked with it.
        let next = item_after_attributes(&self.parents, item);
        let Some(function) = next.filter(|n| n.kind() == "function_item") else {
            return;
        };
        let id = self.handler_id(function);
        if let Some(handler) = self.facts.handlers.get_mut(id) {
            for method in methods {
                handler.methods.push(MethodEvidence {
                    method,
                    source: MethodSource::Attribute,
                    range: attribute.byte_range(),
                });
            }
        }
    }

    /// A handler the registration proves directly (inline closure, function in this file).
    fn add_registered_method(&mut self, id: HandlerId, method: Method, range: ByteRange) {
        if let Some(found) = self.facts.handlers.get_mut(id) {
            found.methods.push(MethodEvidence {
                method,
                source: MethodSource::Registration,
                range,
            });
        }
    }

    fn register(&mut self, entries: Vec<(Method, Node<'t>, ByteRange)>, path: Option<String>) {
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
    fn file_relative(&self, at: Node<'t>, segments: Vec<String>) -> Vec<String> {
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
    fn inline_module_function(&self, at: Node<'t>, segments: &[String]) -> Option<Node<'t>> {
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
        self.foreign.set(true);
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

    /// A path with its first segment replaced by the path it is imported from (`reply` after
    /// `use warp::reply;` is `warp::reply`), joined with `::`.
    fn qualified(&self, segments: &[String]) -> String {
        let Some((first, rest)) = segments.split_first() else {
            return String::new();
        };
        let mut path: Vec<String> = match self
            .facts
            .imports
            .iter()
            .find(|import| &import.local == first)
        {
            Some(import) => {
                let mut path = path_segments_of(&import.module);
                path.extend(import.item.iter().cloned());
                path
            }
            None => vec![first.clone()],
        };
        path.extend(rest.iter().cloned());
        path.join("::")
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

    fn method_router_entries(
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
                } else if routes.handler_methods.iter().any(|m| m == name)
                    && let [handler] = args.as_slice()
                {
                    // actix `web::post().to(h)`: the method comes before the handler.
                    for (method, range) in self.route_methods(receiver, routes) {
                        entries.push((method, *handler, range));
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

    /// The first call of a method chain (`web::resource("/x")` in
    /// `web::resource("/x").get(h).post(h2)`), when it is a plain function call.
    fn chain_root_call(&self, call: Node<'t>) -> Option<Node<'t>> {
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
    fn chain_filters(
        &self,
        expr: Node<'t>,
        routes: &hsl_tables::Routes,
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
                let segments = path_segments(function, self.source);
                let Some(name) = segments.last() else {
                    return true;
                };
                let Some(method) = routes.filter_fns.get(name).and_then(|m| Method::parse(m))
                else {
                    return true;
                };
                // `warp::post()`, `warp::filters::method::post()`, or `post()` imported from warp.
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
                if args.is_empty() && routes.filter_crate.as_deref() == Some(first.as_str()) {
                    found.push((method, function.byte_range()));
                }
                true
            }
            _ => true,
        }
    }

    /// The methods a route built before its handler matches (actix `web::post()`,
    /// `web::method(Method::POST)`, `web::get().guard(..)`), with the call that names each.
    fn route_methods(
        &self,
        expr: Node<'t>,
        routes: &hsl_tables::Routes,
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
    fn method_filter(&self, node: Node<'t>, filter_type: Option<&str>) -> Vec<Method> {
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

    fn handler_id(&mut self, function: Node<'t>) -> HandlerId {
        let key = (function.start_byte(), function.end_byte());
        if let Some(id) = self.handler_ids.get(&key) {
            return *id;
        }
        let name_node = function.child_by_field_name("name");
        let id = self.facts.handlers.len();
        // A function in an inline `mod` is not the file's item of that name: registrations
        // elsewhere cannot name it by its name alone (`register` resolves the ones in this file).
        let in_inline_module = inline_module_path(&self.parents, function, self.source).is_some();
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
            calls: rust_conditions::calls(function, self.source),
        });
        self.handler_ids.insert(key, id);
        id
    }

    /// The registered closure or the function item a site is in.
    fn enclosing_handler(&mut self, node: Node<'t>) -> Option<HandlerId> {
        let ancestors: Vec<Node<'t>> = self.parents.ancestors(node).collect();
        for ancestor in ancestors {
            let key = (ancestor.start_byte(), ancestor.end_byte());
            // A registered closure, or a branch on the request's method (a match arm, a block).
            if matches!(
                ancestor.kind(),
                "closure_expression" | "match_arm" | "block"
            ) && let Some(id) = self.handler_ids.get(&key)
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
    fn constant_site(&mut self, path: Node<'t>) {
        if self
            .parents
            .ancestors(path)
            .any(|a| a.kind() == "use_declaration")
        {
            return;
        }
        // A call's function (`StatusCode::from_u16(..)`) is read as a call.
        if self.parents.parent(path).is_some_and(|parent| {
            parent.kind() == "call_expression"
                && parent.child_by_field_name("function").map(|f| f.id()) == Some(path.id())
        }) {
            return;
        }
        // The inner part of a longer path (`http::StatusCode` inside `http::StatusCode::OK`).
        if self
            .parents
            .parent(path)
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
                let Some(code) = code else {
                    continue;
                };
                let spelling = Spelling::Constant {
                    family: family.id.clone(),
                    name: name.to_string(),
                    name_range: name_node.byte_range(),
                };
                let mut shape = self.response_shape(path);
                // Rocket `Status::Found` returned alone is answered with 500, not 302.
                let bare = shape.0 == SiteRole::Sets
                    && shape.1.is_empty()
                    && shape.2 == Body::None
                    && shape.3.is_none();
                if bare
                    && !family.bare_sends.is_empty()
                    && !family
                        .bare_sends
                        .iter()
                        .any(|[low, high]| (*low..=*high).contains(&code))
                {
                    shape.0 = SiteRole::Mentions;
                }
                self.push_shaped(
                    path,
                    Some(code),
                    spelling,
                    path.byte_range(),
                    &table.id,
                    shape,
                );
                return;
            }
        }
    }

    /// `StatusCode::from_u16(302)` and helpers such as `Redirect::to(uri)`.
    fn call_site(&mut self, call: Node<'t>) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        let segments = path_segments(function, self.source);
        if self.wrapper_site(call, function, &segments) {
            return;
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
        }
        self.helper_site(call, function, ty, name);
    }

    /// A body wrapper returned on its own (`Json(json!({ .. }))`, warp `reply::json(&json!(..))`):
    /// the implicit status of the framework the file imports. Only a literal object body is
    /// recorded, what rules about the body's content read.
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
        if !matches!(body, Body::Object(_))
            || !in_response_position(
                &self.parents,
                climb_wrappers(&self.parents, call, self.source),
                self.source,
                &self.handler_ids,
            )
        {
            return false;
        }
        let name_node = function.child_by_field_name("name").unwrap_or(function);
        let spelling = Spelling::ImplicitDefault {
            helper: text(name_node, self.source).to_string(),
            insert: None,
        };
        let shape = (SiteRole::Sets, Vec::new(), body, None);
        self.push_shaped(
            call,
            Some(code),
            spelling,
            name_node.byte_range(),
            &table.id,
            shape,
        );
        true
    }

    /// Helpers whose name implies the code: `Redirect::to(uri)`, actix `HttpResponse::Found()`.
    /// A helper name several tables define (`Redirect::to`: 303 in axum and Rocket, 307 in
    /// actix-web) is read with the table of a framework the file imports; with none imported,
    /// only when every table agrees on the code.
    fn helper_site(&mut self, call: Node<'t>, function: Node<'t>, ty: &str, name: &str) {
        let candidates: Vec<(&'static Framework, &'static hsl_tables::HelperFamily, u16)> = self
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
        let chosen = match detected {
            Some(found) => Some(found),
            None => candidates
                .first()
                .filter(|(_, _, code)| candidates.iter().all(|(_, _, other)| other == code)),
        };
        let Some(&(table, family, mut code)) = chosen else {
            return;
        };
        let Some(mut name_node) = function.child_by_field_name("name").or(
            // A helper imported by name: `ErrorNotFound(e)`.
            Some(function).filter(|f| f.kind() == "identifier"),
        ) else {
            return;
        };
        // Methods chained on the helper: a modifier changes the code (actix
        // `Redirect::to(u).see_other()`); a status method sets its own site and wins.
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
                return;
            }
            top = outer;
        }
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
        let range = function.byte_range();
        if family.builder {
            // The chain above the helper is the response: its headers and body.
            let (mut found, body, without_body) = self.builder_chain(call);
            headers.append(&mut found);
            let shape = (SiteRole::Sets, headers, body, without_body);
            self.push_shaped(call, Some(code), spelling, range, &table.id, shape);
        } else {
            self.push_site(site, Some(code), spelling, range, &table.id, headers);
        }
    }

    /// `Response::builder().status(302)`: a number straight into a status method.
    fn status_method_site(&mut self, call: Node<'t>) {
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
    fn macro_sites(&mut self, tokens: Node<'t>) {
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
                    return Some((family.id.clone(), code, table.id.clone()));
                }
            }
        }
        None
    }

    fn push_mention(
        &mut self,
        node: Node<'t>,
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
            headers_complete: false,
            header_insert: None,
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
        expr: Node<'t>,
        code: Option<u16>,
        spelling: Spelling,
        range: ByteRange,
        framework: &str,
        mut headers: Vec<HeaderFact>,
    ) {
        let (role, mut found_headers, body, without_body) = self.response_shape(expr);
        headers.append(&mut found_headers);
        let shape = (role, headers, body, without_body);
        self.push_shaped(expr, code, spelling, range, framework, shape);
    }

    /// Records a site whose response shape is already known.
    fn push_shaped(
        &mut self,
        expr: Node<'t>,
        code: Option<u16>,
        spelling: Spelling,
        range: ByteRange,
        framework: &str,
        shape: Shape,
    ) {
        let (role, mut headers, body, without_body) = shape;
        let handler = self.enclosing_handler(expr);
        let handler_range = handler.map(|id| self.facts.handlers[id].range.clone());
        let context = context_of(&self.parents, expr, handler_range, self.source);
        let headers_complete = role == SiteRole::Sets && self.headers_complete(expr, &mut headers);
        let header_insert = if role == SiteRole::Sets {
            self.header_insertion(expr)
        } else {
            None
        };
        self.facts.responses.push(Response {
            status: StatusSite {
                code,
                spelling,
                range,
                framework: framework.to_string(),
            },
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

    fn response_shape(&self, expr: Node<'t>) -> Shape {
        let expr = climb_wrappers(&self.parents, expr, self.source);
        let Some(parent) = self.parents.parent(expr) else {
            return (SiteRole::Mentions, Vec::new(), Body::Unknown, None);
        };
        // poem `StatusCode::FOUND.with_header(LOCATION, u)`: a bare status with headers.
        if parent.kind() == "field_expression"
            && let Some(field) = parent.child_by_field_name("field")
            && self.is_header_method(text(field, self.source))
            && let Some(call) = self
                .parents
                .parent(parent)
                .filter(|p| p.kind() == "call_expression")
        {
            let (mut headers, body, without_body) = self.builder_chain(expr);
            let mut top = call;
            while let Some(outer) = self
                .parents
                .parent(top)
                .filter(|p| p.kind() == "field_expression")
                .and_then(|p| self.parents.parent(p))
                .filter(|p| p.kind() == "call_expression")
            {
                top = outer;
            }
            let top = climb_wrappers(&self.parents, top, self.source);
            if in_response_position(&self.parents, top, self.source, &self.handler_ids) {
                let body = if body == Body::Unknown {
                    Body::None
                } else {
                    body
                };
                return (
                    SiteRole::Sets,
                    std::mem::take(&mut headers),
                    body,
                    without_body,
                );
            }
            return (SiteRole::Mentions, Vec::new(), Body::Unknown, None);
        }
        // `.status(x)` on a builder: the chain above it is the response.
        if parent.kind() == "arguments"
            && let Some(call) = self.parents.parent(parent)
            && let Some(field) = call
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("field"))
            && self.is_status_method(text(field, self.source))
        {
            let (headers, mut body, without_body) = self.builder_chain(call);
            // `web::Json(x).customize().with_status(..)`: the responder is the body.
            let method = text(field, self.source);
            let receiver_is_body = self.tables.iter().any(|table| {
                table
                    .status_methods
                    .iter()
                    .any(|m| m.method == method && m.receiver_is_body)
            });
            if receiver_is_body
                && body == Body::Unknown
                && let Some(receiver) = call
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("value"))
            {
                body = self.body_of(self.chain_root(receiver));
            }
            return (SiteRole::Sets, headers, body, without_body);
        }
        // `HttpResponse::build(StatusCode::X)`, warp `reply::with_status(r, StatusCode::X)`.
        if parent.kind() == "arguments"
            && let Some(call) = self.parents.parent(parent)
            && let Some(status_fn) = self.status_fn(call)
        {
            let args = named_children(parent);
            if args.get(status_fn.status_arg).map(|a| a.id()) == Some(expr.id()) {
                let (headers, mut body, without_body) = self.builder_chain(call);
                if let Some(arg) = status_fn.body_arg.and_then(|i| args.get(i))
                    && body == Body::Unknown
                {
                    body = self.body_of(*arg);
                }
                return (SiteRole::Sets, headers, body, without_body);
            }
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
            if first && in_response_position(&self.parents, parent, self.source, &self.handler_ids)
            {
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
            let last = elements.last().map(|e| e.id()) == Some(expr.id());
            // actix-web `(web::Json(x), StatusCode::CREATED)`: body first, status last.
            if last
                && let [body, _] = elements.as_slice()
                && self.responder_tuple_status_last()
                && in_response_position(&self.parents, parent, self.source, &self.handler_ids)
            {
                let without_body = Some(Replacement {
                    range: parent.byte_range(),
                    text: text(expr, self.source).to_string(),
                });
                return (
                    SiteRole::Sets,
                    Vec::new(),
                    self.body_of(*body),
                    without_body,
                );
            }
            // `([(header::LOCATION, url)], StatusCode::FOUND)`: parts, then a bare status as the
            // response they are applied to (axum's `(T1, .., R)`).
            if last
                && elements.len() >= 2
                && in_response_position(&self.parents, parent, self.source, &self.handler_ids)
            {
                let mut headers = Vec::new();
                for element in &elements[..elements.len() - 1] {
                    self.headers_of(*element, &mut headers);
                }
                return (SiteRole::Sets, headers, Body::None, None);
            }
            return (SiteRole::Mentions, Vec::new(), Body::Unknown, None);
        }
        if in_response_position(&self.parents, expr, self.source, &self.handler_ids) {
            return (SiteRole::Sets, Vec::new(), Body::None, None);
        }
        (SiteRole::Mentions, Vec::new(), Body::Unknown, None)
    }

    /// Whether a framework the file imports writes responder tuples status last (actix-web).
    fn responder_tuple_status_last(&self) -> bool {
        self.tables.iter().any(|table| {
            self.facts.frameworks.contains(&table.id)
                && table.responder_tuple_status.as_deref() == Some("last")
        })
    }

    /// The table entry of a call whose argument is a status (`HttpResponse::build(s)`).
    fn status_fn(&self, call: Node<'t>) -> Option<&'static hsl_tables::StatusFn> {
        let function = call.child_by_field_name("function")?;
        if !matches!(function.kind(), "identifier" | "scoped_identifier") {
            return None;
        }
        let segments = path_segments(function, self.source);
        let (name, ty) = last_two(&segments)?;
        let ty = self.imported_name(ty);
        self.tables.iter().find_map(|table| {
            table.status_fns.iter().find(|status_fn| {
                let mut parts = status_fn.path.rsplit("::");
                parts.next() == Some(name) && parts.next() == Some(ty.as_str())
            })
        })
    }

    /// The start of a method chain: `web::Json(x)` in `web::Json(x).customize()`, skipping
    /// calls without arguments and header or status methods.
    fn chain_root(&self, mut node: Node<'t>) -> Node<'t> {
        for _ in 0..32 {
            let Some(function) = node
                .child_by_field_name("function")
                .filter(|f| node.kind() == "call_expression" && f.kind() == "field_expression")
            else {
                return node;
            };
            let name = function
                .child_by_field_name("field")
                .map_or("", |f| text(f, self.source));
            let no_args = node
                .child_by_field_name("arguments")
                .is_none_or(|args| named_children(args).is_empty());
            let passes = no_args
                || self.is_status_method(name)
                || self
                    .tables
                    .iter()
                    .any(|table| table.header_methods.iter().any(|m| m.method == name));
            // `"x".to_string()` is still the body; keep it whole for `body_of`.
            if !passes || in_table(name, |t| &t.string_conversions) {
                return node;
            }
            let Some(receiver) = function.child_by_field_name("value") else {
                return node;
            };
            node = receiver;
        }
        node
    }

    fn is_header_method(&self, name: &str) -> bool {
        self.tables
            .iter()
            .any(|table| table.header_methods.iter().any(|m| m.method == name))
    }

    fn is_status_method(&self, name: &str) -> bool {
        self.tables
            .iter()
            .any(|table| table.status_methods.iter().any(|m| m.method == name))
    }

    /// Headers and body of a builder chain, from the call that sets the status upwards.
    fn builder_chain(&self, status_call: Node<'t>) -> (Vec<HeaderFact>, Body, Option<Replacement>) {
        let mut headers = Vec::new();
        let mut body = Body::Unknown;
        let mut without_body = None;
        let mut current = status_call;
        // Walk up while the current call is the receiver of another method call.
        while let Some(field_expr) = self
            .parents
            .parent(current)
            .filter(|p| p.kind() == "field_expression")
        {
            let Some(call) = self
                .parents
                .parent(field_expr)
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
                self.headers_set_by(table, name, &args, &mut headers);
                for method in &table.body_methods {
                    if method.method == name {
                        body = args
                            .get(method.arg)
                            .map_or(Body::None, |arg| self.body_of(*arg));
                        // actix `.json(x)` → `.finish()`; else `.body(Body::empty())`.
                        without_body = match self.builder_finish() {
                            Some(finish) => Some(Replacement {
                                range: field.start_byte()..call.end_byte(),
                                text: finish.to_string(),
                            }),
                            None => args
                                .get(method.arg)
                                .and_then(|arg| self.empty_body_like(*arg)),
                        };
                    }
                }
                if table.empty_body_methods.iter().any(|m| m == name) {
                    body = Body::None;
                }
            }
            current = call;
        }
        (headers, body, without_body)
    }

    /// The call that ends a builder without a body, from a table of a framework the file
    /// imports (actix `finish()`).
    fn builder_finish(&self) -> Option<&'static str> {
        self.tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id))
            .find_map(|table| table.builder_finish.as_deref())
    }

    fn headers_of(&self, element: Node<'t>, headers: &mut Vec<HeaderFact>) {
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

    fn header_name(&self, node: Node<'t>) -> String {
        // actix `.insert_header((LOCATION, "/x"))`: a `(name, value)` pair.
        if node.kind() == "tuple_expression"
            && let Some(name) = named_children(node).first()
        {
            return self.header_name(*name);
        }
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
            // `header::CACHE_CONTROL`: the http crate names each constant after its header.
            let in_header_module = segments.len() >= 2
                && segments
                    .get(segments.len() - 2)
                    .is_some_and(|module| module == "header");
            if in_header_module
                && last
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                return last.to_ascii_lowercase().replace('_', "-");
            }
        }
        "*".to_string()
    }

    /// What an expression shows of a body. Only what the syntax proves counts: a literal, a body
    /// wrapper (`Json(x)` always serialises something), or a conversion of those; a variable
    /// or an unknown call may be empty, so it stays [`Body::Unknown`].
    fn body_of(&self, node: Node<'t>) -> Body {
        let opaque = || Body::Opaque {
            range: node.byte_range(),
            words: rust_conditions::words(node, self.source),
        };
        match node.kind() {
            "unit_expression" => Body::Empty,
            "string_literal" | "raw_string_literal" => match string_value(node, self.source) {
                Some(value) if value.is_empty() => Body::Empty,
                _ => opaque(),
            },
            "parenthesized_expression" | "reference_expression" => named_children(node)
                .last()
                .map_or(Body::Unknown, |inner| self.body_of(*inner)),
            "macro_invocation" => {
                // `serde_json::json!` names the same macro as `json!`.
                let name = node
                    .child_by_field_name("macro")
                    .map_or("", |name| text(name, self.source));
                let name = name.rsplit("::").next().unwrap_or(name);
                if rust_tables().any(|table| table.body_macros.iter().any(|m| m == name)) {
                    // `json!({ "error": "x" })`: a literal object with its entries.
                    match json_object(node, self.source) {
                        Some(object) if name == "json" => Body::Object(object),
                        _ => opaque(),
                    }
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
                            if args.is_empty() && in_table(field, |t| &t.string_conversions) =>
                        {
                            self.body_of(receiver)
                        }
                        _ => Body::Unknown,
                    };
                }
                let function = text(function, self.source);
                let segments = path_segments_of(function);
                // `reply()` after `use warp::reply;` is `warp::reply()`.
                let qualified = self.qualified(&segments);
                let is_empty = self.tables.iter().any(|table| {
                    table.empty_bodies.iter().any(|empty| {
                        function == *empty
                            || function.ends_with(&format!("::{empty}"))
                            || qualified == *empty
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
                    // `Json(json!({ .. }))`: the object is the body.
                    if let [arg] = args.as_slice()
                        && let Body::Object(object) = self.body_of(*arg)
                    {
                        return Body::Object(object);
                    }
                    return opaque();
                }
                // `Body::from("x")`, `String::from("")`: the argument decides.
                if matches!(last, "from" | "new")
                    && segments.len() >= 2
                    && let [arg] = args.as_slice()
                {
                    return match self.body_of(*arg) {
                        Body::Empty => Body::Empty,
                        Body::Unknown => Body::Unknown,
                        // `Bytes::from(json!({ .. }).to_string())` is still that object.
                        Body::Object(object) => Body::Object(object),
                        _ => opaque(),
                    };
                }
                Body::Unknown
            }
            _ => Body::Unknown,
        }
    }

    /// The builder's `.body(arg)` argument rewritten as an empty body of the same type, when
    /// the syntax names the type: `Body::from("x")` → `Body::empty()`, `"x"` → `""`.
    fn empty_body_like(&self, arg: Node<'t>) -> Option<Replacement> {
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
                let empty = rust_tables().find_map(|table| table.empty_body_ctors.get(ty))?;
                format!("{prefix}{empty}")
            }
            _ => return None,
        };
        Some(Replacement {
            range: arg.byte_range(),
            text: replacement,
        })
    }
}

/// Whether a response's headers are all visible, and where a header can be added to it.
impl<'t> Extractor<'_, 't> {
    /// Whether the syntax shows every header set on the response whose status is set at
    /// `site`: the construction is returned as it is built, or bound to a name whose every later
    /// use is seen (`res.headers_mut().insert(..)`, the name returned). Adds the headers found
    /// on the way (a builder chain below the status, a binding's inserts).
    fn headers_complete(&self, site: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        let complete = self.construction_complete(site, headers)
            && !headers.iter().any(|header| header.name == "*");
        let mut seen = std::collections::HashSet::new();
        headers.retain(|header| seen.insert((header.name.clone(), header.range.clone())));
        complete
    }

    fn construction_complete(&self, site: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        if headers.iter().any(|header| header.name == "*") {
            return false;
        }
        let start = climb_wrappers(&self.parents, site, self.source);
        // `*res.status_mut() = X`: the binding from its `let` to its last use.
        if let Some(assignment) = self
            .parents
            .parent(start)
            .filter(|p| p.kind() == "assignment_expression")
        {
            let Some(name) = assignment
                .child_by_field_name("left")
                .and_then(|left| status_mut_receiver(left, self.source))
            else {
                return false;
            };
            let Some(statement) = self.parents.parent(assignment) else {
                return false;
            };
            return self.binding_complete(name, statement, true, headers);
        }
        let mut node = start;
        for _ in 0..64 {
            node = climb_wrappers(&self.parents, node, self.source);
            let Some(parent) = self.parents.parent(node) else {
                return false;
            };
            match parent.kind() {
                // A method on the construction: `.insert_header(..)`, `.finish()`.
                "field_expression" => {
                    let Some(call) = self
                        .parents
                        .parent(parent)
                        .filter(|p| p.kind() == "call_expression")
                    else {
                        break;
                    };
                    self.method_headers(call, headers);
                    node = call;
                }
                "arguments" => {
                    let Some(call) = self.parents.parent(parent) else {
                        break;
                    };
                    let Some(function) = call.child_by_field_name("function") else {
                        break;
                    };
                    let args = named_children(parent);
                    if function.kind() == "field_expression" {
                        let method = function
                            .child_by_field_name("field")
                            .map_or("", |f| text(f, self.source));
                        // `.status(x)`: the chain below it is the same response.
                        if !self.is_status_method(method) {
                            break;
                        }
                        let Some(receiver) = function.child_by_field_name("value") else {
                            break;
                        };
                        if !self.chain_below(receiver, headers) {
                            return false;
                        }
                        node = call;
                        continue;
                    }
                    let index = args.iter().position(|arg| arg.id() == node.id());
                    if in_table(text(function, self.source), |t| &t.value_wrappers) {
                        node = call;
                        continue;
                    }
                    if let Some(status_fn) = self.status_fn(call)
                        && index == Some(status_fn.status_arg)
                    {
                        if let Some(body) = status_fn.body_arg.and_then(|i| args.get(i))
                            && !self.responder_headers(*body, headers)
                        {
                            return false;
                        }
                        node = call;
                        continue;
                    }
                    if let Some(header_fn) = self.header_fn(call)
                        && index == Some(header_fn.reply_arg)
                    {
                        self.header_fn_header(call, header_fn, headers);
                        node = call;
                        continue;
                    }
                    break;
                }
                // `(StatusCode::CREATED, [(LOCATION, url)], Json(x))`: the other elements are
                // header arrays or a body that carries no headers of its own.
                "tuple_expression" => {
                    for element in named_children(parent) {
                        if element.id() == node.id() || element.kind() == "array_expression" {
                            continue;
                        }
                        if !self.responder_headers(element, headers) {
                            return false;
                        }
                    }
                    node = parent;
                }
                _ => break,
            }
        }
        if in_response_position(&self.parents, node, self.source, &self.handler_ids) {
            // `Err(StatusCode::X.into())`, `.ok_or(StatusCode::X)?`: converted into the
            // handler's error type, whose own response may add headers.
            return !self.converted_into_custom_error(site);
        }
        // `let res = Response::builder().status(302).body(..)?;` and later uses of `res`.
        if let Some(declaration) = self.parents.parent(node).filter(|p| {
            p.kind() == "let_declaration"
                && p.child_by_field_name("value").map(|v| v.id()) == Some(node.id())
        }) && let Some(pattern) = declaration
            .child_by_field_name("pattern")
            .filter(|p| p.kind() == "identifier")
        {
            return self.binding_complete(text(pattern, self.source), declaration, false, headers);
        }
        false
    }

    /// Whether the value set at `site` reaches the handler's result through a conversion
    /// (`.into()`, the error of `?` from `.ok_or(..)` / `.map_err(..)`) into an error type
    /// that is not a plain status or response: a custom error's `IntoResponse` may add
    /// headers the syntax does not show.
    fn converted_into_custom_error(&self, site: Node<'t>) -> bool {
        let mut converted = false;
        let mut function = None;
        for ancestor in self.parents.ancestors(site) {
            match ancestor.kind() {
                "function_item" => {
                    function = Some(ancestor);
                    break;
                }
                "call_expression" => {
                    let name = method_name(ancestor, self.source).unwrap_or("");
                    // The site is the error (`.ok_or(X)`, `.map_err(|_| X)`), not the receiver.
                    let in_arguments =
                        ancestor
                            .child_by_field_name("arguments")
                            .is_some_and(|args| {
                                args.start_byte() <= site.start_byte()
                                    && site.end_byte() <= args.end_byte()
                            });
                    converted |= name == "into"
                        || (in_arguments
                            && (in_table(name, |t| &t.error_value_methods)
                                || in_table(name, |t| &t.error_adapters)));
                }
                _ => {}
            }
        }
        if !converted {
            return false;
        }
        let Some(return_type) = function
            .and_then(|f| f.child_by_field_name("return_type"))
            .map(|ty| text(ty, self.source).replace(char::is_whitespace, ""))
        else {
            return true;
        };
        // The error type: the last argument of `Result<T, E>`; else the whole type.
        let error_type = return_type
            .strip_prefix("Result<")
            .and_then(|rest| rest.strip_suffix('>'))
            .and_then(|inner| top_level_last_argument(inner))
            .unwrap_or(&return_type);
        let plain = error_type.starts_with('(')
            || [
                "StatusCode",
                "Status",
                "HttpResponse",
                "Response",
                "Redirect",
            ]
            .iter()
            .any(|known| error_type.contains(known) && !error_type.contains("IntoResponse"))
            || error_type == "Error"
            || error_type.ends_with("::Error");
        !plain
    }

    /// The header `table`'s header method `name` sets with these arguments, if it is one.
    fn headers_set_by(
        &self,
        table: &Framework,
        name: &str,
        args: &[Node<'t>],
        headers: &mut Vec<HeaderFact>,
    ) {
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
    }

    /// The header a header method call on a construction sets (`.insert_header((LOCATION, u))`);
    /// an unknown method named for headers (`.typed_header(..)`) sets one the syntax cannot
    /// name.
    fn method_headers(&self, call: Node<'t>, headers: &mut Vec<HeaderFact>) {
        let Some(name) = method_name(call, self.source) else {
            return;
        };
        if name.to_ascii_lowercase().contains("header") && !self.is_header_method(name) {
            headers.push(HeaderFact {
                name: "*".to_string(),
                range: call.byte_range(),
            });
            return;
        }
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for table in &self.tables {
            self.headers_set_by(table, name, &args, headers);
        }
    }

    /// Walks a method chain down to its first call, adding the headers its links set; `true`
    /// when that first call starts a fresh response (`Response::builder()`, a helper such as
    /// `Redirect::to(u)`, a body such as `Json(x)`), whose headers are all known.
    fn chain_below(&self, mut node: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        for _ in 0..64 {
            match node.kind() {
                "try_expression" | "parenthesized_expression" => {
                    let Some(inner) = named_children(node).first().copied() else {
                        return false;
                    };
                    node = inner;
                }
                "call_expression" => {
                    let Some(function) = node.child_by_field_name("function") else {
                        return false;
                    };
                    if function.kind() == "field_expression" {
                        self.method_headers(node, headers);
                        let Some(receiver) = function.child_by_field_name("value") else {
                            return false;
                        };
                        node = receiver;
                        continue;
                    }
                    return self.fresh_response(node, function, headers);
                }
                "scoped_identifier" => return true,
                _ => return self.body_of(node) != Body::Unknown,
            }
        }
        false
    }

    /// Whether a plain call starts a response whose headers are known, adding the header a
    /// helper sets (`Redirect::to(u)` sets `location`).
    fn fresh_response(
        &self,
        call: Node<'t>,
        function: Node<'t>,
        headers: &mut Vec<HeaderFact>,
    ) -> bool {
        let segments = path_segments(function, self.source);
        if let Some((name, ty)) = last_two(&segments) {
            let ty = self.imported_name(ty);
            let path = format!("{ty}::{name}");
            if self
                .tables
                .iter()
                .any(|table| table.response_ctors.contains(&path))
                || self.status_fn(call).is_some()
            {
                return true;
            }
            let helper = self.tables.iter().find_map(|table| {
                table.helper_families.iter().find(|family| {
                    family.type_name == ty
                        && family.codes.contains_key(name)
                        && (!family.requires_import || self.facts.frameworks.contains(&table.id))
                })
            });
            if let Some(family) = helper {
                headers.extend(family.sets_header.iter().map(|header| HeaderFact {
                    name: header.clone(),
                    range: call.byte_range(),
                }));
                return true;
            }
        }
        self.body_of(call) != Body::Unknown
    }

    /// Whether an element of a responder tuple (or the reply a status wraps) carries only the
    /// headers the syntax shows: a header array, `AppendHeaders([..])`, a body (`Json(x)`, a
    /// literal), warp `reply::with_header(..)` around one of those. A variable may be a whole
    /// response with headers of its own.
    fn responder_headers(&self, element: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        let element = strip_refs(element);
        match element.kind() {
            "array_expression" => {
                self.headers_of(element, headers);
                true
            }
            "call_expression" => {
                if let Some(header_fn) = self.header_fn(element) {
                    self.header_fn_header(element, header_fn, headers);
                    let args = element
                        .child_by_field_name("arguments")
                        .map(named_children)
                        .unwrap_or_default();
                    return args
                        .get(header_fn.reply_arg)
                        .is_some_and(|reply| self.responder_headers(*reply, headers));
                }
                let is_append = element
                    .child_by_field_name("function")
                    .map(|f| path_segments(f, self.source))
                    .is_some_and(|segments| {
                        segments.last().is_some_and(|last| last == "AppendHeaders")
                    });
                if is_append {
                    self.headers_of(element, headers);
                    return true;
                }
                self.body_of(element) != Body::Unknown
            }
            _ => self.body_of(element) != Body::Unknown,
        }
    }

    /// The table entry of a call that adds a header to a reply (warp `reply::with_header`).
    fn header_fn(&self, call: Node<'t>) -> Option<&'static hsl_tables::HeaderFn> {
        let function = call.child_by_field_name("function")?;
        if !matches!(function.kind(), "identifier" | "scoped_identifier") {
            return None;
        }
        let segments = path_segments(function, self.source);
        let (name, ty) = last_two(&segments)?;
        self.tables.iter().find_map(|table| {
            table.header_fns.iter().find(|header_fn| {
                let mut parts = header_fn.path.rsplit("::");
                parts.next() == Some(name) && parts.next() == Some(ty)
            })
        })
    }

    fn header_fn_header(
        &self,
        call: Node<'t>,
        header_fn: &hsl_tables::HeaderFn,
        headers: &mut Vec<HeaderFact>,
    ) {
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        if let Some(name) = args.get(header_fn.name_arg) {
            headers.push(HeaderFact {
                name: self.header_name(*name),
                range: name.byte_range(),
            });
        }
    }

    /// Whether every use of the binding `name` after `declaration` (a `let`, or with
    /// `status_mut` the `*name.status_mut() = x` statement, whose `let` is looked up first) is
    /// seen: header inserts (added to `headers`), builder methods, the name returned.
    fn binding_complete(
        &self,
        name: &str,
        declaration: Node<'t>,
        status_mut: bool,
        headers: &mut Vec<HeaderFact>,
    ) -> bool {
        let Some(block) = self
            .parents
            .parent(declaration)
            .filter(|b| b.kind() == "block")
        else {
            return false;
        };
        let declaration = if status_mut {
            let found = named_children(block).into_iter().rev().find(|statement| {
                statement.end_byte() <= declaration.start_byte()
                    && statement.kind() == "let_declaration"
                    && statement
                        .child_by_field_name("pattern")
                        .is_some_and(|p| p.kind() == "identifier" && text(p, self.source) == name)
            });
            let Some(found) = found else {
                return false;
            };
            let Some(value) = found.child_by_field_name("value") else {
                return false;
            };
            if !self.chain_below(value, headers) {
                return false;
            }
            found
        } else {
            declaration
        };
        let mut uses = Vec::new();
        identifiers_named(block, name, self.source, &mut uses);
        uses.into_iter()
            .filter(|ident| ident.start_byte() >= declaration.end_byte())
            .all(|ident| self.binding_use(ident, headers))
    }

    /// Whether one use of a response binding keeps its headers visible: a header insert or a
    /// builder method as a statement of its own, or the name continuing into the response
    /// (returned, wrapped, chained, bound again) as a construction does.
    fn binding_use(&self, ident: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        let Some(parent) = self.parents.parent(ident) else {
            return false;
        };
        if parent.kind() == "field_expression"
            && let Some(call) = self
                .parents
                .parent(parent)
                .filter(|p| p.kind() == "call_expression")
            && let Some(method) = method_name(call, self.source)
        {
            let lends_headers =
                rust_tables().any(|t| t.header_map_method.as_deref() == Some(method));
            match method {
                // `res.headers_mut().insert(LOCATION, v)`.
                _ if lends_headers => {
                    let Some(outer) = self
                        .parents
                        .parent(call)
                        .filter(|p| p.kind() == "field_expression")
                        .and_then(|p| self.parents.parent(p))
                        .filter(|p| p.kind() == "call_expression")
                    else {
                        return false;
                    };
                    if !method_name(outer, self.source)
                        .is_some_and(|name| in_table(name, |t| &t.header_map_inserts))
                    {
                        return false;
                    }
                    let Some(name) = outer
                        .child_by_field_name("arguments")
                        .and_then(|args| named_children(args).first().copied())
                    else {
                        return false;
                    };
                    headers.push(HeaderFact {
                        name: self.header_name(name),
                        range: name.byte_range(),
                    });
                    return true;
                }
                _ if in_table(method, |t| &t.reading_methods) => return true,
                // `builder.insert_header((LOCATION, u));` as a statement.
                _ if self
                    .parents
                    .parent(call)
                    .is_some_and(|p| p.kind() == "expression_statement")
                    && (self.is_header_method(method) || self.is_status_method(method)) =>
                {
                    self.method_headers(call, headers);
                    return true;
                }
                _ => {}
            }
        }
        self.construction_complete(ident, headers)
    }

    /// Where a header can be added to the response set at `site`, in the framework's idiom:
    /// after a builder helper (`HttpResponse::Found()`), after the status call of a chain
    /// (`.status(405)`), or after the status of an axum tuple that is the handler's only
    /// response. `None` where the addition could change the response's type elsewhere.
    fn header_insertion(&self, site: Node<'t>) -> Option<Insertion> {
        let followed = |call: Node<'t>| {
            self.parents
                .parent(call)
                .is_some_and(|p| p.kind() == "field_expression")
        };
        if site.kind() == "call_expression"
            && let Some(template) = self.helper_header_insert(site)
        {
            return followed(site).then(|| Insertion {
                at: site.end_byte(),
                template: template.to_string(),
            });
        }
        let node = climb_wrappers(&self.parents, site, self.source);
        let parent = self.parents.parent(node)?;
        if parent.kind() == "arguments"
            && let Some(call) = self.parents.parent(parent)
            && let Some(method) = method_name(call, self.source)
            && let Some(template) = self.status_method_header_insert(method)
            && (followed(call) || self.sole_tail(call))
        {
            return Some(Insertion {
                at: call.end_byte(),
                template: template.to_string(),
            });
        }
        if parent.kind() == "tuple_expression"
            && named_children(parent).first().map(|first| first.id()) == Some(node.id())
            && let Some(template) = self
                .imported_tables()
                .find_map(|t| t.tuple_header_insert.as_deref())
            && self.sole_tail(parent)
        {
            return Some(Insertion {
                at: node.end_byte(),
                template: template.to_string(),
            });
        }
        None
    }

    /// The tables of the frameworks the file imports, the http crate's last.
    fn imported_tables(&self) -> impl Iterator<Item = &'static Framework> + '_ {
        let imported = self
            .tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id));
        imported
            .clone()
            .filter(|table| !table.reexported)
            .chain(imported.filter(|table| table.reexported))
            .copied()
    }

    fn status_method_header_insert(&self, method: &str) -> Option<&'static str> {
        let mut tables = self.imported_tables().collect::<Vec<_>>();
        // The http crate's builder is read in files that import only hyper or a re-export.
        tables.extend(self.tables.iter().filter(|table| table.reexported));
        tables.into_iter().find_map(|table| {
            table
                .status_methods
                .iter()
                .find(|m| m.method == method)
                .and_then(|m| m.header_insert.as_deref())
        })
    }

    fn helper_header_insert(&self, call: Node<'t>) -> Option<&'static str> {
        let function = call.child_by_field_name("function")?;
        let segments = path_segments(function, self.source);
        let (name, ty) = last_two(&segments)?;
        let ty = self.imported_name(ty);
        self.imported_tables().find_map(|table| {
            table
                .helper_families
                .iter()
                .find(|family| family.type_name == ty && family.codes.contains_key(name))
                .and_then(|family| family.header_insert.as_deref())
        })
    }

    /// Whether `node` (through `Ok(..)` and the like) is the tail of its function or closure,
    /// which has no `return` and, for a function, returns `impl Trait`: the only response, so
    /// changing its type (a tuple with one more element) keeps the code compiling.
    fn sole_tail(&self, node: Node<'t>) -> bool {
        let mut top = climb_wrappers(&self.parents, node, self.source);
        while let Some(call) = self
            .parents
            .parent(top)
            .filter(|p| p.kind() == "arguments")
            .and_then(|args| self.parents.parent(args))
            .filter(|call| {
                call.child_by_field_name("function")
                    .is_some_and(|f| in_table(text(f, self.source), |t| &t.value_wrappers))
            })
        {
            top = climb_wrappers(&self.parents, call, self.source);
        }
        let Some(block) = self.parents.parent(top) else {
            return false;
        };
        let owner = match block.kind() {
            "closure_expression" => block,
            "block" if named_children(block).last().map(|l| l.id()) == Some(top.id()) => match self
                .parents
                .parent(block)
            {
                Some(owner) if owner.kind() == "async_block" => match self.parents.parent(owner) {
                    Some(closure) if closure.kind() == "closure_expression" => closure,
                    _ => return false,
                },
                Some(owner) if matches!(owner.kind(), "function_item" | "closure_expression") => {
                    owner
                }
                _ => return false,
            },
            _ => return false,
        };
        if has_return(owner) {
            return false;
        }
        owner.kind() == "closure_expression"
            || owner
                .child_by_field_name("return_type")
                .is_some_and(|ty| text(ty, self.source).contains("impl "))
    }
}

/// The object of `json!({ "key": value, .. })`, when every entry is `key: value` with a
/// literal or identifier key; values other than one literal token are [`LiteralValue::Other`].
fn json_object(macro_node: Node<'_>, source: &str) -> Option<ObjectLiteral> {
    let outer = named_children(macro_node)
        .into_iter()
        .find(|child| child.kind() == "token_tree")?;
    fn tokens(tree: Node<'_>) -> Vec<Node<'_>> {
        let mut cursor = tree.walk();
        tree.children(&mut cursor).collect()
    }
    let object = match tokens(outer).as_slice() {
        [open, inner, close]
            if text(*open, source) == "("
                && text(*close, source) == ")"
                && inner.kind() == "token_tree"
                && text(*inner, source).starts_with('{') =>
        {
            *inner
        }
        _ => return None,
    };
    let inner = tokens(object);
    let inner = inner.get(1..inner.len().checked_sub(1)?)?;
    let mut entries = Vec::new();
    for entry in inner.split(|token| text(*token, source) == ",") {
        let [key, colon, value @ ..] = entry else {
            if entry.is_empty() {
                continue;
            }
            return None;
        };
        if text(*colon, source) != ":" || value.is_empty() {
            return None;
        }
        let key = match key.kind() {
            "string_literal" => string_value(*key, source)?,
            "identifier" => text(*key, source).to_string(),
            _ => return None,
        };
        let value = match value {
            [single] => match (single.kind(), text(*single, source)) {
                (_, "null") => LiteralValue::Null,
                (_, "true") => LiteralValue::Bool(true),
                (_, "false") => LiteralValue::Bool(false),
                ("string_literal" | "raw_string_literal", _) => {
                    string_value(*single, source).map_or(LiteralValue::Other, LiteralValue::String)
                }
                ("integer_literal" | "float_literal", _) => LiteralValue::Number,
                ("identifier", name) => LiteralValue::Variable(name.to_string()),
                _ => LiteralValue::Other,
            },
            [minus, number]
                if text(*minus, source) == "-"
                    && matches!(number.kind(), "integer_literal" | "float_literal") =>
            {
                LiteralValue::Number
            }
            _ => LiteralValue::Other,
        };
        entries.push((key, value));
    }
    Some(ObjectLiteral {
        range: macro_node.byte_range(),
        entries,
    })
}

/// The last comma-separated argument of a generic argument list, outside nested brackets.
fn top_level_last_argument(list: &str) -> Option<&str> {
    let mut depth = 0i32;
    let mut start = None;
    for (index, ch) in list.char_indices() {
        match ch {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => start = Some(index + 1),
            _ => {}
        }
    }
    start.and_then(|start| list.get(start..))
}

/// `res` in `*res.status_mut()`.
fn status_mut_receiver<'s>(left: Node<'_>, source: &'s str) -> Option<&'s str> {
    let call = strip_refs(left);
    let function = call
        .child_by_field_name("function")
        .filter(|f| call.kind() == "call_expression" && f.kind() == "field_expression")?;
    let field = function.child_by_field_name("field")?;
    let receiver = function
        .child_by_field_name("value")
        .filter(|v| v.kind() == "identifier")?;
    let slot = text(field, source);
    rust_tables()
        .any(|t| t.status_slot_method.as_deref() == Some(slot))
        .then(|| text(receiver, source))
}

/// The identifiers spelled `name` under `node`.
fn identifiers_named<'t>(node: Node<'t>, name: &str, source: &str, found: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.kind() == "identifier" {
            if text(child, source) == name {
                found.push(child);
            }
        } else if !matches!(
            child.kind(),
            "scoped_identifier" | "scoped_type_identifier" | "type_arguments"
        ) {
            identifiers_named(child, name, source, found);
        }
    }
}

/// Whether a function or closure has a `return` of its own (not one in a nested closure).
fn has_return(owner: Node<'_>) -> bool {
    fn walk(node: Node<'_>) -> bool {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        children.into_iter().any(|child| match child.kind() {
            "return_expression" => true,
            "closure_expression" | "function_item" => false,
            _ => walk(child),
        })
    }
    walk(owner)
}

/// The inline modules (`mod a { mod b { .. } }`) around a node, outermost first; `None` at
/// the file's top level.
fn inline_module_path<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    source: &str,
) -> Option<Vec<String>> {
    let mut path: Vec<String> = parents
        .ancestors(node)
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

/// Skips `&`, `*` and parentheses around an expression or pattern.
fn strip_refs(mut node: Node<'_>) -> Node<'_> {
    for _ in 0..8 {
        match node.kind() {
            "reference_expression"
            | "reference_pattern"
            | "unary_expression"
            | "parenthesized_expression" => match named_children(node).last() {
                Some(inner) => node = *inner,
                None => return node,
            },
            _ => return node,
        }
    }
    node
}

/// Skips `.unwrap()`, `?`, parentheses and `.into()` around an expression.
fn climb_wrappers<'t>(parents: &Parents<'t>, mut node: Node<'t>, source: &str) -> Node<'t> {
    loop {
        let Some(parent) = parents.parent(node) else {
            return node;
        };
        match parent.kind() {
            "try_expression" | "parenthesized_expression" | "reference_expression" => node = parent,
            "field_expression" => {
                let field = parent
                    .child_by_field_name("field")
                    .map_or("", |f| text(f, source));
                let call = parents
                    .parent(parent)
                    .filter(|p| p.kind() == "call_expression");
                match call {
                    Some(call) if in_table(field, |t| &t.transparent_methods) => node = call,
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

/// The Rust framework tables.
fn rust_tables() -> impl Iterator<Item = &'static Framework> {
    Tables::get().for_language("rust")
}

/// Whether a Rust table lists `name` in the list `list` picks.
fn in_table(name: &str, list: impl Fn(&'static Framework) -> &'static Vec<String>) -> bool {
    rust_tables().any(|table| list(table).iter().any(|entry| entry == name))
}

/// Whether an expression's value is what a handler returns: a tail expression, `return x`,
/// a match arm, or wrapped in `Ok`/`Err`/`.into_response()` there; in a registered closure,
/// or a closure whose value becomes the response (`.map_err(|e| ..)?`).
fn in_response_position<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    source: &str,
    registered: &HashMap<(usize, usize), HandlerId>,
) -> bool {
    let mut node = node;
    for _ in 0..64 {
        let Some(parent) = parents.parent(node) else {
            return false;
        };
        match parent.kind() {
            // `return` leaves the nearest function, closure or async block.
            "return_expression" => {
                let owner = parents.ancestors(parent).find(|a| {
                    matches!(
                        a.kind(),
                        "function_item" | "closure_expression" | "async_block"
                    )
                });
                match owner {
                    Some(owner) if owner.kind() == "function_item" => return true,
                    Some(owner) if owner.kind() == "closure_expression" => {
                        match closure_value_flows(parents, owner, source, registered) {
                            Some(call) if propagates_error(parents, call, source) => return true,
                            Some(call) => node = call,
                            None => return is_registered(owner, registered),
                        }
                    }
                    Some(owner) => node = owner,
                    None => return false,
                }
            }
            "closure_expression" => {
                match closure_value_flows(parents, parent, source, registered) {
                    Some(call) if propagates_error(parents, call, source) => return true,
                    Some(call) => node = call,
                    None => return is_registered(parent, registered),
                }
            }
            "block" => {
                let children = named_children(parent);
                let is_tail = children.last().map(|last| last.id()) == Some(node.id())
                    && (node.kind() != "expression_statement" || is_unterminated(node));
                if !is_tail {
                    return false;
                }
                let Some(owner) = parents.parent(parent) else {
                    return false;
                };
                match owner.kind() {
                    "function_item" => return true,
                    "else_clause" => node = parents.parent(owner).unwrap_or(owner),
                    // A closure's block body: the closure arm above decides.
                    _ => node = parent,
                }
            }
            "match_arm" => {
                let Some(expression) = parents
                    .ancestors(parent)
                    .find(|a| a.kind() == "match_expression")
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
                let Some(call) = parents.parent(parent) else {
                    return false;
                };
                let function = call
                    .child_by_field_name("function")
                    .map_or("", |f| text(f, source));
                if in_table(function, |t| &t.value_wrappers) {
                    node = call;
                    continue;
                }
                // `option.ok_or(StatusCode::NOT_FOUND)?`: the `?` returns the error value.
                return method_name(call, source)
                    .is_some_and(|name| in_table(name, |t| &t.error_value_methods))
                    && parents
                        .parent(call)
                        .is_some_and(|p| p.kind() == "try_expression");
            }
            "field_expression" => {
                let field = parent
                    .child_by_field_name("field")
                    .map_or("", |f| text(f, source));
                let Some(call) = parents
                    .parent(parent)
                    .filter(|p| p.kind() == "call_expression")
                else {
                    return false;
                };
                if in_table(field, |t| &t.response_conversions) {
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
    parents: &Parents<'t>,
    closure: Node<'t>,
    source: &str,
    registered: &HashMap<(usize, usize), HandlerId>,
) -> Option<Node<'t>> {
    if is_registered(closure, registered) {
        return None;
    }
    let call = parents
        .parent(closure)
        .filter(|p| p.kind() == "arguments")
        .and_then(|arguments| parents.parent(arguments))?;
    let name = method_name(call, source)?;
    if !rust_tables().any(|table| table.closure_adapters.iter().any(|a| a == name)) {
        return None;
    }
    Some(call)
}

/// `res.map_err(|e| ..)?` and `opt.ok_or_else(|| ..)?`: the closure's value is the error the
/// `?` returns.
fn propagates_error<'t>(parents: &Parents<'t>, call: Node<'t>, source: &str) -> bool {
    method_name(call, source).is_some_and(|name| {
        rust_tables().any(|table| table.error_adapters.iter().any(|a| a == name))
    }) && parents
        .parent(call)
        .is_some_and(|p| p.kind() == "try_expression")
}

/// The method a call invokes (`map_err` in `res.map_err(f)`); `None` for a plain function call.
fn method_name<'s>(call: Node<'_>, source: &'s str) -> Option<&'s str> {
    let field = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "field_expression")?
        .child_by_field_name("field")?;
    Some(text(field, source))
}

/// The item an attribute belongs to: the next sibling past stacked attributes and comments.
fn item_after_attributes<'t>(parents: &Parents<'t>, attribute: Node<'t>) -> Option<Node<'t>> {
    let mut next = parents.next_named_sibling(attribute);
    while let Some(sibling) = next
        && matches!(
            sibling.kind(),
            "attribute_item" | "line_comment" | "block_comment"
        )
    {
        next = parents.next_named_sibling(sibling);
    }
    next
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

/// Where a response sits in its handler's control flow: the `if`s, `if let`s, `let … else`s,
/// match arms (with guards), early-return guards and `.ok_or(..)` / `.map_err(..)` receivers on
/// the way to it, and the innermost failure handler (`Err` arm) around it.
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
            "match_arm" => {
                let pattern_node = ancestor.child_by_field_name("pattern");
                let guard = pattern_node.and_then(|p| p.child_by_field_name("condition"));
                let pattern = pattern_node
                    .and_then(|p| named_children(p).into_iter().next())
                    .filter(|p| guard.is_none_or(|g| g.id() != p.id()))
                    .map_or_else(
                        || Pattern::implied(PatternKind::Other),
                        |p| rust_conditions::pattern(p, source),
                    );
                if let Some(guard) = guard {
                    conditions.push(rust_condition(guard, None, false, source));
                }
                let scrutinee = parents
                    .parent(ancestor)
                    .and_then(|block| parents.parent(block))
                    .filter(|m| m.kind() == "match_expression")
                    .and_then(|m| m.child_by_field_name("value"));
                if let Some(scrutinee) = scrutinee {
                    conditions.push(rust_condition(
                        scrutinee,
                        Some(pattern.clone()),
                        false,
                        source,
                    ));
                }
                if pattern.kind == PatternKind::Err {
                    context.in_err_arm = true;
                    note_failure(&mut context, ancestor, &pattern, scrutinee, source);
                }
            }
            "if_expression" => {
                if let Some(condition) = ancestor.child_by_field_name("condition")
                    && condition.id() != child.id()
                {
                    let negated = ancestor
                        .child_by_field_name("alternative")
                        .is_some_and(|alternative| alternative.id() == child.id());
                    if condition.kind() == "let_condition"
                        && let (Some(pattern), Some(value)) = (
                            condition.child_by_field_name("pattern"),
                            condition.child_by_field_name("value"),
                        )
                    {
                        let pattern = rust_conditions::pattern(pattern, source);
                        let fails = (!negated && pattern.kind == PatternKind::Err)
                            || (negated && pattern.kind == PatternKind::Ok);
                        if fails {
                            context.in_err_arm = true;
                            note_failure(&mut context, child, &pattern, Some(value), source);
                        }
                        conditions.push(rust_condition(value, Some(pattern), negated, source));
                    } else {
                        conditions.push(rust_condition(condition, None, negated, source));
                    }
                }
            }
            "let_declaration" => {
                if let Some(alternative) = ancestor.child_by_field_name("alternative")
                    && alternative.id() == child.id()
                    && let (Some(pattern), Some(value)) = (
                        ancestor.child_by_field_name("pattern"),
                        ancestor.child_by_field_name("value"),
                    )
                {
                    let pattern = rust_conditions::pattern(pattern, source);
                    if pattern.kind == PatternKind::Ok {
                        context.in_err_arm = true;
                        note_failure(&mut context, alternative, &pattern, Some(value), source);
                    }
                    conditions.push(rust_condition(value, Some(pattern), true, source));
                }
            }
            "block" => {
                let before = named_children(ancestor)
                    .into_iter()
                    .take_while(|sibling| sibling.end_byte() <= child.start_byte());
                let mut guards: Vec<hsl_facts::Condition> = before
                    .filter_map(|sibling| {
                        let statement = if sibling.kind() == "expression_statement" {
                            named_children(sibling).into_iter().next()?
                        } else {
                            sibling
                        };
                        (statement.kind() == "if_expression"
                            && statement.child_by_field_name("alternative").is_none()
                            && statement
                                .child_by_field_name("consequence")
                                .is_some_and(rust_block_leaves))
                        .then_some(statement)
                    })
                    .filter_map(|guard| guard.child_by_field_name("condition"))
                    .map(|condition| {
                        if condition.kind() == "let_condition"
                            && let (Some(pattern), Some(value)) = (
                                condition.child_by_field_name("pattern"),
                                condition.child_by_field_name("value"),
                            )
                        {
                            let pattern = rust_conditions::pattern(pattern, source);
                            rust_condition(value, Some(pattern), true, source)
                        } else {
                            rust_condition(condition, None, true, source)
                        }
                    })
                    .collect();
                guards.reverse();
                conditions.extend(guards);
            }
            "arguments" => {
                let callee = ancestor
                    .parent()
                    .filter(|call| call.kind() == "call_expression")
                    .and_then(|call| call.child_by_field_name("function"))
                    .filter(|function| function.kind() == "field_expression");
                if let Some(callee) = callee
                    && let (Some(field), Some(receiver)) = (
                        callee.child_by_field_name("field"),
                        callee.child_by_field_name("value"),
                    )
                {
                    let kind = match text(field, source) {
                        "ok_or" | "ok_or_else" => Some(PatternKind::None),
                        "map_err" => Some(PatternKind::Err),
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        let pattern = Pattern::implied(kind);
                        if kind == PatternKind::Err {
                            context.in_err_arm = true;
                            note_failure(&mut context, child, &pattern, Some(receiver), source);
                        }
                        conditions.push(rust_condition(receiver, Some(pattern), false, source));
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

/// A tested expression as a [`hsl_facts::Condition`].
fn rust_condition(
    node: Node<'_>,
    pattern: Option<Pattern>,
    negated: bool,
    source: &str,
) -> hsl_facts::Condition {
    rust_conditions::condition(node, pattern, negated, source)
}

/// Records the innermost failure handler: `range` handles the failure of `tried`, binding the
/// error as the pattern says (`Err(e)` binds `e`; a closure binds its first parameter).
fn note_failure(
    context: &mut Context,
    range: Node<'_>,
    pattern: &Pattern,
    tried: Option<Node<'_>>,
    source: &str,
) {
    if context.failure.is_some() {
        return;
    }
    context.failure = Some(hsl_facts::Failure {
        range: range.byte_range(),
        binding: pattern.binding.clone(),
        pattern: (pattern.kind == PatternKind::Err).then(|| pattern.clone()),
        tried: tried.map(|node| node.byte_range()),
        tried_words: tried.map_or_else(Default::default, |node| {
            rust_conditions::words(node, source)
        }),
    });
}

/// A block whose last statement returns (`{ return Err(..); }`), so the code after an `if`
/// with this block runs only when the test failed.
fn rust_block_leaves(block: Node<'_>) -> bool {
    named_children(block)
        .into_iter()
        .rev()
        .find(|n| !matches!(n.kind(), "line_comment" | "block_comment"))
        .is_some_and(|last| {
            let last = if last.kind() == "expression_statement" {
                named_children(last).into_iter().next().unwrap_or(last)
            } else {
                last
            };
            last.kind() == "return_expression"
        })
}

#[cfg(test)]
mod tests {
    use hsl_facts::{Language, SiteRole};

    /// The codes set in a handler body written after `prelude` (the framework's `use` lines).
    fn codes(prelude: &str, body: &str) -> Vec<u16> {
        let source = format!("{prelude}\nasync fn h() -> R {{\n    {body}\n}}\n");
        let (facts, _) = crate::analyze(Language::Rust, &source);
        facts
            .responses
            .iter()
            .filter(|response| response.role == SiteRole::Sets)
            .filter_map(|response| response.status.code)
            .collect()
    }

    /// actix-web 4.15.0, actix/actix-web@4dc9f1d38 actix-web/src/redirect.rs: `Redirect::to`
    /// and `Redirect::new` are 307 (:77, :99; the doc at :130 says 308, the code says 307),
    /// `.see_other()` 303 (:124-125), `.temporary()` 307 (:117-118), `.permanent()` 308
    /// (:108-109). Builders: actix-web/src/response/http_codes.rs:37-43.
    #[test]
    fn actix_web_redirect_defaults() {
        let prelude = "use actix_web::{web, HttpResponse};";
        assert_eq!(codes(prelude, r#"web::Redirect::to("/x")"#), [307]);
        assert_eq!(
            codes(prelude, r#"web::Redirect::to("/x").see_other()"#),
            [303]
        );
        assert_eq!(
            codes(prelude, r#"web::Redirect::to("/x").temporary()"#),
            [307]
        );
        assert_eq!(
            codes(prelude, r#"web::Redirect::to("/x").permanent()"#),
            [308]
        );
        assert_eq!(codes(prelude, "HttpResponse::Found().finish()"), [302]);
        assert_eq!(codes(prelude, "HttpResponse::SeeOther().finish()"), [303]);
        assert_eq!(
            codes(prelude, "HttpResponse::MovedPermanently().finish()"),
            [301]
        );
        assert_eq!(
            codes(prelude, "HttpResponse::TemporaryRedirect().finish()"),
            [307]
        );
        assert_eq!(
            codes(prelude, "HttpResponse::PermanentRedirect().finish()"),
            [308]
        );
    }

    /// axum 0.8.9, tokio-rs/axum@3d78036d axum/src/response/redirect.rs: `to` 303 (:37-38),
    /// `temporary` 307 (:47-48), `permanent` 308 (:54-55).
    #[test]
    fn axum_redirect_defaults() {
        let prelude = "use axum::response::Redirect;";
        assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), [303]);
        assert_eq!(codes(prelude, r#"Redirect::temporary("/x")"#), [307]);
        assert_eq!(codes(prelude, r#"Redirect::permanent("/x")"#), [308]);
    }

    /// Rocket 0.5, rwf2/Rocket@3a54d079 core/lib/src/response/redirect.rs (same codes at tag
    /// v0.5.1): `to` 303 (:66-67), `temporary` 307 (:86-87), `permanent` 308 (:106-107),
    /// `found` 302 (:126-127), `moved` 301 (:144-145).
    #[test]
    fn rocket_redirect_defaults() {
        let prelude = "use rocket::response::Redirect;";
        assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), [303]);
        assert_eq!(codes(prelude, r#"Redirect::temporary("/x")"#), [307]);
        assert_eq!(codes(prelude, r#"Redirect::permanent("/x")"#), [308]);
        assert_eq!(codes(prelude, r#"Redirect::found("/x")"#), [302]);
        assert_eq!(codes(prelude, r#"Redirect::moved("/x")"#), [301]);
        // `#[macro_use] extern crate rocket;` shows the framework as a `use` does.
        let prelude = "#[macro_use]\nextern crate rocket;";
        assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), [303]);
    }

    /// warp 0.4.3, seanmonstar/warp@118d504 src/redirect.rs (same codes at v0.3.7):
    /// `warp::redirect` 301 (:26-28, re-exported at src/lib.rs:160), `redirect::found` 302
    /// (:49-50), `see_other` 303 (:70-71), `temporary` 307 (:92-94), `permanent` 308 (:118-120).
    #[test]
    fn warp_redirect_defaults() {
        let prelude = "use warp::Filter;";
        assert_eq!(codes(prelude, "warp::redirect(uri)"), [301]);
        assert_eq!(codes(prelude, "warp::redirect::redirect(uri)"), [301]);
        assert_eq!(codes(prelude, "warp::redirect::found(uri)"), [302]);
        assert_eq!(codes(prelude, "warp::redirect::see_other(uri)"), [303]);
        assert_eq!(codes(prelude, "warp::redirect::temporary(uri)"), [307]);
        assert_eq!(codes(prelude, "warp::redirect::permanent(uri)"), [308]);
    }

    /// poem 3.1.12, poem-web/poem@6ede4fb8 poem/src/web/redirect.rs: no default constructor;
    /// `see_other` 303 (:56), `temporary` 307 (:64), `permanent` 308 (:40), `moved_permanent`
    /// 301 (:48).
    #[test]
    fn poem_redirect_defaults() {
        let prelude = "use poem::web::Redirect;";
        assert_eq!(codes(prelude, r#"Redirect::see_other("/x")"#), [303]);
        assert_eq!(codes(prelude, r#"Redirect::temporary("/x")"#), [307]);
        assert_eq!(codes(prelude, r#"Redirect::permanent("/x")"#), [308]);
        assert_eq!(codes(prelude, r#"Redirect::moved_permanent("/x")"#), [301]);
        assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), Vec::<u16>::new());
    }

    /// Status helpers that are not redirects: actix `error::ErrorX` (actix-web/src/error/
    /// internal.rs:130-185), Rocket `status::Created::new` and wrappers (core/lib/src/response/
    /// status.rs:54,299-304), poem `Error::from_status` (poem/src/error.rs:335).
    #[test]
    fn status_helpers_and_functions() {
        let actix = "use actix_web::{error, HttpResponse};";
        assert_eq!(codes(actix, r#"Err(error::ErrorNotFound("x"))"#), [404]);
        assert_eq!(
            codes(actix, "HttpResponse::VersionNotSupported().finish()"),
            [505]
        );
        let rocket = "use rocket::response::status;";
        assert_eq!(codes(rocket, r#"status::Created::new("/x")"#), [201]);
        assert_eq!(codes(rocket, r#"status::Conflict("taken")"#), [409]);
        // Rocket's `Status` consts need Rocket imported: `Status` alone is a common name.
        let status = "use rocket::http::Status;";
        assert_eq!(codes(status, r#"(Status::SeeOther, "x")"#), [303]);
        assert_eq!(codes("", r#"(Status::SeeOther, "x")"#), Vec::<u16>::new());
        // A bare `Status` responder sends 100, 200-205 and 400-599 as written; a 3xx becomes
        // 500 (core/lib/src/response/responder.rs:520-552).
        assert_eq!(codes(status, "Status::NoContent"), [204]);
        assert_eq!(codes(status, "Status::SeeOther"), Vec::<u16>::new());
        assert_eq!(
            codes(
                actix,
                "Err(InternalError::new(e, StatusCode::CONFLICT).into())"
            ),
            [409]
        );
        assert_eq!(codes(status, "res.set_status(Status::Accepted)"), [202]);
        let poem = "use poem::{http::StatusCode, Error};";
        assert_eq!(codes(poem, "Error::from_status(StatusCode::GONE)"), [410]);
    }

    /// A helper several frameworks define with different codes is read only with the table
    /// of the framework the file imports.
    #[test]
    fn ambiguous_redirect_helpers_need_the_framework() {
        assert_eq!(codes("", r#"Redirect::to("/x")"#), Vec::<u16>::new());
    }

    /// The set responses of a file: code, whether its headers are all visible, the header names.
    fn header_facts(source: &str) -> Vec<(u16, bool, Vec<String>)> {
        let (facts, _) = crate::analyze(Language::Rust, source);
        facts
            .responses
            .iter()
            .filter(|response| response.role == SiteRole::Sets)
            .map(|response| {
                let mut names: Vec<String> =
                    response.headers.iter().map(|h| h.name.clone()).collect();
                names.sort();
                names.dedup();
                (
                    response.status.code.unwrap_or(0),
                    response.headers_complete,
                    names,
                )
            })
            .collect()
    }

    fn one(source: &str) -> (u16, bool, Vec<String>) {
        let found = header_facts(source);
        assert_eq!(found.len(), 1, "{found:?} in\n{source}");
        found.into_iter().next().unwrap_or_default()
    }

    const AXUM: &str = "use axum::{http::{header, header::LOCATION, HeaderMap, StatusCode}, response::IntoResponse};\n";

    /// Headers written in the construction itself are all the response has.
    #[test]
    fn constructions_returned_as_built_are_complete() {
        let tuple = format!(
            "{AXUM}async fn h() -> impl IntoResponse {{ (StatusCode::CREATED, [(header::LOCATION, url)], Json(x)) }}"
        );
        assert_eq!(one(&tuple), (201, true, vec!["location".to_string()]));
        let parts_first = format!(
            "{AXUM}async fn h() -> impl IntoResponse {{ ([(LOCATION, u)], StatusCode::FOUND) }}"
        );
        assert_eq!(one(&parts_first), (302, true, vec!["location".to_string()]));
        let bare = format!("{AXUM}async fn h() -> StatusCode {{ StatusCode::METHOD_NOT_ALLOWED }}");
        assert_eq!(one(&bare), (405, true, vec![]));
        let builder = "use http::{header, Response, StatusCode};\nfn h() -> Response<()> { Response::builder().status(405).header(header::ALLOW, \"GET\").body(()).unwrap() }";
        assert_eq!(one(builder), (405, true, vec!["allow".to_string()]));
        let actix = "use actix_web::{http::header::ALLOW, HttpResponse};\nasync fn h() -> HttpResponse { HttpResponse::MethodNotAllowed().insert_header((ALLOW, \"GET\")).finish() }";
        assert_eq!(one(actix), (405, true, vec!["allow".to_string()]));
        // A helper below a status method sets its header (`Redirect::to` sets `Location`).
        let redirect = "use actix_web::{web, http::StatusCode};\nasync fn h() -> impl Responder { web::Redirect::to(\"/x\").using_status_code(StatusCode::FOUND) }";
        assert_eq!(one(redirect), (302, true, vec!["location".to_string()]));
        let warp = "use warp::{http::{header, StatusCode}, reply};\nasync fn h() -> Result<impl Reply, Rejection> { Ok(reply::with_header(reply::with_status(reply(), StatusCode::CREATED), header::LOCATION, \"/x\")) }";
        assert_eq!(one(warp), (201, true, vec!["location".to_string()]));
        let poem = "use poem::{http::{header, StatusCode}, IntoResponse};\nfn h() -> impl IntoResponse { StatusCode::UNAUTHORIZED.with_header(header::WWW_AUTHENTICATE, \"Bearer\") }";
        assert_eq!(one(poem), (401, true, vec!["www-authenticate".to_string()]));
    }

    /// A header source the syntax cannot read makes the headers incomplete.
    #[test]
    fn hidden_header_sources_are_incomplete() {
        let map = format!(
            "{AXUM}async fn h(headers: HeaderMap) -> impl IntoResponse {{ (StatusCode::FOUND, headers) }}"
        );
        assert!(!one(&map).1);
        let middle = format!(
            "{AXUM}async fn h(headers: HeaderMap) -> impl IntoResponse {{ (StatusCode::CREATED, headers, Json(x)) }}"
        );
        assert!(!one(&middle).1);
        let inner = "use warp::{http::StatusCode, reply};\nasync fn h(r: impl Reply) -> Result<impl Reply, Rejection> { Ok(reply::with_status(r, StatusCode::CREATED)) }";
        assert!(!one(inner).1);
        let receiver = "use poem::{http::StatusCode, IntoResponse, Response};\nfn h(inner: Response) -> impl IntoResponse { inner.with_status(StatusCode::FOUND) }";
        assert!(!one(receiver).1);
        // A builder started by an unknown function may carry headers already.
        let helper = "use http::StatusCode;\nfn h() -> Response<()> { base().status(StatusCode::FOUND).body(()).unwrap() }";
        assert!(!one(helper).1);
        // A response passed to a helper is changed out of sight.
        let passed = "use actix_web::HttpResponse;\nasync fn h() -> HttpResponse { finish(HttpResponse::Found().finish()) }";
        assert!(!one(passed).1);
        // An error converted into a custom type may get headers from its `IntoResponse`.
        let custom = format!(
            "{AXUM}async fn h(t: Option<u8>) -> Result<String, AppError> {{ t.ok_or(StatusCode::UNAUTHORIZED)?; Ok(String::new()) }}"
        );
        assert!(!one(&custom).1);
        let plain = format!(
            "{AXUM}async fn h(t: Option<u8>) -> Result<String, StatusCode> {{ t.ok_or(StatusCode::UNAUTHORIZED)?; Ok(String::new()) }}"
        );
        assert!(one(&plain).1);
        let into = format!(
            "{AXUM}async fn h() -> Result<String, ApiError> {{ Err(StatusCode::UNAUTHORIZED.into()) }}"
        );
        assert!(!one(&into).1);
        // Rocket `#[derive(Responder)]` fields may be headers.
        let derived = "use rocket::http::Header;\n#[derive(Responder)]\n#[response(status = 201)]\nstruct Made(Json<Value>, Header<'static>);";
        assert!(!one(derived).1);
    }

    /// A response bound to a name is complete when every later use of the name is seen.
    #[test]
    fn bindings_are_followed_in_their_block() {
        let prelude = "use hyper::{header, header::HeaderValue, Response, StatusCode};\n";
        let inserted = format!(
            "{prelude}fn h() -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    res.headers_mut().insert(header::LOCATION, HeaderValue::from_static(\"/x\"));\n    res\n}}"
        );
        assert_eq!(one(&inserted), (302, true, vec!["location".to_string()]));
        let plain = format!(
            "{prelude}fn h() -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    Ok(res)\n}}"
        );
        assert_eq!(one(&plain), (302, true, vec![]));
        let handed = format!(
            "{prelude}fn h() -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    locate(&mut res);\n    res\n}}"
        );
        assert!(!one(&handed).1);
        // A response that is a parameter was built elsewhere.
        let parameter = format!(
            "{prelude}fn h(mut res: Response<()>) -> Response<()> {{\n    *res.status_mut() = StatusCode::FOUND;\n    res\n}}"
        );
        assert!(!one(&parameter).1);
        // A binding from an unknown call may already have headers.
        let unknown = format!(
            "{prelude}fn h() -> Response<()> {{\n    let mut res = make();\n    *res.status_mut() = StatusCode::FOUND;\n    res\n}}"
        );
        assert!(!one(&unknown).1);
        let built = "use actix_web::{http::header, HttpResponse};\nasync fn h() -> HttpResponse {\n    let mut builder = HttpResponse::MethodNotAllowed();\n    builder.insert_header((header::ALLOW, \"GET\"));\n    builder.finish()\n}";
        assert_eq!(one(built), (405, true, vec!["allow".to_string()]));
        let rebound = "use warp::{http::StatusCode, reply};\nasync fn h() -> Result<impl Reply, Rejection> {\n    let r = reply::with_status(reply(), StatusCode::SEE_OTHER);\n    Ok(reply::with_header(r, \"location\", \"/x\"))\n}";
        assert_eq!(one(rebound), (303, true, vec!["location".to_string()]));
        // A header named by a variable could be any header.
        let variable = format!(
            "{prelude}fn h(name: HeaderName) -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    res.headers_mut().insert(name, v);\n    res\n}}"
        );
        assert!(!one(&variable).1);
    }

    /// Where a header is added, in the framework's idiom, and only where the type stays valid.
    #[test]
    fn header_insertions_follow_the_idiom() {
        let insert = |source: &str| {
            let (facts, _) = crate::analyze(Language::Rust, source);
            facts
                .responses
                .iter()
                .find(|r| r.role == SiteRole::Sets)
                .and_then(|r| r.header_insert.clone())
                .map(|i| format!("{}{}{}", &source[..i.at], i.template, &source[i.at..]))
        };
        let actix = "use actix_web::HttpResponse;\nasync fn h() -> HttpResponse { HttpResponse::MethodNotAllowed().finish() }";
        assert_eq!(
            insert(actix).as_deref(),
            Some(
                "use actix_web::HttpResponse;\nasync fn h() -> HttpResponse { HttpResponse::MethodNotAllowed().insert_header((\"{name}\", \"{value}\")).finish() }"
            )
        );
        let builder = "use http::{Response, StatusCode};\nfn h() -> Response<()> { Response::builder().status(StatusCode::METHOD_NOT_ALLOWED).body(()).unwrap() }";
        assert!(insert(builder).is_some_and(|s| s.contains(
            ".status(StatusCode::METHOD_NOT_ALLOWED).header(\"{name}\", \"{value}\").body(())"
        )));
        let tuple = format!(
            "{AXUM}async fn h() -> impl IntoResponse {{ (StatusCode::METHOD_NOT_ALLOWED, \"no\") }}"
        );
        assert!(insert(&tuple).is_some_and(|s| {
            s.contains("(StatusCode::METHOD_NOT_ALLOWED, [(\"{name}\", \"{value}\")], \"no\")")
        }));
        // Another branch returns another type: a longer tuple would not compile.
        let branches = format!(
            "{AXUM}async fn h(x: bool) -> impl IntoResponse {{ if x {{ return (StatusCode::OK, \"yes\"); }} (StatusCode::METHOD_NOT_ALLOWED, \"no\") }}"
        );
        let (facts, _) = crate::analyze(Language::Rust, &branches);
        assert!(facts.responses.iter().all(|r| r.header_insert.is_none()));
        let concrete = format!(
            "{AXUM}async fn h() -> (StatusCode, &'static str) {{ (StatusCode::METHOD_NOT_ALLOWED, \"no\") }}"
        );
        assert_eq!(insert(&concrete), None);
    }

    /// `json!({ .. })` bodies are literal objects, and a body wrapper returned alone is the
    /// framework's implicit 200.
    #[test]
    fn json_objects_and_implicit_wrapper_status() {
        use hsl_facts::{Body, LiteralValue};
        let source = format!(
            "{AXUM}use serde_json::json;\nasync fn h() -> Json<Value> {{ Json(json!({{ \"ok\": false, error: \"x\", \"n\": -1, \"data\": null, \"list\": [1] }})) }}"
        );
        let (facts, _) = crate::analyze(Language::Rust, &source);
        let [response] = facts.responses.as_slice() else {
            panic!("{:?}", facts.responses);
        };
        assert_eq!(response.status.code, Some(200));
        assert_eq!(response.role, SiteRole::Sets);
        let Body::Object(object) = &response.body else {
            panic!("{:?}", response.body);
        };
        assert_eq!(
            object.entries,
            vec![
                ("ok".to_string(), LiteralValue::Bool(false)),
                ("error".to_string(), LiteralValue::String("x".to_string())),
                ("n".to_string(), LiteralValue::Number),
                ("data".to_string(), LiteralValue::Null),
                ("list".to_string(), LiteralValue::Other),
            ]
        );
        // In a tuple the status is explicit; a wrapper of a variable is no literal object.
        let tuple = format!(
            "{AXUM}async fn h() -> impl IntoResponse {{ (StatusCode::OK, Json(json!({{ \"error\": \"x\" }}))) }}"
        );
        let (facts, _) = crate::analyze(Language::Rust, &tuple);
        assert_eq!(facts.responses.len(), 1);
        assert!(matches!(facts.responses[0].body, Body::Object(_)));
        let variable = format!("{AXUM}async fn h(v: Value) -> Json<Value> {{ Json(v) }}");
        assert!(
            crate::analyze(Language::Rust, &variable)
                .0
                .responses
                .is_empty()
        );
    }
}
