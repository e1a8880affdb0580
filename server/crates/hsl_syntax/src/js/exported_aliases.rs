//! Methods a route file proves by exporting an existing handler under a method's name: Next.js
//! `export { handler as GET, handler as POST }` and `export const POST = handler` (or
//! `= withAuth(handler)`). Each export registers the handler it names for that method, as a
//! router's `post(path, handler)` does; a function written inside the wrapper
//! (`= withAuth(async (req) => …)`) is proven to answer that method, as `export function POST`
//! is.

use tree_sitter::Node;

use super::{Extractor, FUNCTION_KINDS};
use crate::handlers::prove_method;
use crate::node_util::{named_children, text};
use hsl_facts::{HandlerRef, Method, MethodSource, RegistrationKind, RouteRegistration};

impl<'t> Extractor<'_, 't> {
    /// Registrations for the handlers `statement` exports under a method's name, when a
    /// framework the file imports reads exported names as methods.
    pub(super) fn collect_exported_aliases(&mut self, statement: Node<'t>) {
        if statement.kind() != "export_statement"
            || statement.child_by_field_name("source").is_some()
        {
            return;
        }
        for (alias, value) in exported_values(statement) {
            let Some(method) = self.exported_method(text(alias, self.source)) else {
                continue;
            };
            let mut handlers = Vec::new();
            match value.kind() {
                "identifier" => {
                    handlers.push(self.named_ref(vec![text(value, self.source).to_string()]))
                }
                kind if FUNCTION_KINDS.contains(&kind) => continue,
                _ => self.handler_refs(value, 0, &mut handlers),
            }
            for handler in handlers {
                // `export const GET = withAdmin(async (req) => …)`: the wrapped function is
                // the handler, exported under the method's name as `export function GET` is.
                if let HandlerRef::Inline(id) = handler {
                    let range = alias.byte_range();
                    prove_method(
                        &mut self.facts.handlers,
                        id,
                        method,
                        MethodSource::ExportedName,
                        range,
                    );
                    continue;
                }
                self.facts.registrations.push(RouteRegistration {
                    methods: vec![method],
                    path: None,
                    handler,
                    range: alias.byte_range(),
                    scope: None,
                    kind: RegistrationKind::Route,
                    declared: None,
                });
            }
        }
    }

    /// The method an exported name declares in a framework the file imports.
    fn exported_method(&self, name: &str) -> Option<Method> {
        self.tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id))
            .filter_map(|table| table.routes.as_ref())
            .find_map(|routes| routes.exported_names.get(name))
            .copied()
    }
}

/// The names an export statement gives and the values they are given: `handler as GET` in an
/// export clause (`GET` alone names itself), or `POST = handler` in an exported declaration.
fn exported_values(statement: Node<'_>) -> Vec<(Node<'_>, Node<'_>)> {
    if let Some(declaration) = statement.child_by_field_name("declaration") {
        if !matches!(
            declaration.kind(),
            "lexical_declaration" | "variable_declaration"
        ) {
            return Vec::new();
        }
        return named_children(declaration)
            .into_iter()
            .filter_map(|declarator| {
                Some((
                    declarator.child_by_field_name("name")?,
                    declarator.child_by_field_name("value")?,
                ))
            })
            .collect();
    }
    named_children(statement)
        .into_iter()
        .filter(|child| child.kind() == "export_clause")
        .flat_map(named_children)
        .filter(|specifier| specifier.kind() == "export_specifier")
        .filter_map(|specifier| {
            let name = specifier.child_by_field_name("name")?;
            let alias = specifier.child_by_field_name("alias").unwrap_or(name);
            Some((alias, name))
        })
        .collect()
}
