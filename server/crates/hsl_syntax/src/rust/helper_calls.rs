//! Values a handler returns that the project's own code turns into responses: a call of a
//! project function or constructor (`ApiError::new("x", StatusCode::UNAUTHORIZED)`,
//! `unauthorized()`) or an error variant (`AppError::Forbidden`, `AppError::NotFound(id)`) in
//! the place of the handler's response (returned, a tail, inside `Err(..)`). The workspace
//! index resolves them against the project's helpers and error conversions; a status passed as
//! an argument is what such a call sends when nothing else is known.

use tree_sitter::Node;

use super::Extractor;
use super::contexts::context_of;
use super::nodes::in_table;
use super::positions::in_response_position;
use crate::node_util::{named_children, text};
use hsl_facts::{Argument, CallForm, HelperCall, SiteRole};

impl<'t> Extractor<'_, 't> {
    /// Records each call of `calls` and each path of `paths` that stands where the handler's
    /// response is and that no framework table read as a response.
    pub(super) fn record_helper_calls(&mut self, calls: &[Node<'t>], paths: &[Node<'t>]) {
        for &call in calls {
            let Some(function) = call.child_by_field_name("function") else {
                continue;
            };
            self.record_helper_call(call, function, arguments_of(call));
        }
        for &path in paths {
            // A path that is a call's function is read with its call.
            let called = self
                .parents
                .parent(path)
                .and_then(|parent| parent.child_by_field_name("function"))
                .is_some_and(|function| function.id() == path.id());
            if !called {
                self.record_helper_call(path, path, Vec::new());
            }
        }
    }

    fn record_helper_call(&mut self, node: Node<'t>, function: Node<'t>, args: Vec<Node<'t>>) {
        let callee = path_names(function, self.source);
        let Some(last) = callee.last() else {
            return;
        };
        let framework_wrapper =
            in_table(last, |t| &t.value_wrappers) || in_table(last, |t| &t.body_wrappers);
        if framework_wrapper || self.is_response_site(node) {
            return;
        }
        if !in_response_position(&self.parents, node, self.source, &self.handler_table) {
            return;
        }
        let handler = self.enclosing_handler(node);
        let handler_range =
            handler.and_then(|id| self.facts.handlers.get(id).map(|h| h.range.clone()));
        let context = context_of(&self.parents, node, handler_range, self.source);
        let args = args.into_iter().map(|arg| self.argument(arg)).collect();
        let name_range = match function.kind() {
            "scoped_identifier" => function.child_by_field_name("name").unwrap_or(function),
            _ => function,
        }
        .byte_range();
        self.facts.helper_calls.push(HelperCall {
            callee,
            range: node.byte_range(),
            name_range,
            args,
            context,
            handler,
            form: CallForm::Call,
        });
    }

    /// Whether a framework table already read this value (or a value inside it) as a response
    /// it sets.
    fn is_response_site(&self, node: Node<'t>) -> bool {
        let range = node.byte_range();
        self.facts.responses.iter().any(|response| {
            response.role == SiteRole::Sets
                && range.start <= response.status.range.start
                && response.status.range.end <= range.end
        })
    }

    /// A status the tables recognised at the argument (recorded as a mention), else nothing
    /// the index needs.
    fn argument(&self, arg: Node<'t>) -> Argument {
        if let Some(text) = crate::node_util::string_value(arg, self.source) {
            return Argument::Text(text);
        }
        let arg = match arg.kind() {
            "reference_expression" => named_children(arg).into_iter().last().unwrap_or(arg),
            _ => arg,
        };
        let range = arg.byte_range();
        self.facts
            .responses
            .iter()
            .find(|response| response.status.range == range && response.status.code.is_some())
            .map_or(Argument::Other, |response| {
                Argument::Status(response.status.clone())
            })
    }
}

/// The arguments of a call.
fn arguments_of(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
}

/// `ApiError::new` → `ApiError`, `new`; generic arguments (`Json::<T>`) are left out.
fn path_names(function: Node<'_>, source: &str) -> Vec<String> {
    let function = match function.kind() {
        "generic_function" => function.child_by_field_name("function").unwrap_or(function),
        _ => function,
    };
    match function.kind() {
        "identifier" | "scoped_identifier" => text(function, source)
            .split("::")
            .map(|segment| {
                segment
                    .split('<')
                    .next()
                    .unwrap_or(segment)
                    .trim()
                    .to_string()
            })
            .filter(|segment| !segment.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}
