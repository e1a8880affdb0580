//! Error classes of the project that carry an HTTP status: a class that extends another and
//! whose constructor sets `this.status` or `this.statusCode` (`class CustomError extends Error
//! { constructor(message, statusCode = 500) { …; this.statusCode = statusCode; } }`). Frameworks
//! and error middleware send a thrown error's `status`, so `throw new CustomError("gone")`
//! sends the default and `throw new CustomError("x", 404)` sends 404. Such a class is recorded
//! as a helper whose status is that constructor argument.
//!
//! A class whose constructor keeps a code name instead (`this.code = code`, from a parameter
//! or a field of an options object) is recorded as a helper keyed by that argument: the
//! project's error handler looks the name up in a map of names to statuses, which the
//! workspace index finds among the maps the class's file defines or imports.

use tree_sitter::Node;

use super::Extractor;
use crate::node_util::{integer_value, named_children, text};
use hsl_facts::{HelperBody, HelperStatus, Location, ResponseHelper};
use hsl_tables::{ERROR_CODE_PROPERTIES, ERROR_STATUS_PROPERTIES};

impl<'t> Extractor<'_, 't> {
    /// Records the error classes that `assigns` (assignments of the statement) give a status.
    pub(super) fn record_error_classes(&mut self, assigns: &[Node<'t>]) {
        for &assign in assigns {
            let Some(helper) = self.error_class_of(assign) else {
                continue;
            };
            let known = self
                .facts
                .helpers
                .iter_mut()
                .find(|known| known.name == helper.name);
            match known {
                None => self.facts.helpers.push(helper),
                // A status the class sets is what it sends, whatever code name it also keeps.
                Some(known)
                    if matches!(known.status, HelperStatus::Keyed { .. })
                        && !matches!(helper.status, HelperStatus::Keyed { .. }) =>
                {
                    *known = helper;
                }
                Some(_) => {}
            }
        }
    }

    /// The class whose constructor makes this assignment, when it is `this.status = …` (or
    /// `this.code = …`) in the constructor of a class that extends another.
    fn error_class_of(&self, assign: Node<'t>) -> Option<ResponseHelper> {
        let left = assign.child_by_field_name("left")?;
        let object = left.child_by_field_name("object")?;
        let property = text(left.child_by_field_name("property")?, self.source);
        let keyed = ERROR_CODE_PROPERTIES.contains(&property);
        if object.kind() != "this" || !(keyed || ERROR_STATUS_PROPERTIES.contains(&property)) {
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
        let value = assign.child_by_field_name("right")?;
        let status = if keyed {
            self.assigned_key(value, &params)?
        } else {
            self.assigned_status(value, &params)?
        };
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

    /// The argument a code name comes from: a parameter (`this.code = code`), or a field of an
    /// object parameter it is destructured from (`constructor({ code, message })`).
    fn assigned_key(&self, value: Node<'t>, params: &[Node<'t>]) -> Option<HelperStatus> {
        if value.kind() != "identifier" {
            return None;
        }
        let name = text(value, self.source);
        params.iter().enumerate().find_map(|(index, param)| {
            let pattern = match param.kind() {
                "required_parameter" | "optional_parameter" => {
                    param.child_by_field_name("pattern")?
                }
                "assignment_pattern" => param.child_by_field_name("left")?,
                _ => *param,
            };
            match pattern.kind() {
                "identifier" => {
                    (text(pattern, self.source) == name).then_some(HelperStatus::Keyed {
                        index,
                        property: None,
                    })
                }
                "object_pattern" => named_children(pattern)
                    .into_iter()
                    .any(|field| {
                        field.kind() == "shorthand_property_identifier_pattern"
                            && text(field, self.source) == name
                    })
                    .then(|| HelperStatus::Keyed {
                        index,
                        property: Some(name.to_string()),
                    }),
                _ => None,
            }
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
