//! The status a handler answers without writing one: a NestJS `@Post()` method that no
//! `@HttpCode` or `@Redirect` overrides sends 201, the other method decorators 200, with what the
//! method returns as the body. The site is the method decorator, where `@HttpCode` would go.

use tree_sitter::Node;

use super::handlers::takes_decorated_param;
use super::nodes::member_path;
use super::steps::{decorator_step, returned_value};
use super::{Effect, Extractor, ResponseStep};
use crate::node_util::named_children;
use hsl_facts::Spelling;
use hsl_tables::Framework;

impl<'t> Extractor<'_, 't> {
    /// The implicit response of `method`, whose route decorator is `decorator` (its name
    /// `name`, its function node `function`): `None` when the table gives the decorator no
    /// implicit status, when another decorator sets the status, or when the method answers
    /// through the platform response (`@Res() res`).
    pub(super) fn implicit_decorator_step(
        &self,
        table: &Framework,
        method: Node<'t>,
        decorator: Node<'t>,
        function: Node<'t>,
        name: &str,
    ) -> Option<ResponseStep<'t>> {
        let routes = table.routes.as_ref()?;
        let code = *routes.decorator_statuses.get(name)?;
        if takes_decorated_param(method, &routes.response_param_decorators, self.source)
            || always_throws(method)
        {
            return None;
        }
        let overridden = self.decorators_of(method).into_iter().any(|other| {
            let called = self.decorator_name(other);
            table.decorator_calls.iter().any(|call| {
                Some(call.method.as_str()) == called.as_deref()
                    && (call.status_arg.is_some() || call.redirect.is_some())
            })
        });
        if overridden {
            return None;
        }
        let effects = vec![
            Effect::Implicit {
                code,
                spelling: Spelling::ImplicitDefault {
                    helper: name.to_string(),
                    insert: None,
                },
                node: function,
                range: function.byte_range(),
            },
            Effect::Body(self.body_of_return(returned_value(method)), None),
        ];
        Some(decorator_step(table, method, decorator, effects, false))
    }

    /// The decorators on a method: its own children (JavaScript) or the decorators written
    /// right before it in the class body (TypeScript).
    pub(super) fn decorators_of(&self, method: Node<'t>) -> Vec<Node<'t>> {
        let mut found: Vec<Node<'t>> = named_children(method)
            .into_iter()
            .filter(|child| child.kind() == "decorator")
            .collect();
        if let Some(body) = self
            .parents
            .parent(method)
            .filter(|p| p.kind() == "class_body")
        {
            let siblings = named_children(body);
            if let Some(at) = siblings.iter().position(|s| s.id() == method.id()) {
                found.extend(
                    siblings
                        .iter()
                        .take(at)
                        .rev()
                        .take_while(|s| matches!(s.kind(), "decorator" | "comment"))
                        .filter(|s| s.kind() == "decorator"),
                );
            }
        }
        found
    }

    /// The name a decorator calls (`HttpCode` in `@HttpCode(204)`).
    fn decorator_name(&self, decorator: Node<'t>) -> Option<String> {
        let call = named_children(decorator)
            .into_iter()
            .find(|n| n.kind() == "call_expression")?;
        let function = call.child_by_field_name("function")?;
        member_path(function, self.source)?.last().cloned()
    }
}

/// Whether a method's body ends by throwing: it never returns, so the implicit status is never
/// sent.
fn always_throws(method: Node<'_>) -> bool {
    method
        .child_by_field_name("body")
        .and_then(|body| named_children(body).last().copied())
        .is_some_and(|last| last.kind() == "throw_statement")
}
