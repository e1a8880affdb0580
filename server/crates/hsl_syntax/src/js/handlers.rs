//! Handlers: the functions a registration names or an exported name makes one (Next.js), their
//! names and bindings, and the handler a response belongs to.

use tree_sitter::Node;

use super::bodies::key_text;
use super::nodes::member_path;
use super::{Extractor, FUNCTION_KINDS, is_function};
use crate::handlers::prove_method;
use crate::node_util::{Parents, named_children, text};
use hsl_facts::{ByteRange, Handler, HandlerId, HandlerRef, Method, MethodSource};

/// Whether one of a method's parameters carries one of `decorators` (`@Res() res`).
pub(super) fn takes_decorated_param(method: Node<'_>, decorators: &[String], source: &str) -> bool {
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

/// The type written on a function's first parameter (`Request` in `(request: Request)`).
pub(super) fn first_param_type<'s>(function: Node<'_>, source: &'s str) -> Option<&'s str> {
    let params = function.child_by_field_name("parameters")?;
    let first = named_children(params).into_iter().next()?;
    let annotation = first.child_by_field_name("type")?;
    let written = text(annotation, source).trim_start_matches(':').trim();
    Some(written)
}

/// The function an inline handler hands its request to: `(req, res) => users.create(req, res)`,
/// `async (req, res, next) => { await users.create(req, res, next); }`. The call must be the
/// whole body and pass the handler's own parameters through, in order.
pub(super) fn forwarded_to<'t>(function: Node<'t>, source: &str) -> Option<Node<'t>> {
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

/// Whether a function declares `name` among its parameters (destructured ones included).
pub(super) fn declares_param(function: Node<'_>, name: &str, source: &str) -> bool {
    // Koa 1 generator middleware has the context as `this`, not as a parameter.
    if name == "this" {
        return super::GENERATOR_KINDS.contains(&function.kind());
    }
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

/// The names of a function's parameters in order, an empty name for a destructured one
/// (`(data, { status })` → `data`, ``): the arrow form `x => ..` has its one parameter.
pub(super) fn parameter_names(function: Node<'_>, source: &str) -> Vec<String> {
    if let Some(single) = function.child_by_field_name("parameter") {
        return vec![text(single, source).to_string()];
    }
    let Some(params) = function.child_by_field_name("parameters") else {
        return Vec::new();
    };
    named_children(params)
        .into_iter()
        .filter(|param| param.kind() != "comment")
        .map(|param| {
            let pattern = match param.kind() {
                "required_parameter" | "optional_parameter" => param.child_by_field_name("pattern"),
                "assignment_pattern" => param.child_by_field_name("left"),
                _ => Some(param),
            };
            pattern
                .filter(|pattern| pattern.kind() == "identifier")
                .map(|pattern| text(pattern, source).to_string())
                .unwrap_or_default()
        })
        .collect()
}

/// A function's name and where a finding points at it: its own name, else (with
/// `find_binding`) the name it is bound to, else its parameter list.
pub(super) fn function_name<'t>(
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
pub(super) fn binding_name<'t>(
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

/// An exported name that makes a handler in a framework's table (Next.js `POST`).
struct ExportedName {
    name: &'static str,
    method: Method,
    /// Whether the file imports the framework.
    detected: bool,
    /// The request types that prove a handler without the import.
    request_types: &'static [String],
}

/// The functions an `export` statement declares, with their names: `export function POST`,
/// `export const POST = async (req) => …`.
fn exported_functions(statement: Node<'_>) -> Vec<(Node<'_>, Node<'_>)> {
    if statement.kind() != "export_statement" {
        return Vec::new();
    }
    declared_functions(statement)
}

/// Function kinds a declaration binds to a name.
const DECLARED_FUNCTIONS: &[&str] = &["function_declaration", "generator_function_declaration"];

/// The functions a top-level statement declares, with their name nodes: `function auth(..)`,
/// `const auth = (..) => ..`, and either behind `export`. One reader for Next.js's exported
/// handlers and for the credential checks a module defines.
pub(super) fn declared_functions(statement: Node<'_>) -> Vec<(Node<'_>, Node<'_>)> {
    let declaration = if statement.kind() == "export_statement" {
        match statement.child_by_field_name("declaration") {
            Some(declaration) => declaration,
            None => return Vec::new(),
        }
    } else {
        statement
    };
    match declaration.kind() {
        kind if DECLARED_FUNCTIONS.contains(&kind) => declaration
            .child_by_field_name("name")
            .map(|name| (name, declaration))
            .into_iter()
            .collect(),
        "lexical_declaration" | "variable_declaration" => named_children(declaration)
            .into_iter()
            .filter_map(|declarator| {
                let name = declarator.child_by_field_name("name")?;
                let value = declarator.child_by_field_name("value")?;
                (name.kind() == "identifier" && FUNCTION_KINDS.contains(&value.kind()))
                    .then_some((name, value))
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl<'t> Extractor<'_, 't> {
    /// The handlers an argument of a registration names: itself, the members of a middleware
    /// array, the function a wrapper call wraps, and the function an inline handler forwards
    /// its response to.
    pub(super) fn handler_refs(&mut self, arg: Node<'t>, depth: usize, out: &mut Vec<HandlerRef>) {
        let Some(_level) = crate::depth::Nesting::enter() else {
            return;
        };
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
    pub(super) fn named_ref(&self, mut path: Vec<String>) -> HandlerRef {
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
    pub(super) fn handler_id(&mut self, function: Node<'t>, find_binding: bool) -> HandlerId {
        let range = function.byte_range();
        self.handler_table
            .id_of(&mut self.facts.handlers, &range, || {
                let (name, name_range) =
                    function_name(&self.parents, function, self.source, find_binding);
                let mut words = super::conditions::summary(function, self.source);
                if let Some(options) = super::class_setup::base_options_words(function, self.source)
                {
                    super::class_setup::merge_words(&mut words, options);
                }
                Handler {
                    name,
                    range: range.clone(),
                    name_range,
                    methods: Vec::new(),
                    words,
                    error_type: None,
                    error_aliases: Vec::new(),
                    response_type: false,
                    default_export: is_default_export(&self.parents, function, self.source),
                    declared: None,
                    escapes: super::conditions::escapes(function),
                    authenticates: super::class_setup::in_strategy_class(
                        &self.parents,
                        function,
                        self.source,
                    ),
                    params: parameter_names(function, self.source),
                    bindings: super::bindings::bindings(function, self.source),
                    body_calls: super::body_calls::body_calls(function, self.source),
                    in_browser: self.in_browser,
                    typed_path: None,
                }
            })
    }

    /// Next.js `export async function POST(request)` / `export const POST = …`.
    pub(super) fn collect_exported_methods(&mut self, statements: &[Node<'t>]) {
        let names = self.exported_method_names();
        if names.is_empty() {
            return;
        }
        for &statement in statements {
            self.collect_exported_aliases(statement);
            for (name, function) in exported_functions(statement) {
                let written = text(name, self.source);
                let Some(exported) = names.iter().find(|exported| {
                    exported.name == written
                        && (exported.detected
                            || first_param_type(function, self.source)
                                .is_some_and(|t| exported.request_types.iter().any(|x| x == t)))
                }) else {
                    continue;
                };
                let method = exported.method;
                let id = self.handler_id(function, true);
                let (source, range) = (MethodSource::ExportedName, name.byte_range());
                prove_method(&mut self.facts.handlers, id, method, source, range);
            }
        }
    }

    /// The exported names that make a handler (`GET`, `POST`), for the frameworks the file
    /// imports or that prove a handler by its request type.
    fn exported_method_names(&self) -> Vec<ExportedName> {
        self.tables
            .iter()
            .filter_map(|t| {
                let detected = self.facts.frameworks.contains(&t.id);
                t.routes.as_ref().map(|routes| (routes, detected))
            })
            .flat_map(|(routes, detected)| {
                routes
                    .exported_names
                    .iter()
                    .map(move |(name, method)| ExportedName {
                        name,
                        method: *method,
                        detected,
                        request_types: routes.exported_request_types.as_slice(),
                    })
            })
            .filter(|exported| exported.detected || !exported.request_types.is_empty())
            .collect()
    }

    /// The function that declares the response object as a parameter.
    pub(super) fn enclosing_handler(&mut self, node: Node<'t>, root: &str) -> Option<HandlerId> {
        // From one enclosing function to the next: a climb over every node between them, for
        // every call of a deep chain, would be quadratic.
        let mut function = self.parents.parent(node)?;
        loop {
            function = self.parents.nearest("function", function, is_function)?;
            if declares_param(function, root, self.source) {
                return Some(self.handler_id(function, true));
            }
            function = self.parents.parent(function)?;
        }
    }
}

/// Whether `function` is its module's default export: `module.exports = function* update(..)`
/// or `export default function (..)`. An importer binds it under a name of its own choosing
/// (`const updatePackage = require('./update')`).
fn is_default_export<'t>(parents: &Parents<'t>, function: Node<'t>, source: &str) -> bool {
    let Some(parent) = parents.parent(function) else {
        return false;
    };
    match parent.kind() {
        "assignment_expression" => parent.child_by_field_name("left").is_some_and(|left| {
            left.kind() == "member_expression"
                && text(left, source).split_whitespace().collect::<String>() == "module.exports"
        }),
        "export_statement" => {
            named_children(parent)
                .first()
                .is_some_and(|first| first.id() == function.id())
                && text(parent, source).starts_with("export default")
        }
        _ => false,
    }
}
