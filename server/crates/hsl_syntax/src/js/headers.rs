//! The headers a response shows: those its calls name, those set on the same object earlier in
//! an enclosing block, and whether anything out of the syntax's sight can add more.

use tree_sitter::Node;

use super::bodies::key_text;
use super::handlers::declares_param;
use super::nodes::in_parameters_of;
use super::responses::StepIndex;
use super::{Effect, Extractor, FUNCTION_KINDS, HandlerAnchor, ResponseStep};
use crate::node_util::uses_of;
use crate::node_util::{named_children, string_value, text};
use crate::paths::{Branching, exclusive};
use hsl_facts::{ByteRange, HeaderFact};

/// JavaScript's branches that exclude each other: the arms of an `if` or a ternary, and the
/// cases of a `switch` that end with a jump.
const BRANCHING: Branching = Branching {
    two_way: &[
        ("if_statement", "consequence", "alternative"),
        ("ternary_expression", "consequence", "alternative"),
    ],
    arm_lists: &[("switch_body", &["switch_case", "switch_default"])],
    jumps: &[
        "break_statement",
        "return_statement",
        "throw_statement",
        "continue_statement",
    ],
    blocks: &["statement_block"],
    exits: &["return_statement", "throw_statement"],
    functions: FUNCTION_KINDS,
};

/// A header the syntax names (in lower case), or headers it cannot name.
fn header_named<'t>(name: Option<String>, range: ByteRange) -> Effect<'t> {
    match name {
        Some(name) => Effect::Header(HeaderFact {
            name: name.to_ascii_lowercase(),
            range,
        }),
        None => Effect::OpaqueHeaders,
    }
}

/// The headers the syntax shows on one response, and whether they are all of them.
struct HeaderSight {
    headers: Vec<HeaderFact>,
    complete: bool,
}

impl HeaderSight {
    fn new() -> HeaderSight {
        HeaderSight {
            headers: Vec::new(),
            complete: true,
        }
    }

    /// Adds what one step shows: the headers it names; one it hands out of sight or whose
    /// headers the syntax cannot name makes the headers incomplete.
    fn add(&mut self, step: &ResponseStep<'_>) {
        self.complete &= !step.escapes;
        for effect in &step.effects {
            match effect {
                Effect::Header(header) => self.headers.push(header.clone()),
                Effect::OpaqueHeaders => self.complete = false,
                _ => {}
            }
        }
    }
}

/// Whether a step can change the response's headers.
fn touches_headers(step: &ResponseStep<'_>) -> bool {
    step.escapes
        || step
            .effects
            .iter()
            .any(|effect| matches!(effect, Effect::Header(_) | Effect::OpaqueHeaders))
}

impl<'t> Extractor<'_, 't> {
    /// Headers written in a call's argument: a name (`'Allow'`), an object (`{ Allow: 'GET' }`),
    /// `new Headers({..})`, or an array of pairs. Anything the syntax cannot name (a variable,
    /// a spread, a computed key) makes the headers opaque.
    pub(super) fn header_effects(&self, arg: Node<'t>, effects: &mut Vec<Effect<'t>>) {
        let Some(_level) = crate::depth::Nesting::enter() else {
            effects.push(Effect::OpaqueHeaders);
            return;
        };
        match arg.kind() {
            "object" => {
                let entries = named_children(arg).into_iter();
                effects.extend(entries.filter_map(|entry| self.entry_header(entry)));
            }
            "array" => {
                for element in named_children(arg) {
                    let name = (element.kind() == "array")
                        .then(|| named_children(element).into_iter().next())
                        .flatten()
                        .and_then(|name| string_value(name, self.source));
                    effects.push(header_named(name, element.byte_range()));
                }
            }
            "new_expression" => self.headers_object_effects(arg, effects),
            _ => effects.push(header_named(
                string_value(arg, self.source),
                arg.byte_range(),
            )),
        }
    }

    /// The header an entry of a headers object names (`Allow: 'GET'`, `allow`), or opaque
    /// headers for a computed key or a spread; nothing for a comment.
    fn entry_header(&self, entry: Node<'t>) -> Option<Effect<'t>> {
        let name = match entry.kind() {
            "pair" => entry
                .child_by_field_name("key")
                .filter(|key| key.kind() != "computed_property_name")
                .map(|key| key_text(key, self.source)),
            "shorthand_property_identifier" => Some(text(entry, self.source).to_string()),
            "comment" => return None,
            _ => None,
        };
        Some(header_named(name, entry.byte_range()))
    }

    /// `new Headers({..})` or `new Headers([..])`: the headers of its argument; any other
    /// object hides its headers.
    fn headers_object_effects(&self, construction: Node<'t>, effects: &mut Vec<Effect<'t>>) {
        let is_headers = construction
            .child_by_field_name("constructor")
            .is_some_and(|c| text(c, self.source) == "Headers");
        let init = construction
            .child_by_field_name("arguments")
            .and_then(|args| named_children(args).into_iter().next());
        match init {
            Some(init) if is_headers && matches!(init.kind(), "object" | "array") => {
                self.header_effects(init, effects);
            }
            None if is_headers => {}
            _ => effects.push(Effect::OpaqueHeaders),
        }
    }

    /// An options object of an error (http-errors props, Hono's `HTTPException` options): its
    /// `headers` are the response's; a whole `res` or anything not literal hides them.
    pub(super) fn options_effects(&self, arg: Node<'t>, effects: &mut Vec<Effect<'t>>) {
        match arg.kind() {
            "object" => {
                for child in named_children(arg) {
                    let key = match child.kind() {
                        "pair" => child
                            .child_by_field_name("key")
                            .map(|key| key_text(key, self.source)),
                        "shorthand_property_identifier" => {
                            Some(text(child, self.source).to_string())
                        }
                        "comment" => continue,
                        _ => None,
                    };
                    match (key.as_deref(), child.child_by_field_name("value")) {
                        (Some("headers"), Some(value)) => self.header_effects(value, effects),
                        (Some("headers" | "res"), _) | (None, _) => {
                            effects.push(Effect::OpaqueHeaders)
                        }
                        _ => {}
                    }
                }
            }
            // A message or a status; a name may hold options.
            "identifier" => effects.push(Effect::OpaqueHeaders),
            _ => {}
        }
    }

    /// A `ResponseInit` (`{ status: 201, headers: { .. } }`) or a bare status in its place.
    pub(super) fn init_effects(&self, arg: Node<'t>, effects: &mut Vec<Effect<'t>>) {
        if arg.kind() != "object" {
            if !matches!(arg.kind(), "undefined" | "null") {
                effects.push(self.status_effect(arg));
                if !matches!(arg.kind(), "number" | "member_expression") {
                    // `init` from a variable may carry headers.
                    effects.push(Effect::OpaqueHeaders);
                }
            }
            return;
        }
        for pair in named_children(arg) {
            match pair.kind() {
                "pair" => {
                    let (Some(key), Some(value)) = (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    if key.kind() == "computed_property_name" {
                        effects.push(Effect::OpaqueHeaders);
                        continue;
                    }
                    match key_text(key, self.source).as_str() {
                        "status" => effects.push(self.status_effect(value)),
                        "headers" => self.header_effects(value, effects),
                        _ => {}
                    }
                }
                // `{ status }` or `{ ...init }`: a status whose value is not written here.
                "shorthand_property_identifier" if text(pair, self.source) == "status" => {
                    effects.push(self.status_effect(pair));
                }
                "shorthand_property_identifier" if text(pair, self.source) == "headers" => {
                    effects.push(Effect::OpaqueHeaders);
                }
                "spread_element" => {
                    effects.push(self.status_effect(pair));
                    effects.push(Effect::OpaqueHeaders);
                }
                _ => {}
            }
        }
    }

    /// The headers the syntax shows on the response of `group`, and whether they are all of
    /// them: the group's own, those set on the same object earlier in an enclosing block of the
    /// handler, and nothing set where the syntax cannot follow (a variable, a spread, a helper
    /// the response is passed to, a branch that may or may not run).
    pub(super) fn visible_headers(
        &mut self,
        all: &StepIndex<'t>,
        number: usize,
        group: &[usize],
    ) -> (Vec<HeaderFact>, bool) {
        let mut sight = HeaderSight::new();
        for &index in group {
            sight.add(&all.steps[index]);
        }
        let (Some(&first), Some(&last)) = (group.first(), group.last()) else {
            return (sight.headers, false);
        };
        let first = &all.steps[first];
        let end = all.steps[last].end;
        match first.anchor {
            HandlerAnchor::Param => self.headers_on_param(all, number, first, end, &mut sight),
            HandlerAnchor::Enclosing => self.headers_of_decorators(all, first, &mut sight),
            HandlerAnchor::Function(_) => {}
        }
        (sight.headers, sight.complete)
    }

    /// For a response object a handler takes as a parameter (`res`): the headers set on it
    /// earlier in an enclosing block, and whether anything else in the handler may add one (a
    /// step in a branch, the object handed out of sight before the response was sent).
    fn headers_on_param(
        &mut self,
        all: &StepIndex<'t>,
        number: usize,
        first: &ResponseStep<'t>,
        end: usize,
        sight: &mut HeaderSight,
    ) {
        let Some(function) = self.parents.ancestors(first.node).find(|ancestor| {
            FUNCTION_KINDS.contains(&ancestor.kind())
                && declares_param(*ancestor, &first.root, self.source)
        }) else {
            sight.complete = false;
            return;
        };
        let blocks: Vec<usize> = self
            .parents
            .ancestors(first.node)
            .take_while(|ancestor| ancestor.id() != function.id())
            .filter(|ancestor| {
                matches!(
                    ancestor.kind(),
                    "statement_block" | "program" | "switch_case" | "switch_default"
                )
            })
            .map(|block| block.id())
            .collect();
        let finished = all.finished[number];
        for &index in all.within(&function.byte_range()) {
            let other = &all.steps[index];
            if all.group_of[index] == number || other.root != first.root || !touches_headers(other)
            {
                continue;
            }
            // A step on another branch never reaches this response.
            if exclusive(&self.parents, &BRANCHING, other.node, first.node) {
                continue;
            }
            let in_enclosing_block = other.block.is_some_and(|block| blocks.contains(&block));
            if in_enclosing_block && other.end <= first.start {
                sight.add(other);
                continue;
            }
            // Code after this one was sent, or another response sent before it.
            if (finished && other.start >= end)
                || (all.finished[all.group_of[index]] && other.end <= first.start)
            {
                continue;
            }
            // A status set and not sent yet is sent by what follows (`res.statusCode = 405;`
            // then `res.setHeader(..); res.end()`): what always follows sets its headers, what
            // follows on one branch only may or may not.
            if !finished && other.start >= end && in_enclosing_block {
                sight.add(other);
                continue;
            }
            sight.complete = false;
        }
        let escapes = self.escape_sites(function, &first.root);
        let on_this_path = |at: usize| {
            self.parents
                .root()
                .descendant_for_byte_range(at, at + 1)
                .is_none_or(|name| !exclusive(&self.parents, &BRANCHING, name, first.node))
        };
        if escapes
            .iter()
            .any(|&at| (!finished || at < end) && on_this_path(at))
        {
            sight.complete = false;
        }
    }

    /// A NestJS exception thrown from a method with `@Header(..)` decorators carries their
    /// headers (they are set before the method runs).
    fn headers_of_decorators(
        &self,
        all: &StepIndex<'t>,
        first: &ResponseStep<'t>,
        sight: &mut HeaderSight,
    ) {
        let Some(function) = self
            .parents
            .ancestors(first.node)
            .find(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()))
        else {
            return;
        };
        for &index in &all.decorated {
            let other = &all.steps[index];
            if let HandlerAnchor::Function(method) = other.anchor
                && method.id() == function.id()
            {
                sight.add(other);
            }
        }
    }

    /// Where, in `function`, the response object `root` leaves the syntax's sight: passed to a
    /// call (unless to a function of the file that only reads it), bound to another name, put in an object or array, or reached through a member
    /// that sets headers out of the tables' sight (`reply.raw`, `ctx.res`).
    pub(super) fn escape_sites(&mut self, function: Node<'t>, root: &str) -> Vec<usize> {
        let key = (function.id(), root.to_string());
        if let Some(found) = self.escape_cache.get(&key) {
            return found.clone();
        }
        let opaque_members: Vec<&str> = self
            .tables
            .iter()
            .filter_map(|table| table.response.as_ref())
            .filter(|response| response.names.iter().any(|name| name == root))
            .flat_map(|response| response.opaque_members.iter().map(String::as_str))
            .collect();
        let in_params = in_parameters_of(function);
        let kinds = ["identifier", "shorthand_property_identifier", "this"];
        let uses = uses_of(function, root, self.source, &kinds, in_params);
        let mut found = Vec::new();
        for name in uses {
            if self.use_escapes(name, &opaque_members) && !self.handed_to_reader(name) {
                found.push(name.start_byte());
            }
        }
        self.escape_cache.insert(key, found.clone());
        found
    }

    /// Whether one use of the response object's name hands it out of sight: shorthand in an
    /// object, an argument, an element, a value bound or assigned, or a member whose headers the
    /// tables cannot see.
    fn use_escapes(&self, name: Node<'t>, opaque_members: &[&str]) -> bool {
        if name.kind() == "shorthand_property_identifier" {
            return true;
        }
        let is_value = |parent: Node<'t>, field: &str| {
            parent
                .child_by_field_name(field)
                .is_some_and(|value| value.id() == name.id())
        };
        self.parents
            .parent(name)
            .is_some_and(|parent| match parent.kind() {
                "arguments" | "array" | "spread_element" => true,
                "variable_declarator" | "pair" => is_value(parent, "value"),
                "assignment_expression" => is_value(parent, "right"),
                "member_expression" => parent
                    .child_by_field_name("property")
                    .is_some_and(|p| opaque_members.contains(&text(p, self.source))),
                _ => false,
            })
    }
}
