//! Functions of the file that receive the response object and only read it: an audit logger
//! that takes `c` for `c.get('requestId')` and `c.env`, a helper that reads `ctx.state.user`.
//! Handing the response to one of them leaves its headers in the handler's sight, since its
//! body is read as the handler's own would be: what no table names as writing, and no
//! assignment, changes nothing.

use tree_sitter::Node;

use super::Extractor;
use super::handlers::declared_functions;
use super::nodes::in_parameters_of;
use crate::node_util::{named_children, text, uses_of};

/// How many helpers deep a response object is followed (`audit(c)` calling `record(c)`).
const MAX_DEPTH: usize = 3;

impl<'s, 't> Extractor<'s, 't> {
    /// Whether `name`, an argument of a call, hands the response object to a function this file
    /// declares at its top level that only reads the parameter it lands in.
    pub(super) fn handed_to_reader(&mut self, name: Node<'t>) -> bool {
        self.handed_to_reader_within(name, 0)
    }

    fn handed_to_reader_within(&mut self, name: Node<'t>, depth: usize) -> bool {
        let Some((callee, index)) = self.argument_position(name) else {
            return false;
        };
        // The answer depends on another statement of the file: the facts of this one may not
        // be reused after an edit elsewhere.
        self.questions.look_outside();
        let Some(function) = self.top_level_function(callee) else {
            return false;
        };
        let key = (function.id(), index);
        if let Some(known) = self.readers.get(&key) {
            return *known;
        }
        // Until proven, a helper that hands the object back to itself is no reader.
        self.readers.insert(key, false);
        let reads = depth < MAX_DEPTH && self.only_reads_param(function, index, depth);
        self.readers.insert(key, reads);
        reads
    }

    /// The callee's name and the argument's position, for a plain call `helper(a, res)` with
    /// no spread before the argument.
    fn argument_position(&self, name: Node<'t>) -> Option<(&'s str, usize)> {
        let arguments = self.parents.parent(name)?;
        if arguments.kind() != "arguments" {
            return None;
        }
        let call = self.parents.parent(arguments)?;
        let callee = call.child_by_field_name("function")?;
        if call.kind() != "call_expression" || callee.kind() != "identifier" {
            return None;
        }
        let args = without_comments(arguments);
        let index = args.iter().position(|arg| arg.id() == name.id())?;
        let spread_before = args
            .iter()
            .take(index)
            .any(|arg| arg.kind() == "spread_element");
        (!spread_before).then(|| (text(callee, self.source), index))
    }

    /// The function a top-level statement of the file declares under `name`.
    fn top_level_function(&self, name: &str) -> Option<Node<'t>> {
        named_children(self.parents.root())
            .into_iter()
            .flat_map(declared_functions)
            .find(|(declared, _)| text(*declared, self.source) == name)
            .map(|(_, function)| function)
    }

    /// Whether the parameter at `index` of `function` is a plain name whose every use reads a
    /// member no table names as writing (`c.get(..)`, `c.env.DB`, `ctx.state.user`) or hands
    /// it to another reader.
    fn only_reads_param(&mut self, function: Node<'t>, index: usize, depth: usize) -> bool {
        let Some(param) = param_name(function, index, self.source) else {
            return false;
        };
        let in_params = in_parameters_of(function);
        let kinds = ["identifier", "shorthand_property_identifier"];
        let uses = uses_of(function, param, self.source, &kinds, in_params);
        uses.into_iter()
            .all(|used| self.reads_member(used) || self.handed_to_reader_within(used, depth + 1))
    }

    /// Whether one use is `p.member…` that adds no header: the member is no alias of the
    /// response or member whose changes are out of sight (`response`, `res`, `raw`), a call of
    /// it sets no header (`c.get(..)` reads; `c.json(body, 401)` builds a response of its own,
    /// `c.header(..)` or `res.location(..)` would write one), and the expression it starts is
    /// never assigned, updated or deleted.
    fn reads_member(&self, used: Node<'t>) -> bool {
        let Some(member) = self.parents.parent(used) else {
            return false;
        };
        let is_object = member.kind() == "member_expression"
            && member
                .child_by_field_name("object")
                .is_some_and(|object| object.id() == used.id());
        let Some(property) = member.child_by_field_name("property") else {
            return false;
        };
        let property = text(property, self.source);
        is_object
            && !self.reaches_out_of_sight(property)
            && !self.call_sets_header(member, property)
            && !self.is_written(member)
    }

    /// Whether a response table names `member` as an alias of the response (`response`) or a
    /// member whose changes are out of sight (`res`, `raw`).
    fn reaches_out_of_sight(&self, member: &str) -> bool {
        self.tables.iter().any(|table| {
            table.response.as_ref().is_some_and(|response| {
                response.aliases.iter().any(|alias| alias == member)
                    || response
                        .opaque_members
                        .iter()
                        .any(|opaque| opaque == member)
            })
        })
    }

    /// Whether `member` (`p.name`) is a response call of some table that may set a header
    /// where it is written: one that names or always sets a header or redirects, or one given
    /// an argument where headers (or an init object) may go. A member such a call names but
    /// taken as a value (`const send = c.json`) counts as setting one.
    fn call_sets_header(&self, member: Node<'t>, name: &str) -> bool {
        let mut entries = self
            .tables
            .iter()
            .flat_map(|table| table.calls.iter())
            .filter(|call| call.method == name)
            .peekable();
        if entries.peek().is_none() {
            return false;
        }
        let Some(args) = self
            .parents
            .parent(member)
            .filter(|call| {
                call.kind() == "call_expression"
                    && call
                        .child_by_field_name("function")
                        .is_some_and(|function| function.id() == member.id())
            })
            .and_then(|call| call.child_by_field_name("arguments"))
        else {
            return true;
        };
        let args = without_comments(args);
        let gives_headers = |index: Option<usize>| {
            index.is_some_and(|index| args.iter().skip(index).any(|arg| arg.kind() != "number"))
        };
        entries.any(|call| {
            call.sets_header.is_some()
                || call.header_name_arg.is_some()
                || call.redirect.is_some()
                || gives_headers(call.headers_arg)
                || gives_headers(call.init_arg)
                || gives_headers(call.options_arg)
        })
    }

    /// Whether the member expression `member`, or a longer one it starts
    /// (`ctx.state.user.id`), is assigned, updated or deleted.
    fn is_written(&self, member: Node<'t>) -> bool {
        let mut node = member;
        loop {
            let Some(parent) = self.parents.parent(node) else {
                return false;
            };
            match parent.kind() {
                "member_expression" | "subscript_expression"
                    if parent
                        .child_by_field_name("object")
                        .is_some_and(|object| object.id() == node.id()) =>
                {
                    node = parent;
                }
                "assignment_expression" | "augmented_assignment_expression" => {
                    return parent
                        .child_by_field_name("left")
                        .is_some_and(|left| left.id() == node.id());
                }
                "update_expression" => return true,
                "unary_expression" => {
                    return parent
                        .child_by_field_name("operator")
                        .is_some_and(|operator| text(operator, self.source) == "delete");
                }
                _ => return false,
            }
        }
    }
}

/// The name of a function's parameter at `index` when it is a plain name (TypeScript's typed
/// and optional parameters included); `None` for a pattern or a rest parameter.
fn param_name<'s>(function: Node<'_>, index: usize, source: &'s str) -> Option<&'s str> {
    let params = function.child_by_field_name("parameters");
    let param = match params {
        Some(params) => *without_comments(params).get(index)?,
        None => function
            .child_by_field_name("parameter")
            .filter(|_| index == 0)?,
    };
    let name = match param.kind() {
        "identifier" => param,
        "required_parameter" | "optional_parameter" => param.child_by_field_name("pattern")?,
        _ => return None,
    };
    (name.kind() == "identifier").then(|| text(name, source))
}

/// A list's entries, the comments between them left out.
fn without_comments(list: Node<'_>) -> Vec<Node<'_>> {
    named_children(list)
        .into_iter()
        .filter(|node| node.kind() != "comment")
        .collect()
}
