//! Handlers: the function items, registered closures and method branches responses belong to.

use tree_sitter::Node;

use super::Extractor;
use super::imports::inline_module_path;
use crate::node_util::text;
use hsl_facts::{Handler, HandlerId};

impl<'t> Extractor<'_, 't> {
    /// The handler for a function, closure or method branch, created on first sight.
    pub(super) fn handler_id(&mut self, function: Node<'t>) -> HandlerId {
        let range = function.byte_range();
        let error_type = match self.handler_table.at(&range) {
            Some(_) => None,
            None => self.error_type_converted_by(function),
        };
        let new = || {
            let name_node = function.child_by_field_name("name");
            // A function in an inline `mod` is not the file's item of that name: registrations
            // elsewhere cannot name it by its name alone (`register` resolves the ones in this
            // file).
            let in_inline_module =
                inline_module_path(&self.parents, function, self.source).is_some();
            Handler {
                name: name_node
                    .filter(|_| !in_inline_module)
                    .map(|name| text(name, self.source).to_string()),
                range: range.clone(),
                // Closures are pointed at by their parameter list.
                name_range: name_node
                    .or_else(|| function.child_by_field_name("parameters"))
                    .map_or(function.start_byte()..function.start_byte(), |n| {
                        n.byte_range()
                    }),
                methods: Vec::new(),
                words: super::conditions::summary(function, self.source),
                error_type,
                response_type: false,
                default_export: false,
                declared: None,
                escapes: super::conditions::escapes(function),
                authenticates: false,
                params: Vec::new(),
                bindings: Vec::new(),
            }
        };
        self.handler_table
            .id_of(&mut self.facts.handlers, &range, new)
    }

    /// The type whose values `function` turns into responses: `AppError` when `function` is a
    /// method of `impl IntoResponse for AppError` (the traits are the tables' `error_traits`).
    fn error_type_converted_by(&self, function: Node<'t>) -> Option<String> {
        let declarations = self
            .parents
            .parent(function)
            .filter(|p| p.kind() == "declaration_list")?;
        let implementation = self
            .parents
            .parent(declarations)
            .filter(|p| p.kind() == "impl_item")?;
        let last_name = |node: Node<'t>| {
            let text = text(node, self.source);
            let text = text.split('<').next().unwrap_or(text);
            text.rsplit("::").next().unwrap_or(text).trim().to_string()
        };
        let trait_name = last_name(implementation.child_by_field_name("trait")?);
        let converts = self
            .tables
            .iter()
            .any(|table| table.error_traits.contains(&trait_name));
        if !converts {
            return None;
        }
        Some(last_name(implementation.child_by_field_name("type")?))
    }

    /// The registered closure or the function item a site is in.
    pub(super) fn enclosing_handler(&mut self, node: Node<'t>) -> Option<HandlerId> {
        let ancestors: Vec<Node<'t>> = self.parents.ancestors(node).collect();
        for ancestor in ancestors {
            // A registered closure, or a branch on the request's method (a match arm, a block).
            if matches!(
                ancestor.kind(),
                "closure_expression" | "match_arm" | "block"
            ) && let Some(id) = self.handler_table.get(ancestor)
            {
                return Some(id);
            }
            if ancestor.kind() == "function_item" {
                return Some(self.handler_id(ancestor));
            }
        }
        None
    }
}
