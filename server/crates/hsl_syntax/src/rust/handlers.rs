//! Handlers: the function items, registered closures and method branches responses belong to.

use tree_sitter::Node;

use super::Extractor;
use super::imports::inline_module_path;
use super::nodes::path_segments;
use crate::node_util::{named_children, text};
use hsl_facts::{Handler, HandlerId};

impl<'t> Extractor<'_, 't> {
    /// The handler for a function, closure or method branch, created on first sight.
    pub(super) fn handler_id(&mut self, function: Node<'t>) -> HandlerId {
        let range = function.byte_range();
        let (error_type, params, error_aliases) = match self.handler_table.at(&range) {
            Some(_) => (None, Vec::new(), Vec::new()),
            None => match self.error_type_converted_by(function) {
                Some(converted) => {
                    let aliases = self.result_aliases_of(&converted);
                    (Some(converted), Vec::new(), aliases)
                }
                None => self
                    .error_type_matched_by(function)
                    .map_or((None, Vec::new(), Vec::new()), |(ty, param)| {
                        (Some(ty), vec![param], Vec::new())
                    }),
            },
        };
        let typed_path = self.typed_path_of(function);
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
                error_aliases: error_aliases.clone(),
                response_type: false,
                default_export: false,
                declared: None,
                escapes: super::conditions::escapes(function),
                authenticates: false,
                params: params.clone(),
                bindings: Vec::new(),
                body_calls: Vec::new(),
                in_browser: false,
                typed_path: typed_path.clone(),
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

    /// The error type a free function maps to responses, with its parameter's name: `fn
    /// to_response(error: TcpError) -> HttpResponse { match error { TcpError::BadRequest(_) =>
    /// .. } }`, a conversion the project applies by hand (`.unwrap_or_else(to_response)`)
    /// rather than through a trait. Its one parameter is of a type of the project, matched
    /// with arms that name that type's variants.
    fn error_type_matched_by(&self, function: Node<'t>) -> Option<(String, String)> {
        let in_impl = self
            .parents
            .parent(function)
            .filter(|p| p.kind() == "declaration_list")
            .and_then(|list| self.parents.parent(list))
            .is_some_and(|p| p.kind() == "impl_item");
        if in_impl {
            return None;
        }
        let parameters = function.child_by_field_name("parameters")?;
        let listed = named_children(parameters);
        let [parameter] = listed.as_slice() else {
            return None;
        };
        let param = parameter
            .child_by_field_name("pattern")
            .filter(|p| p.kind() == "identifier")?;
        let mut ty = parameter.child_by_field_name("type")?;
        if ty.kind() == "reference_type" {
            ty = ty.child_by_field_name("type")?;
        }
        if !matches!(ty.kind(), "type_identifier" | "scoped_type_identifier") {
            return None;
        }
        let type_name = path_segments(ty, self.source).pop()?;
        let param_name = text(param, self.source).to_string();
        let body = function.child_by_field_name("body")?;
        self.matches_variants_of(body, &param_name, &type_name)
            .then_some((type_name, param_name))
    }

    /// Whether `body` holds `match <param> { .. }` with an arm naming a variant of
    /// `type_name` (`TcpError::BadRequest(_)`), outside any closure or nested function.
    fn matches_variants_of(&self, body: Node<'t>, param: &str, type_name: &str) -> bool {
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            if node.kind() == "match_expression"
                && node
                    .child_by_field_name("value")
                    .is_some_and(|value| text(value, self.source) == param)
                && self.arms_name_type(node, type_name)
            {
                return true;
            }
            if matches!(node.kind(), "closure_expression" | "function_item") {
                continue;
            }
            stack.extend(named_children(node));
        }
        false
    }

    /// Whether an arm of a `match` names `type_name::Variant` in its pattern.
    fn arms_name_type(&self, match_expression: Node<'t>, type_name: &str) -> bool {
        let Some(block) = match_expression.child_by_field_name("body") else {
            return false;
        };
        let prefix = format!("{type_name}::");
        named_children(block).iter().any(|arm| {
            arm.child_by_field_name("pattern")
                .is_some_and(|pattern| text(pattern, self.source).contains(&prefix))
        })
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
