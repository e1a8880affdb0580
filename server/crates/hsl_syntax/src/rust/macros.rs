//! The project's own macros that answer for the function they are written in. A
//! `macro_rules!` whose every rule returns with one status
//! (`return Outcome::Error((Status::Unauthorized, $msg))`) stands as a helper named `name!`;
//! each invocation of a macro that is not a library's is a call of it, which the workspace
//! index resolves as it resolves a call of a function, in this file or another, and sends
//! the helper's status where the invocation is, under the invocation's conditions.

use tree_sitter::Node;

use super::Extractor;
use super::contexts::context_of;
use super::nodes::collect_leaves;
use crate::node_util::{integer_value, named_children, string_value, text};
use hsl_facts::{
    Argument, CallForm, Handler, HelperBody, HelperCall, HelperStatus, Location, Response,
    ResponseHelper, SiteRole, Spelling, StatusSite, Words,
};
use hsl_tables::identifier_parts;

/// Macros of the standard library and of the logging, serialisation and async crates: never
/// a project's response helper, so their invocations are not recorded as calls.
const LIBRARY_MACROS: &[&str] = &[
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "format_args",
    "write",
    "writeln",
    "vec",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "panic",
    "todo",
    "unimplemented",
    "unreachable",
    "dbg",
    "matches",
    "include_str",
    "include_bytes",
    "include",
    "env",
    "option_env",
    "concat",
    "stringify",
    "cfg",
    "line",
    "file",
    "column",
    "module_path",
    "compile_error",
    "debug",
    "info",
    "warn",
    "error",
    "trace",
    "log",
    "event",
    "span",
    "info_span",
    "debug_span",
    "json",
    "select",
    "join",
    "try_join",
    "pin",
    "lazy_static",
    "thread_local",
    "macro_rules",
    "sqlx",
    "query",
    "query_as",
    "html",
];

impl<'t> Extractor<'_, 't> {
    /// A `macro_rules!` whose every rule returns one status: a handler named `name!` with that
    /// response, which the index summarises as a helper.
    pub(super) fn macro_definition_site(&mut self, definition: Node<'t>) {
        let Some(name_node) = definition.child_by_field_name("name") else {
            return;
        };
        let rules: Vec<Node<'t>> = named_children(definition)
            .into_iter()
            .filter(|rule| rule.kind() == "macro_rule")
            .collect();
        if !rules.is_empty() && rules.iter().all(|rule| self.returns_last_status(*rule)) {
            let (headers, headers_complete) = self.returned_error_headers(&rules);
            self.facts.helpers.push(ResponseHelper {
                name: format!("{}!", text(name_node, self.source)),
                owner: None,
                defined: Location {
                    path: None,
                    range: name_node.byte_range(),
                },
                status: HelperStatus::LastArgument,
                headers,
                headers_complete,
                body: HelperBody::Unknown,
            });
            return;
        }
        let mut found: Option<StatusSite> = None;
        for rule in rules {
            let Some(site) = rule
                .child_by_field_name("right")
                .and_then(|body| self.returned_status(body))
            else {
                return;
            };
            match &found {
                Some(known) if known.code != site.code => return,
                Some(_) => {}
                None => found = Some(site),
            }
        }
        let Some(status) = found else {
            return;
        };
        let name = format!("{}!", text(name_node, self.source));
        let range = definition.byte_range();
        let new = || Handler {
            name: Some(name.clone()),
            range: range.clone(),
            name_range: name_node.byte_range(),
            methods: Vec::new(),
            words: Words::default(),
            error_type: None,
            error_aliases: Vec::new(),
            response_type: false,
            default_export: false,
            declared: None,
            escapes: Vec::new(),
            authenticates: false,
            params: Vec::new(),
            bindings: Vec::new(),
            body_calls: Vec::new(),
            in_browser: false,
            typed_path: None,
        };
        let id = self
            .handler_table
            .id_of(&mut self.facts.handlers, &range, new);
        self.facts
            .responses
            .push(Response::bare(status, Some(id), SiteRole::Sets));
    }

    /// Whether a macro rule leaves its caller (`return`) with the status its last parameter
    /// names: `($msg:expr, $err_code:expr) => {{ return Err(Error::new($msg).with_code($err_code)) }}`.
    /// The parameter says it is a status by its name (a part `status` or `code`).
    fn returns_last_status(&self, rule: Node<'t>) -> bool {
        let (Some(pattern), Some(body)) = (
            rule.child_by_field_name("left"),
            rule.child_by_field_name("right"),
        ) else {
            return false;
        };
        let mut parameters = Vec::new();
        collect_leaves(pattern, &mut parameters);
        let Some(last) = parameters
            .iter()
            .rev()
            .find(|leaf| leaf.kind() == "metavariable")
            .map(|leaf| text(*leaf, self.source))
        else {
            return false;
        };
        let named_status = identifier_parts(last.trim_start_matches('$'))
            .iter()
            .any(|part| part == "status" || part == "code");
        let mut leaves = Vec::new();
        collect_leaves(body, &mut leaves);
        let words: Vec<&str> = leaves.iter().map(|leaf| text(*leaf, self.source)).collect();
        named_status && words.contains(&"return") && words.contains(&last)
    }

    /// A status constant written as three tokens of a macro's body or arguments
    /// (`Status` `::` `Unauthorized`), when a constant family of the tables names it.
    fn constant_of_tokens(&self, window: &[Node<'t>]) -> Option<StatusSite> {
        let [ty, separator, name] = window else {
            return None;
        };
        if text(*separator, self.source) != "::" || name.kind() != "identifier" {
            return None;
        }
        let written = text(*name, self.source);
        let (table, family, code) = self.constant_in_families(text(*ty, self.source), written)?;
        Some(StatusSite {
            code: Some(code),
            spelling: Spelling::Constant {
                family: family.id.clone(),
                name: written.to_string(),
                name_range: name.byte_range(),
            },
            range: ty.start_byte()..name.end_byte(),
            framework: table.id.clone(),
        })
    }

    /// The status a macro rule's body returns with: the body leaves its caller (`return`) and
    /// names one code among its tokens (`Status::Unauthorized`), never two.
    fn returned_status(&self, body: Node<'t>) -> Option<StatusSite> {
        let mut leaves = Vec::new();
        collect_leaves(body, &mut leaves);
        if !leaves
            .iter()
            .any(|leaf| text(*leaf, self.source) == "return")
        {
            return None;
        }
        let mut sites = leaves
            .windows(3)
            .filter_map(|window| self.constant_of_tokens(window));
        let first = sites.next()?;
        if sites.any(|site| site.code != first.code) {
            return None;
        }
        Some(first)
    }

    /// Each invocation of a macro that is not a library's, as a call the index may resolve to
    /// one of the project's macros; its string arguments are the message it sends.
    pub(super) fn record_macro_calls(&mut self, invocations: &[Node<'t>]) {
        for &invocation in invocations {
            let Some(name_node) = invocation.child_by_field_name("macro") else {
                continue;
            };
            let written = text(name_node, self.source);
            let name = written.rsplit("::").next().unwrap_or(written);
            if LIBRARY_MACROS.contains(&name) {
                continue;
            }
            let args = named_children(invocation)
                .into_iter()
                .find(|child| child.kind() == "token_tree")
                .map(|tokens| self.macro_arguments(tokens))
                .unwrap_or_default();
            let handler = self.enclosing_handler(invocation);
            let handler_range =
                handler.and_then(|id| self.facts.handlers.get(id).map(|h| h.range.clone()));
            let context = context_of(&self.parents, invocation, handler_range, self.source);
            self.facts.helper_calls.push(HelperCall {
                callee: vec![format!("{name}!")],
                range: invocation.byte_range(),
                name_range: name_node.byte_range(),
                args,
                context,
                handler,
                form: CallForm::Call,
            });
        }
    }

    /// A macro's arguments, split at its top-level commas: a string is a message, a number of
    /// the status range or a status constant (`Status::Unauthorized.code`) a status.
    fn macro_arguments(&self, tokens: Node<'t>) -> Vec<Argument> {
        let mut children: Vec<Node<'t>> = Vec::new();
        let mut cursor = tokens.walk();
        children.extend(tokens.children(&mut cursor));
        let inner = children
            .get(1..children.len().saturating_sub(1))
            .unwrap_or_default();
        inner
            .split(|token| token.kind() == ",")
            .map(|segment| self.macro_argument(segment))
            .collect()
    }

    fn macro_argument(&self, segment: &[Node<'t>]) -> Argument {
        if let [only] = segment {
            if let Some(message) = string_value(*only, self.source) {
                return Argument::Text(message);
            }
            if only.kind() == "integer_literal"
                && let Some(code) = integer_value(*only, self.source)
                    .and_then(|value| u16::try_from(value).ok())
                    .filter(|code| (100..=599).contains(code))
            {
                return Argument::Status(StatusSite {
                    code: Some(code),
                    spelling: Spelling::Number,
                    range: only.byte_range(),
                    framework: self
                        .tables
                        .first()
                        .map(|t| t.id.clone())
                        .unwrap_or_default(),
                });
            }
        }
        segment
            .windows(3)
            .find_map(|window| self.constant_of_tokens(window).map(Argument::Status))
            .unwrap_or(Argument::Other)
    }
}
