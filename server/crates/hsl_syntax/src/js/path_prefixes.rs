//! A handler that routes by hand hands a path prefix to a function of its own:
//! `if (url.pathname.startsWith("/notes")) return handleNotes(request);`. That function's
//! branches on the method then serve under `/notes`: a mount of the function by name, as
//! Rocket's `mount("/notes", routes![..])` mounts handlers.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::strip_parens;
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{HandlerRef, RegistrationKind, RouteRegistration};
use hsl_tables::MethodBranches;

impl<'t> Extractor<'_, 't> {
    /// `<path>.startsWith("/x")` as the test of an `if` whose branch calls a function with the
    /// request (`return handle(req, res)`): that function is mounted under `/x`.
    pub(super) fn collect_prefix_delegation(&mut self, call: Node<'t>) {
        let branches: Vec<&'static MethodBranches> = self
            .tables
            .iter()
            .filter_map(|t| t.routes.as_ref()?.method_branches.as_ref())
            .filter(|branches| !branches.path_reads.is_empty())
            .collect();
        if branches.is_empty() {
            return;
        }
        let Some(prefix) = self.tested_prefix(call, &branches) else {
            return;
        };
        let Some(consequence) = self.branch_of_test(call) else {
            return;
        };
        let Some(name) = self.delegate_of(consequence, &branches) else {
            return;
        };
        self.facts.registrations.push(RouteRegistration {
            methods: Vec::new(),
            path: Some(prefix),
            handler: HandlerRef::Named(vec![name]),
            range: call.byte_range(),
            scope: None,
            kind: RegistrationKind::Handler,
            declared: None,
        });
    }

    /// The prefix of `<path read>.startsWith("/x")`: a literal that starts with `/`.
    fn tested_prefix(&self, call: Node<'t>, branches: &[&MethodBranches]) -> Option<String> {
        let function = call.child_by_field_name("function")?;
        if function.kind() != "member_expression" {
            return None;
        }
        let property = function.child_by_field_name("property")?;
        let object = function.child_by_field_name("object")?;
        if text(property, self.source) != "startsWith"
            || !branches
                .iter()
                .any(|b| b.reads_path(text(object, self.source)))
        {
            return None;
        }
        let arguments = call.child_by_field_name("arguments")?;
        let [argument] = named_children(arguments)[..] else {
            return None;
        };
        string_value(argument, self.source).filter(|prefix| prefix.starts_with('/'))
    }

    /// The branch an `if` takes when `test` holds: `test` is its condition, or a conjunct of
    /// it (`a && test`).
    fn branch_of_test(&self, test: Node<'t>) -> Option<Node<'t>> {
        let mut node = test;
        loop {
            let parent = self.parents.parent(node)?;
            match parent.kind() {
                "parenthesized_expression" => node = parent,
                "binary_expression"
                    if parent
                        .child_by_field_name("operator")
                        .is_some_and(|op| text(op, self.source) == "&&") =>
                {
                    node = parent;
                }
                "if_statement"
                    if parent
                        .child_by_field_name("condition")
                        .is_some_and(|c| strip_parens(c).id() == strip_parens(node).id()) =>
                {
                    return parent.child_by_field_name("consequence");
                }
                _ => return None,
            }
        }
    }

    /// The function a branch hands the request to: the callee of `return f(req, ..)` or of a
    /// lone call statement, named by an identifier, one of whose arguments is the request.
    fn delegate_of(&self, branch: Node<'t>, branches: &[&MethodBranches]) -> Option<String> {
        let statement = if branch.kind() == "statement_block" {
            named_children(branch).into_iter().next()?
        } else {
            branch
        };
        let expression = match statement.kind() {
            "return_statement" | "expression_statement" => {
                named_children(statement).into_iter().next()?
            }
            _ => return None,
        };
        let call = match expression.kind() {
            "await_expression" => named_children(expression).into_iter().next()?,
            _ => expression,
        };
        if call.kind() != "call_expression" {
            return None;
        }
        let callee = call.child_by_field_name("function")?;
        if callee.kind() != "identifier" {
            return None;
        }
        let arguments = call.child_by_field_name("arguments")?;
        let passes_request = named_children(arguments).iter().any(|argument| {
            let name = text(*argument, self.source);
            branches
                .iter()
                .any(|b| b.request_names.iter().any(|n| n == name))
        });
        passes_request.then(|| text(callee, self.source).to_string())
    }
}
