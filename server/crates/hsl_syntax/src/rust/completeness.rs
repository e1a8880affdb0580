//! Whether the syntax shows every header set on a response: the construction followed from its
//! status to where its value goes (returned as built, or bound to a name whose every later use
//! is seen), adding the headers found on the way.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{in_table, last_two, method_name, path_segments, rust_tables, strip_refs};
use super::positions::{climb_wrappers, in_response_position};
use crate::node_util::uses_of;
use crate::node_util::{named_children, text};
use crate::paths::{Branching, exclusive};
use hsl_facts::{Body, HeaderFact};

/// Rust's branches that exclude each other: the two sides of an `if`, the arms of a `match`,
/// and what follows a block that returns.
const BRANCHING: Branching = Branching {
    two_way: &[("if_expression", "consequence", "alternative")],
    arm_lists: &[("match_block", &["match_arm"])],
    jumps: &[],
    blocks: &["block"],
    exits: &["return_expression"],
    functions: &["function_item", "closure_expression"],
};

/// The last comma-separated argument of a generic argument list, outside nested brackets.
pub(super) fn top_level_last_argument(list: &str) -> Option<&str> {
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
pub(super) fn status_mut_receiver<'s>(left: Node<'_>, source: &'s str) -> Option<&'s str> {
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

/// The identifiers spelled `name` under `node`, in source order; the segments of paths and type
/// arguments name other things.
fn identifiers_named<'t>(node: Node<'t>, name: &str, source: &str) -> Vec<Node<'t>> {
    let other_names = |node: Node<'t>| {
        matches!(
            node.kind(),
            "scoped_identifier" | "scoped_type_identifier" | "type_arguments"
        )
    };
    uses_of(node, name, source, &["identifier"], other_names)
}

/// `text` with every occurrence of the path `from` that is not part of a longer name
/// (`Self::Error` but not `Self::ErrorKind`) replaced by `to`.
fn replace_whole_path(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let (before, found) = rest.split_at(at);
        let after = found.get(from.len()..).unwrap_or("");
        out.push_str(before);
        let continues = after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        out.push_str(if continues { from } else { to });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The error type of a `Result` written with one argument: a crate's alias whose error is that
/// crate's `Error` (`poem::Result<T>` is `Result<T, poem::Error>`, poem/src/error.rs; the same
/// for `actix_web::Result<T>`, actix-web/src/error/mod.rs), or the project's own `Result<T>`
/// with its `Error`.
fn alias_error(return_type: &str) -> Option<String> {
    let open = return_type.find('<')?;
    let (path, arguments) = return_type.split_at(open);
    let crate_path = match path {
        "Result" => "",
        _ => path.strip_suffix("::Result")?,
    };
    let inner = arguments.strip_prefix('<')?.strip_suffix('>')?;
    if top_level_last_argument(inner).is_some() {
        return None;
    }
    Some(match crate_path {
        "" => "Error".to_string(),
        _ => format!("{crate_path}::Error"),
    })
}

/// Whether a handler's return type (blanks removed) has an error type that is a plain status
/// or response, whose conversion adds no header: the last argument of `Result<T, E>`, the
/// error of a one-argument alias (`poem::Result<T>`), else the whole type.
fn is_plain_error(return_type: &str) -> bool {
    if let Some(error_type) = alias_error(return_type) {
        return is_plain_error(&error_type);
    }
    let error_type = return_type
        .strip_prefix("Result<")
        .and_then(|rest| rest.strip_suffix('>'))
        .and_then(top_level_last_argument)
        .unwrap_or(return_type);
    let known = [
        "StatusCode",
        "Status",
        "HttpResponse",
        "Response",
        "Redirect",
        // A Rocket guard's `Outcome`, whose error is a `(Status, E)` for the catcher.
        "Outcome",
    ];
    error_type.starts_with('(')
        || known
            .iter()
            .any(|known| error_type.contains(known) && !error_type.contains("IntoResponse"))
        || error_type == "Error"
        || error_type.ends_with("::Error")
}

/// One step up from a construction towards where its value goes.
enum Climb<'t> {
    /// The construction continues in this node.
    Up(Node<'t>),
    /// The construction ends here; where it goes decides.
    Stop,
    /// Something out of the syntax's sight may add headers.
    Hidden,
}

impl<'t> Extractor<'_, 't> {
    /// Whether the syntax shows every header set on the response whose status is set at
    /// `site`: the construction is returned as it is built, or bound to a name whose every later
    /// use is seen (`res.headers_mut().insert(..)`, the name returned). Adds the headers found
    /// on the way (a builder chain below the status, a binding's inserts).
    pub(super) fn headers_complete(&self, site: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        let complete = self.construction_complete(site, headers)
            && !headers.iter().any(|header| header.name == "*");
        let mut seen = std::collections::HashSet::new();
        headers.retain(|header| seen.insert((header.name.clone(), header.range.clone())));
        complete
    }

    /// Whether every header the response constructed at `site` gets is visible, adding those
    /// found on the way up.
    pub(super) fn construction_complete(
        &self,
        site: Node<'t>,
        headers: &mut Vec<HeaderFact>,
    ) -> bool {
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
            return self.status_slot_complete(assignment, headers);
        }
        let mut node = start;
        for _ in 0..64 {
            node = climb_wrappers(&self.parents, node, self.source);
            match self.climb_construction(node, headers) {
                Climb::Up(next) => node = next,
                Climb::Stop => break,
                Climb::Hidden => return false,
            }
        }
        self.construction_ends_complete(site, node, headers)
    }

    /// `*res.status_mut() = X;`: every use of `res` from its `let` on is seen.
    fn status_slot_complete(&self, assignment: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        let Some(name) = assignment
            .child_by_field_name("left")
            .and_then(|left| status_mut_receiver(left, self.source))
        else {
            return false;
        };
        let Some(statement) = self.parents.parent(assignment) else {
            return false;
        };
        self.binding_complete(name, statement, true, headers)
    }

    /// One step from a construction (`node`) to what contains it, adding the headers set on
    /// the way.
    fn climb_construction(&self, node: Node<'t>, headers: &mut Vec<HeaderFact>) -> Climb<'t> {
        let Some(parent) = self.parents.parent(node) else {
            return Climb::Hidden;
        };
        match parent.kind() {
            // A method on the construction: `.insert_header(..)`, `.finish()`.
            "field_expression" => match self
                .parents
                .parent(parent)
                .filter(|p| p.kind() == "call_expression")
            {
                Some(call) => {
                    self.method_headers(call, headers);
                    Climb::Up(call)
                }
                None => Climb::Stop,
            },
            "arguments" => self.climb_argument(node, parent, headers),
            // `(StatusCode::CREATED, [(LOCATION, url)], Json(x))`: the other elements are
            // header arrays or a body that carries no headers of its own.
            "tuple_expression" => {
                for element in named_children(parent) {
                    if element.id() == node.id() || element.kind() == "array_expression" {
                        continue;
                    }
                    if !self.responder_headers(element, headers) {
                        return Climb::Hidden;
                    }
                }
                Climb::Up(parent)
            }
            _ => Climb::Stop,
        }
    }

    /// From a construction passed as an argument to the call: `.status(x)` on a builder whose
    /// chain below is seen, a value wrapper (`Ok(..)`), a status function (`with_status(r, s)`)
    /// or a header function (`with_header(r, ..)`) taking it as the reply.
    fn climb_argument(
        &self,
        node: Node<'t>,
        arguments: Node<'t>,
        headers: &mut Vec<HeaderFact>,
    ) -> Climb<'t> {
        let Some(call) = self.parents.parent(arguments) else {
            return Climb::Stop;
        };
        let Some(function) = call.child_by_field_name("function") else {
            return Climb::Stop;
        };
        if function.kind() == "field_expression" {
            let method = function
                .child_by_field_name("field")
                .map_or("", |f| text(f, self.source));
            // `.status(x)`: the chain below it is the same response.
            if !self.is_status_method(method) {
                return Climb::Stop;
            }
            let Some(receiver) = function.child_by_field_name("value") else {
                return Climb::Stop;
            };
            if !self.chain_below(receiver, headers) {
                return Climb::Hidden;
            }
            return Climb::Up(call);
        }
        let args = named_children(arguments);
        let index = args.iter().position(|arg| arg.id() == node.id());
        if in_table(text(function, self.source), |t| &t.value_wrappers) {
            return Climb::Up(call);
        }
        if let Some(status_fn) = self.status_fn(call)
            && index == Some(status_fn.status_arg)
        {
            if let Some(body) = status_fn.body_arg.and_then(|i| args.get(i))
                && !self.responder_headers(*body, headers)
            {
                return Climb::Hidden;
            }
            return Climb::Up(call);
        }
        if let Some(header_fn) = self.header_fn(call)
            && index == Some(header_fn.reply_arg)
        {
            self.header_fn_header(call, header_fn, headers);
            return Climb::Up(call);
        }
        Climb::Stop
    }

    /// Where the construction stops: returned as it is (unless converted into a custom error),
    /// or bound with `let` to a name whose every later use is seen.
    fn construction_ends_complete(
        &self,
        site: Node<'t>,
        node: Node<'t>,
        headers: &mut Vec<HeaderFact>,
    ) -> bool {
        if in_response_position(&self.parents, node, self.source, &self.handler_table) {
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
    pub(super) fn converted_into_custom_error(&self, site: Node<'t>) -> bool {
        let mut converted = false;
        let mut function = None;
        for ancestor in self.parents.ancestors(site) {
            match ancestor.kind() {
                "function_item" => {
                    function = Some(ancestor);
                    break;
                }
                "call_expression" => converted |= self.converts(ancestor, site),
                _ => {}
            }
        }
        if !converted {
            return false;
        }
        let Some(function) = function else {
            return true;
        };
        let Some(return_type) = function
            .child_by_field_name("return_type")
            .map(|ty| text(ty, self.source).replace(char::is_whitespace, ""))
        else {
            return true;
        };
        !is_plain_error(&self.associated_types_resolved(function, return_type))
    }

    /// `return_type` with each `Self::Name` replaced by the type the enclosing impl assigns to
    /// it: an extractor's `Result<Self, Self::Rejection>` under `type Rejection = Response;`
    /// fails with a plain response, which the syntax sees whole.
    fn associated_types_resolved(&self, function: Node<'t>, mut return_type: String) -> String {
        let Some(declarations) = self
            .parents
            .parent(function)
            .filter(|p| p.kind() == "declaration_list")
        else {
            return return_type;
        };
        for item in named_children(declarations) {
            if item.kind() != "type_item" {
                continue;
            }
            let (Some(name), Some(value)) = (
                item.child_by_field_name("name"),
                item.child_by_field_name("type"),
            ) else {
                continue;
            };
            let alias = format!("Self::{}", text(name, self.source));
            let value = text(value, self.source).replace(char::is_whitespace, "");
            return_type = replace_whole_path(&return_type, &alias, &value);
        }
        return_type
    }

    /// Whether `call` converts the value set at `site` into another type: `.into()`, or an
    /// error adapter whose argument the site is (`.ok_or(X)`, `.map_err(|_| X)`), not its
    /// receiver.
    fn converts(&self, call: Node<'t>, site: Node<'t>) -> bool {
        let name = method_name(call, self.source).unwrap_or("");
        let in_arguments = call.child_by_field_name("arguments").is_some_and(|args| {
            args.start_byte() <= site.start_byte() && site.end_byte() <= args.end_byte()
        });
        name == "into"
            || (in_arguments
                && (in_table(name, |t| &t.error_value_methods)
                    || in_table(name, |t| &t.error_adapters)))
    }

    /// Walks a method chain down to its first call, adding the headers its links set; `true`
    /// when that first call starts a fresh response (`Response::builder()`, a helper such as
    /// `Redirect::to(u)`, a body such as `Json(x)`), whose headers are all known.
    pub(super) fn chain_below(&self, mut node: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
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
    pub(super) fn fresh_response(
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

    /// Whether every use of the binding `name` after `declaration` (a `let`, or with
    /// `status_mut` the `*name.status_mut() = x` statement, whose `let` is looked up first) is
    /// seen: header inserts (added to `headers`), builder methods, the name returned.
    pub(super) fn binding_complete(
        &self,
        name: &str,
        declaration: Node<'t>,
        status_mut: bool,
        headers: &mut Vec<HeaderFact>,
    ) -> bool {
        let Some(mut block) = self
            .parents
            .parent(declaration)
            .filter(|b| b.kind() == "block")
        else {
            return false;
        };
        let statement_site = declaration;
        let declaration = if status_mut {
            // The `let` is in this block or an enclosing one of the same function.
            let Some((found, outer)) = self.binding_let(name, declaration) else {
                return false;
            };
            block = outer;
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
        // Uses on another branch than the site (another match arm, the other side of an
        // `if`, after a block that returned) never reach this response.
        let site = if status_mut {
            statement_site
        } else {
            declaration
        };
        identifiers_named(block, name, self.source)
            .into_iter()
            .filter(|ident| ident.start_byte() >= declaration.end_byte())
            .filter(|ident| !exclusive(&self.parents, &BRANCHING, *ident, site))
            .all(|ident| self.binding_use(ident, headers))
    }

    /// The nearest `let` binding `name` before `statement`, in its block or an enclosing one
    /// of the same function, with that block.
    fn binding_let(&self, name: &str, statement: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        let blocks = self
            .parents
            .ancestors(statement)
            .take_while(|ancestor| {
                !matches!(ancestor.kind(), "function_item" | "closure_expression")
            })
            .filter(|ancestor| ancestor.kind() == "block");
        for block in blocks {
            let found = named_children(block).into_iter().rev().find(|candidate| {
                candidate.end_byte() <= statement.start_byte()
                    && candidate.kind() == "let_declaration"
                    && candidate
                        .child_by_field_name("pattern")
                        .is_some_and(|p| p.kind() == "identifier" && text(p, self.source) == name)
            });
            if let Some(found) = found {
                return Some((found, block));
            }
        }
        None
    }

    /// Whether one use of a response binding keeps its headers visible: a header insert or a
    /// builder method as a statement of its own, the name lent to a function of the file whose
    /// every use of it is seen, or the name continuing into the response (returned, wrapped,
    /// chained, bound again) as a construction does.
    pub(super) fn binding_use(&self, ident: Node<'t>, headers: &mut Vec<HeaderFact>) -> bool {
        // `set_dav_headers(&mut res)`: lent to a function of the file that is seen whole.
        if let Some(lent) = self.lent_headers(ident) {
            headers.extend(lent);
            return true;
        }
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
}
