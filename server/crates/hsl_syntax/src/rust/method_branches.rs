//! Branches on the request's method (`match *req.method() { Method::POST => .. }`, `if
//! req.method() == Method::POST`): each is a handler of its own for its methods.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{last_two, path_segments, strip_refs};
use crate::handlers::prove_route;
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{ByteRange, Method, MethodSource};

impl<'t> Extractor<'_, 't> {
    /// The tables that read branches on the request's method, with the method type's name.
    pub(super) fn method_branch_tables(
        &self,
    ) -> Vec<(&'static hsl_tables::MethodBranches, &'static str)> {
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
    pub(super) fn is_request_method(&self, node: Node<'t>) -> bool {
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
    pub(super) fn method_values(&self, node: Node<'t>) -> Vec<(Method, ByteRange)> {
        let Some(_level) = crate::depth::Nesting::enter() else {
            return Vec::new();
        };
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

    /// Makes a branch (a match arm, an `if` block) a handler of its own for `methods`, on
    /// `path` when the branch also names the request's path.
    pub(super) fn branch_handler(
        &mut self,
        branch: Node<'t>,
        methods: Vec<(Method, ByteRange)>,
        path: Option<String>,
    ) {
        let Some(first) = methods.first().map(|(_, range)| range.clone()) else {
            return;
        };
        let id = self.handler_id(branch);
        if let Some(handler) = self.facts.handlers.get_mut(id) {
            handler.name_range = first;
        }
        for (method, range) in methods {
            prove_route(
                &mut self.facts.handlers,
                id,
                method,
                (MethodSource::Branch, range),
                path.clone(),
            );
        }
    }

    /// `match (req.method(), req.uri().path()) { (&Method::POST, "/x") => .. }` and
    /// `match *req.method() { Method::POST => .. }`: each arm serves its methods.
    pub(super) fn collect_match_branches(&mut self, node: Node<'t>) {
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
        // The tuple's element that reads the request's path (`req.uri().path()`), if any.
        let path_index = index.and_then(|_| {
            named_children(value)
                .iter()
                .position(|element| self.reads_request_path(*element))
        });
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
            let path = path_index
                .and_then(|index| named_children(pattern).get(index).copied())
                .and_then(|element| literal_path(element, self.source));
            if !methods.is_empty() {
                self.branch_handler(arm, methods, path);
            }
        }
    }

    /// `if req.method() == Method::POST { .. }`, also joined with `&&`: the block serves POST.
    pub(super) fn collect_if_branch(&mut self, node: Node<'t>) {
        let (Some(condition), Some(consequence)) = (
            node.child_by_field_name("condition"),
            node.child_by_field_name("consequence"),
        ) else {
            return;
        };
        let methods = self.condition_methods(condition);
        if !methods.is_empty() {
            let path = self.condition_path(condition);
            self.branch_handler(consequence, methods, path);
        }
    }

    /// Whether `node` reads the request's path as some table names it (`req.uri().path()`).
    fn reads_request_path(&self, node: Node<'t>) -> bool {
        let written = text(strip_refs(node), self.source);
        self.method_branch_tables()
            .iter()
            .any(|(branches, _)| branches.reads_path(written))
    }

    /// The path an `if` condition tests beside the method: `req.uri().path() == "/login"`, a
    /// conjunct of `&&`, a literal that starts with `/`.
    fn condition_path(&self, condition: Node<'t>) -> Option<String> {
        let _level = crate::depth::Nesting::enter()?;
        let condition = strip_refs(condition);
        if condition.kind() != "binary_expression" {
            return None;
        }
        let left = condition.child_by_field_name("left")?;
        let operator = condition.child_by_field_name("operator")?;
        let right = condition.child_by_field_name("right")?;
        match text(operator, self.source) {
            "&&" => self
                .condition_path(left)
                .or_else(|| self.condition_path(right)),
            "==" if self.reads_request_path(left) => literal_path(right, self.source),
            "==" if self.reads_request_path(right) => literal_path(left, self.source),
            _ => None,
        }
    }

    /// The methods an `if` condition tests (`req.method() == Method::POST`, also in `&&`).
    pub(super) fn condition_methods(&self, condition: Node<'t>) -> Vec<(Method, ByteRange)> {
        let Some(_level) = crate::depth::Nesting::enter() else {
            return Vec::new();
        };
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
}

/// A string literal naming a path (`"/login"`), in a pattern or an expression.
fn literal_path(node: Node<'_>, source: &str) -> Option<String> {
    string_value(strip_refs(node), source).filter(|path| path.starts_with('/'))
}
