//! Types that carry their status as a const generic argument: `pub struct Sent<const CODE: u16,
//! T>(pub T)` whose conversion (`impl<const CODE: u16, T> IntoResponse for Sent<CODE, T>`)
//! builds `StatusCode::from_u16(CODE)`, and the handlers that answer with one by naming it in
//! their return type (`-> Result<Sent<201, Item>, AppError>`).
//!
//! The status is written where the type is used, not where the response is built, so the
//! conversion becomes a helper of the project whose status is the type's argument, and each
//! use a call of it that the workspace index resolves, in this file or another.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::path_segments;
use crate::node_util::{integer_value, named_children, text};
use hsl_facts::{
    Argument, CallForm, HelperBody, HelperCall, HelperStatus, Location, ResponseHelper, SiteRole,
    Spelling, StatusSite,
};

/// The result types a handler's own response type may be wrapped in (`Result<Sent<201, T>>`);
/// a type inside anything else (a tuple that adds headers, a list) is not the whole response.
const RESULT_TYPES: &[&str] = &["Result"];

impl<'t> Extractor<'_, 't> {
    /// `StatusCode::from_u16(CODE)` where `CODE` is a const parameter of the impl around it
    /// and the function is the impl's conversion into a response: the impl's type sends the
    /// argument its users write in `CODE`'s place, with this response's headers.
    pub(super) fn status_type_parameter(&mut self, call: Node<'t>, arg: Node<'t>) {
        let Some((type_name, type_node, index)) = self.const_status_parameter(call, arg) else {
            return;
        };
        let mut shape = self.response_shape(call);
        if shape.role != SiteRole::Sets {
            return;
        }
        let headers_complete = self.headers_complete(call, &mut shape.headers);
        self.facts.helpers.push(ResponseHelper {
            name: type_name,
            owner: None,
            defined: Location {
                path: None,
                range: type_node.byte_range(),
            },
            status: HelperStatus::TypeArgument { index },
            headers: shape.headers,
            headers_complete,
            body: HelperBody::Unknown,
        });
    }

    /// The type an impl converts, the node naming it and the position of the const parameter
    /// `arg` among its arguments, when `call` lies in a method of `impl<const CODE: u16, ..>
    /// Trait for Type<.., CODE, ..>` and the trait is a table's conversion into a response.
    fn const_status_parameter(
        &self,
        call: Node<'t>,
        arg: Node<'t>,
    ) -> Option<(String, Node<'t>, usize)> {
        if arg.kind() != "identifier" {
            return None;
        }
        let parameter = text(arg, self.source);
        let function = self
            .parents
            .ancestors(call)
            .find(|ancestor| ancestor.kind() == "function_item")?;
        let implementation = self
            .parents
            .parent(function)
            .filter(|p| p.kind() == "declaration_list")
            .and_then(|list| self.parents.parent(list))
            .filter(|p| p.kind() == "impl_item")?;
        let trait_segments = path_segments(
            base_type(implementation.child_by_field_name("trait")?),
            self.source,
        );
        let trait_name = trait_segments.last()?;
        let converts = self
            .tables
            .iter()
            .any(|table| table.error_traits.contains(trait_name));
        let declared = implementation
            .child_by_field_name("type_parameters")
            .is_some_and(|list| self.declares_const(list, parameter));
        if !converts || !declared {
            return None;
        }
        let converted = implementation.child_by_field_name("type")?;
        let arguments = converted.child_by_field_name("type_arguments")?;
        let index = named_children(arguments)
            .iter()
            .position(|argument| text(*argument, self.source) == parameter)?;
        let name_node = base_type(converted);
        let name = path_segments(name_node, self.source).pop()?;
        Some((name, name_node, index))
    }

    /// Whether a list of generic parameters declares `const <name>: ..`.
    fn declares_const(&self, parameters: Node<'t>, name: &str) -> bool {
        named_children(parameters).iter().any(|parameter| {
            parameter.kind() == "const_parameter"
                && parameter
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n, self.source) == name)
        })
    }

    /// A function whose return type is a type written with a status among its arguments
    /// (`-> Sent<201, Item>`, `-> Result<Sent<201, Item>, AppError>`): a call of that type
    /// the index answers when the project's type sends that argument.
    pub(super) fn status_type_use(&mut self, return_type: Node<'t>) {
        let Some(function) = self
            .parents
            .parent(return_type)
            .filter(|p| p.kind() == "function_item")
        else {
            return;
        };
        let Some(used) = self.answered_type(return_type) else {
            return;
        };
        let Some(arguments) = used.child_by_field_name("type_arguments") else {
            return;
        };
        let args: Vec<Argument> = named_children(arguments)
            .into_iter()
            .map(|argument| self.type_argument(argument))
            .collect();
        let Some(name_range) = args.iter().find_map(|argument| match argument {
            Argument::Status(site) => Some(site.range.clone()),
            _ => None,
        }) else {
            return;
        };
        let callee = path_segments(base_type(used), self.source);
        let handler = self.handler_id(function);
        let handler_range = self.facts.handlers.get(handler).map(|h| h.range.clone());
        let context = super::contexts::context_of(&self.parents, used, handler_range, self.source);
        self.facts.helper_calls.push(HelperCall {
            callee,
            range: used.byte_range(),
            name_range,
            args,
            context,
            handler: Some(handler),
            form: CallForm::TypeArguments,
        });
    }

    /// The generic type a return type answers with: the type itself, or the success type of
    /// a `Result`.
    fn answered_type(&self, return_type: Node<'t>) -> Option<Node<'t>> {
        if return_type.kind() != "generic_type" {
            return None;
        }
        let base = path_segments(base_type(return_type), self.source);
        let in_result = base
            .last()
            .is_some_and(|last| RESULT_TYPES.contains(&last.as_str()));
        if !in_result {
            return Some(return_type);
        }
        let arguments = return_type.child_by_field_name("type_arguments")?;
        named_children(arguments)
            .into_iter()
            .next()
            .filter(|first| first.kind() == "generic_type")
    }

    /// A type argument as a call's argument: a number of the status range is a status.
    fn type_argument(&self, argument: Node<'t>) -> Argument {
        let code = (argument.kind() == "integer_literal")
            .then(|| integer_value(argument, self.source))
            .flatten()
            .and_then(|value| u16::try_from(value).ok())
            .filter(|code| (100..=599).contains(code));
        let Some(code) = code else {
            return Argument::Other;
        };
        let framework = self
            .tables
            .iter()
            .find(|table| self.facts.frameworks.contains(&table.id))
            .or_else(|| self.tables.first())
            .map(|table| table.id.clone())
            .unwrap_or_default();
        Argument::Status(StatusSite {
            code: Some(code),
            spelling: Spelling::Number,
            range: argument.byte_range(),
            framework,
        })
    }
}

/// The path a possibly generic type is named by (`Sent` of `Sent<CODE, T>`).
fn base_type(node: Node<'_>) -> Node<'_> {
    match node.kind() {
        "generic_type" => node.child_by_field_name("type").unwrap_or(node),
        _ => node,
    }
}
