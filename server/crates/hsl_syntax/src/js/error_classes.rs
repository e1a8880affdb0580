//! Error classes of the project that carry an HTTP status: a class that extends another and
//! whose constructor sets `this.status` or `this.statusCode` (`class CustomError extends Error
//! { constructor(message, statusCode = 500) { …; this.statusCode = statusCode; } }`). Frameworks
//! and error middleware send a thrown error's `status`, so `throw new CustomError("gone")`
//! sends the default and `throw new CustomError("x", 404)` sends 404. Such a class is recorded
//! as a helper whose status is that constructor argument.

use tree_sitter::Node;

use super::Extractor;
use crate::node_util::{integer_value, named_children, text};
use hsl_facts::{HelperBody, HelperStatus, Location, ResponseHelper};
use hsl_tables::ERROR_STATUS_PROPERTIES;

impl<'t> Extractor<'_, 't> {
    /// Records the error classes that `assigns` (assignments of the statement) give a status.
    pub(super) fn record_error_classes(&mut self, assigns: &[Node<'t>]) {
        for &assign in assigns {
            if let Some(helper) = self.error_class_of(assign)
                && !self
                    .facts
                    .helpers
                    .iter()
                    .any(|known| known.name == helper.name)
            {
                self.facts.helpers.push(helper);
            }
        }
    }

    /// The class whose constructor makes this assignment, when it is `this.status = …` in the
    /// constructor of a class that extends another.
    fn error_class_of(&self, assign: Node<'t>) -> Option<ResponseHelper> {
        let left = assign.child_by_field_name("left")?;
        let object = left.child_by_field_name("object")?;
        let property = text(left.child_by_field_name("property")?, self.source);
        if object.kind() != "this" || !ERROR_STATUS_PROPERTIES.contains(&property) {
            return None;
        }
        let constructor = self
            .parents
            .ancestors(assign)
            .find(|ancestor| ancestor.kind() == "method_definition")?;
        let name = constructor.child_by_field_name("name")?;
        if text(name, self.source) != "constructor" {
            return None;
        }
        let class = self
            .parents
            .ancestors(constructor)
            .find(|ancestor| matches!(ancestor.kind(), "class_declaration" | "class"))?;
        let extends = named_children(class)
            .into_iter()
            .any(|child| child.kind() == "class_heritage");
        let class_name = class.child_by_field_name("name")?;
        if !extends {
            return None;
        }
        let params = constructor
            .child_by_field_name("parameters")
            .map(named_children)
            .unwrap_or_default();
        let status = self.assigned_status(assign.child_by_field_name("right")?, &params)?;
        Some(ResponseHelper {
            name: text(class_name, self.source).to_string(),
            owner: None,
            defined: Location {
                path: None,
                range: class_name.byte_range(),
            },
            status,
            headers: Vec::new(),
            headers_complete: false,
            body: HelperBody::Unknown,
        })
    }

    /// The status an assignment's value gives: a number, a parameter (with its default), or a
    /// parameter with a fallback (`statusCode ?? 500`, `status || 500`).
    fn assigned_status(&self, value: Node<'t>, params: &[Node<'t>]) -> Option<HelperStatus> {
        if let Some(code) = self.status_number(value) {
            return Some(HelperStatus::Fixed(code));
        }
        let (name, fallback) = match value.kind() {
            "identifier" => (text(value, self.source), None),
            "binary_expression" => {
                let operator = value.child_by_field_name("operator")?;
                if !matches!(operator.kind(), "??" | "||") {
                    return None;
                }
                let left = value.child_by_field_name("left")?;
                let right = value.child_by_field_name("right")?;
                if left.kind() != "identifier" {
                    return None;
                }
                (text(left, self.source), Some(self.status_number(right)?))
            }
            _ => return None,
        };
        let (index, default) = params.iter().enumerate().find_map(|(index, param)| {
            let (param_name, default) = match param.kind() {
                "identifier" | "required_parameter" | "optional_parameter" => {
                    let pattern = param.child_by_field_name("pattern").unwrap_or(*param);
                    let value = param.child_by_field_name("value");
                    (pattern, value)
                }
                "assignment_pattern" => (
                    param.child_by_field_name("left")?,
                    param.child_by_field_name("right"),
                ),
                _ => return None,
            };
            (text(param_name, self.source) == name)
                .then(|| (index, default.and_then(|d| self.status_number(d))))
        })?;
        Some(HelperStatus::Argument {
            index,
            default: default.or(fallback),
        })
    }

    /// A number that is a status (100–999).
    fn status_number(&self, node: Node<'t>) -> Option<u16> {
        if node.kind() != "number" {
            return None;
        }
        integer_value(node, self.source)
            .and_then(|n| u16::try_from(n).ok())
            .filter(|code| (100..=999).contains(code))
    }
}
