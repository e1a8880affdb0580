//! Statuses held in a local before they are sent: a warp rejection handler assigns
//! `code = StatusCode::NOT_FOUND` in each branch of an `if let … = err.find::<T>()` chain, or
//! binds `let (msg, code) = match … { … => (m, StatusCode::X) }`, and answers once with
//! `warp::reply::with_status(json, code)`. Each assignment is a status site, in its own branch,
//! whose response is the one the local is sent with.

use tree_sitter::Node;

use super::Extractor;
use super::contexts::context_of;
use super::positions::{climb_wrappers, is_unterminated};
use super::responses::ResponseShape;
use crate::node_util::{named_children, text, uses_of};
use hsl_facts::{Response, SiteRole, StatusSite};

/// The local a status value is stored in: its name, and the statement that stores it.
struct Stored<'t> {
    name: String,
    statement: Node<'t>,
}

impl<'t> Extractor<'_, 't> {
    /// Records the status at `site`, stored in a local, as the response the local is sent
    /// with, when the same function sends it (`with_status(reply, code)`, `(code, body)`).
    /// `false` when the site is stored nowhere or its local is never sent.
    pub(super) fn push_through_variable(&mut self, site: Node<'t>, status: &StatusSite) -> bool {
        let Some(stored) = self.stored_in(site) else {
            return false;
        };
        let Some(sent) = self.sent_use(&stored) else {
            return false;
        };
        let shape = self.response_shape(sent);
        if shape.role != SiteRole::Sets {
            return false;
        }
        let ResponseShape {
            role,
            mut headers,
            body,
            without_body: _,
        } = shape;
        let handler = self.enclosing_handler(site);
        let handler_range =
            handler.and_then(|id| self.facts.handlers.get(id).map(|h| h.range.clone()));
        let context = context_of(&self.parents, site, handler_range, self.source);
        let headers_complete = self.headers_complete(sent, &mut headers);
        let header_insert = self.header_insertion(sent);
        self.facts.responses.push(Response {
            status: status.clone(),
            headers,
            headers_complete,
            header_insert,
            body,
            context,
            handler,
            role,
            // The body belongs to the statement that sends, not to this branch.
            without_body: None,
        });
        true
    }

    /// The local the value at `site` ends up in: the right side of `code = X`, the value of
    /// `let code = X`, or an element of a tuple bound by `let (msg, code) = …`, through the
    /// arms of a `match` and the branches of an `if` that produce the value.
    fn stored_in(&self, site: Node<'t>) -> Option<Stored<'t>> {
        let mut node = climb_wrappers(&self.parents, site, self.source);
        let mut element = None;
        for _ in 0..32 {
            let parent = self.parents.parent(node)?;
            match parent.kind() {
                "tuple_expression" if element.is_none() => {
                    element = named_children(parent)
                        .iter()
                        .position(|e| e.id() == node.id());
                    node = parent;
                }
                "match_arm" => {
                    node = self
                        .parents
                        .ancestors(parent)
                        .find(|a| a.kind() == "match_expression")?;
                }
                "block" => {
                    let last = named_children(parent).last().copied()?;
                    let tail = last.id() == node.id()
                        && (node.kind() != "expression_statement" || is_unterminated(node));
                    if !tail {
                        return None;
                    }
                    node = parent;
                }
                "expression_statement" if is_unterminated(parent) => node = parent,
                "if_expression" | "else_clause" => {
                    let condition = parent.child_by_field_name("condition");
                    if condition.is_some_and(|c| c.id() == node.id()) {
                        return None;
                    }
                    node = parent;
                }
                "assignment_expression" => {
                    let left = parent.child_by_field_name("left")?;
                    let statement = self.parents.parent(parent)?;
                    return (element.is_none() && left.kind() == "identifier").then(|| Stored {
                        name: text(left, self.source).to_string(),
                        statement,
                    });
                }
                "let_declaration" => {
                    let pattern = parent.child_by_field_name("pattern")?;
                    let name = match (pattern.kind(), element) {
                        ("identifier", None) => pattern,
                        ("tuple_pattern", Some(index)) => *named_children(pattern).get(index)?,
                        _ => return None,
                    };
                    return (name.kind() == "identifier").then(|| Stored {
                        name: text(name, self.source).to_string(),
                        statement: parent,
                    });
                }
                _ => return None,
            }
        }
        None
    }

    /// The first later use of the stored local, in its function, that sends it as a status.
    fn sent_use(&self, stored: &Stored<'t>) -> Option<Node<'t>> {
        let function = self
            .parents
            .ancestors(stored.statement)
            .find(|a| matches!(a.kind(), "function_item" | "closure_expression"))?;
        let body = function.child_by_field_name("body")?;
        let not_a_value = |node: Node<'t>| {
            matches!(
                node.kind(),
                "scoped_identifier" | "scoped_type_identifier" | "type_arguments"
            )
        };
        uses_of(
            body,
            &stored.name,
            self.source,
            &["identifier"],
            not_a_value,
        )
        .into_iter()
        .filter(|ident| ident.start_byte() >= stored.statement.end_byte())
        .find(|ident| self.response_shape(*ident).role == SiteRole::Sets)
    }

    /// The value an immutable local is bound to (`let json = warp::reply::json(&x);`), found in
    /// the enclosing blocks before `ident`: what the name stands for wherever it is used.
    pub(super) fn bound_value(&self, ident: Node<'t>) -> Option<Node<'t>> {
        let name = text(ident, self.source);
        let blocks = self
            .parents
            .ancestors(ident)
            .take_while(|a| !matches!(a.kind(), "function_item" | "closure_expression"))
            .filter(|a| a.kind() == "block");
        for block in blocks {
            let declaration = named_children(block).into_iter().rev().find(|statement| {
                statement.end_byte() <= ident.start_byte()
                    && statement.kind() == "let_declaration"
                    && statement
                        .child_by_field_name("pattern")
                        .is_some_and(|p| p.kind() == "identifier" && text(p, self.source) == name)
            });
            if let Some(declaration) = declaration {
                let mutable = named_children(declaration)
                    .iter()
                    .any(|child| child.kind() == "mutable_specifier");
                return (!mutable)
                    .then(|| declaration.child_by_field_name("value"))
                    .flatten();
            }
        }
        None
    }
}
