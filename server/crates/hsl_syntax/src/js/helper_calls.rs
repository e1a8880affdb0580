//! Calls a handler makes that the project's own functions may answer: a call whose result is
//! returned, thrown, passed to `next(..)` or is an arrow function's body
//! (`return unauthorized()`, `throw new ApiError("x", 401)`, `next(createAppError(404))`), or a
//! statement that hands the response object to a function (`sendError(res, 401, "x")`). The
//! workspace index resolves them against the project's helpers; the syntax only records what
//! the call looks like and where it stands.

use tree_sitter::Node;

use super::contexts::context_of;
use super::nodes::member_path;
use super::{Extractor, FUNCTION_KINDS};
use crate::node_util::{integer_value, named_children, text};
use hsl_facts::{Argument, CallForm, HelperCall, Spelling, StatusSite};

/// The methods of a function that call it with a `this` of the caller's choosing.
const DELEGATING_METHODS: &[&str] = &["call", "apply"];

/// The directive that makes a function a Next.js Server Action: what it returns or throws
/// reaches the page as a value, never as an HTTP status.
const SERVER_ACTION: &str = "use server";

/// Node kinds a call's value passes through unchanged on its way to where it stands.
const TRANSPARENT: &[&str] = &[
    "await_expression",
    "parenthesized_expression",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
];

impl<'t> Extractor<'_, 't> {
    /// Records each of `calls` (bare, member and `new` calls of a statement) that stands where
    /// a helper's response would be sent and that no framework table already read as a
    /// response. A Server Action sends no status of its own, so its calls are not recorded.
    pub(super) fn record_helper_calls(&mut self, calls: &[Node<'t>]) {
        for &call in calls {
            if self.is_response_site(call) {
                continue;
            }
            let Some(mut callee) = self.callee_of(call) else {
                continue;
            };
            let args = argument_nodes(call);
            if self.delegates_context(&callee, &args) {
                callee.pop();
            }
            let hands_response = args.iter().any(|arg| self.is_response_object(*arg));
            if (!self.sends_its_value(call) && !hands_response)
                || self.under_directive(call, SERVER_ACTION)
            {
                continue;
            }
            let Some(function) = self.sending_function(call) else {
                continue;
            };
            let handler = Some(self.handler_id(function, true));
            let handler = self.method_branch(call, handler).or(handler);
            let handler_range =
                handler.and_then(|id| self.facts.handlers.get(id).map(|h| h.range.clone()));
            let context = context_of(&self.parents, call, handler_range, self.source);
            let args = args.into_iter().map(|arg| self.argument(arg)).collect();
            let name_range = callee_name_node(call).map_or(call.byte_range(), |n| n.byte_range());
            self.facts.helper_calls.push(HelperCall {
                callee,
                range: call.byte_range(),
                name_range,
                args,
                context,
                handler,
                form: CallForm::Call,
            });
        }
    }

    /// The function whose answer the call is: the nearest around it, except for a closure
    /// kept for later inside another function (`error = () => badRequest(..)`,
    /// `const deny = () => unauthorized()`), whose call answers the conditions and the work of
    /// the function that builds it, as if that function sent it where the closure is made.
    fn sending_function(&self, call: Node<'t>) -> Option<Node<'t>> {
        let mut functions = self
            .parents
            .ancestors(call)
            .filter(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()));
        let nearest = functions.next()?;
        let kept = nearest.kind() == "arrow_function"
            && nearest
                .child_by_field_name("body")
                .is_some_and(|body| body.byte_range() == self.unwrapped_range(call))
            && self.parents.parent(nearest).is_some_and(|parent| {
                matches!(
                    parent.kind(),
                    "assignment_expression" | "variable_declarator"
                )
            });
        match functions.next() {
            Some(enclosing) if kept => Some(enclosing),
            _ => Some(nearest),
        }
    }

    /// The range of the outermost node around `node` that passes its value through unchanged
    /// (`await`, parentheses, `as`).
    fn unwrapped_range(&self, node: Node<'t>) -> std::ops::Range<usize> {
        let mut node = node;
        while let Some(parent) = self.parents.parent(node) {
            if !TRANSPARENT.contains(&parent.kind()) {
                break;
            }
            node = parent;
        }
        node.byte_range()
    }

    /// Whether a framework table already read this call (or a call inside it) as a response.
    fn is_response_site(&self, call: Node<'t>) -> bool {
        let range = call.byte_range();
        self.facts.responses.iter().any(|response| {
            range.start <= response.status.range.start && response.status.range.end <= range.end
        })
    }

    /// The callee as a path of names: `unauthorized`, `errors.unauthorized`, `ApiError` (for
    /// `new ApiError(..)`). A method of the response object itself (`res.render`) is the
    /// framework's, not the project's.
    fn callee_of(&self, call: Node<'t>) -> Option<Vec<String>> {
        let function = match call.kind() {
            "new_expression" => call.child_by_field_name("constructor")?,
            _ => call.child_by_field_name("function")?,
        };
        let path = member_path(function, self.source)?;
        let root = path.first()?;
        if path.len() > 1 && self.is_response_name(root) {
            return None;
        }
        Some(path)
    }

    /// Whether the call's value is what the function sends: returned, thrown, an arrow
    /// function's body, or the error handed to `next(..)`.
    fn sends_its_value(&self, call: Node<'t>) -> bool {
        let mut node = call;
        while let Some(parent) = self.parents.parent(node) {
            if !TRANSPARENT.contains(&parent.kind()) {
                return match parent.kind() {
                    "return_statement" | "throw_statement" => true,
                    "arrow_function" => parent
                        .child_by_field_name("body")
                        .is_some_and(|body| body.id() == node.id()),
                    "arguments" => self.is_next_argument(parent),
                    _ => false,
                };
            }
            node = parent;
        }
        false
    }

    /// `next(err)`: the one argument of a call of `next`.
    fn is_next_argument(&self, arguments: Node<'t>) -> bool {
        named_children(arguments).len() == 1
            && self
                .parents
                .parent(arguments)
                .and_then(|call| call.child_by_field_name("function"))
                .is_some_and(|function| text(function, self.source) == "next")
    }

    /// Whether `node` names a response object of the file's frameworks (`res`, `ctx`, `c`, or
    /// `this` in Koa 1 generator middleware).
    fn is_response_object(&self, node: Node<'t>) -> bool {
        match node.kind() {
            "identifier" => self.is_response_name(text(node, self.source)),
            "this" => self.is_generator_context(node),
            _ => false,
        }
    }

    /// Whether a call runs another function with the context as its `this`
    /// (`updateVersions.call(this, next)` in Koa 1 generator middleware): the function then
    /// answers the request as the caller would, so the call is the function's, not `call`'s.
    fn delegates_context(&self, callee: &[String], args: &[Node<'t>]) -> bool {
        callee.len() > 1
            && callee
                .last()
                .is_some_and(|name| DELEGATING_METHODS.contains(&name.as_str()))
            && args
                .first()
                .is_some_and(|first| first.kind() == "this" && self.is_response_object(*first))
    }

    fn is_response_name(&self, name: &str) -> bool {
        self.tables.iter().any(|table| {
            table
                .response
                .as_ref()
                .is_some_and(|response| response.names.iter().any(|known| known == name))
        })
    }

    /// What an argument is, as far as a helper's summary may need it.
    fn argument(&self, arg: Node<'t>) -> Argument {
        if let Some((Some(code), spelling, range)) = self.constant_status(arg) {
            return Argument::Status(StatusSite {
                code: Some(code),
                spelling,
                range,
                framework: String::new(),
            });
        }
        if arg.kind() == "number"
            && let Some(code) = integer_value(arg, self.source)
                .and_then(|n| u16::try_from(n).ok())
                .filter(|code| (100..=999).contains(code))
        {
            return Argument::Status(StatusSite {
                code: Some(code),
                spelling: Spelling::Number,
                range: arg.byte_range(),
                framework: String::new(),
            });
        }
        if let Some(text) = crate::node_util::string_value(arg, self.source) {
            return Argument::Text(text);
        }
        if let Some(text) = self.const_string(arg) {
            return Argument::Text(text);
        }
        if arg.kind() == "object" {
            return Argument::Object(super::bodies::object_literal(arg, self.source));
        }
        if self.is_response_object(arg) {
            return Argument::Response;
        }
        if matches!(arg.kind(), "true" | "false") {
            return Argument::Switch;
        }
        Argument::Other
    }
}

impl<'t> Extractor<'_, 't> {
    /// The string a `const` written earlier in the enclosing blocks of the same function binds
    /// to the identifier `arg`: `const error = "Custom URL is already in use."; throw new
    /// CustomError(error)` passes that message.
    fn const_string(&self, arg: Node<'t>) -> Option<String> {
        if arg.kind() != "identifier" {
            return None;
        }
        let name = text(arg, self.source);
        let mut node = arg;
        loop {
            node = self.parents.parent(node)?;
            if super::is_function(node) {
                return None;
            }
            if node.kind() != "statement_block" {
                continue;
            }
            let earlier = named_children(node)
                .into_iter()
                .take_while(|statement| statement.end_byte() <= arg.start_byte());
            for statement in earlier {
                if let Some(value) = const_declared(statement, name, self.source) {
                    return crate::node_util::string_value(value, self.source);
                }
            }
        }
    }
}

/// The value `statement` binds to `name` when it is a `const` declaration.
fn const_declared<'t>(statement: Node<'t>, name: &str, source: &str) -> Option<Node<'t>> {
    let is_const = statement.kind() == "lexical_declaration"
        && statement
            .child_by_field_name("kind")
            .is_some_and(|kind| text(kind, source) == "const");
    if !is_const {
        return None;
    }
    named_children(statement)
        .into_iter()
        .filter(|declarator| declarator.kind() == "variable_declarator")
        .find(|declarator| {
            declarator
                .child_by_field_name("name")
                .is_some_and(|declared| text(declared, source) == name)
        })?
        .child_by_field_name("value")
}

/// The argument nodes of a call or `new` expression.
fn argument_nodes(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
}

/// The callee's last name: `unauthorized` in `errors.unauthorized()`, `ApiError` in
/// `new ApiError(..)`.
fn callee_name_node(call: Node<'_>) -> Option<Node<'_>> {
    let function = match call.kind() {
        "new_expression" => call.child_by_field_name("constructor")?,
        _ => call.child_by_field_name("function")?,
    };
    match function.kind() {
        "member_expression" => function.child_by_field_name("property"),
        _ => Some(function),
    }
}
