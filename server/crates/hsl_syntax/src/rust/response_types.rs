//! Response types: an enum or struct whose variants declare their status in an attribute
//! (poem-openapi `#[derive(ApiResponse)]`, Rocket `#[derive(Responder)]`), the headers they
//! declare, and the endpoints that return them.
//!
//! A response type stands as a handler of its own, named like the type; an endpoint whose
//! method an attribute proves registers, for that method, every type its return type names. The
//! workspace index then resolves the type's methods as it resolves a handler's, in this file or
//! another.

use tree_sitter::Node;

use super::Extractor;
use super::imports::inline_module_path;
use super::nodes::{collect_leaves, path_segments};
use crate::node_util::{integer_value, named_children, string_value, text};
use hsl_facts::{ByteRange, Handler, HandlerId, HandlerRef, HeaderFact, Method};
use hsl_facts::{RegistrationKind, RouteRegistration, Words};

/// Type names a return type is built from that name no response type of the project.
const PLAIN_TYPES: &[&str] = &["Result", "Option", "Box", "Vec", "String", "Self"];

impl<'t> Extractor<'_, 't> {
    /// The handler that stands for the response type `target` belongs to: the struct itself,
    /// or the enum of a variant.
    pub(super) fn response_type_handler(&mut self, target: Node<'t>) -> Option<HandlerId> {
        let item = if target.kind() == "struct_item" {
            target
        } else {
            self.parents
                .ancestors(target)
                .find(|ancestor| ancestor.kind() == "enum_item")?
        };
        let name_node = item.child_by_field_name("name")?;
        // A type in an inline `mod` is not the file's item of that name.
        let name = inline_module_path(&self.parents, item, self.source)
            .is_none()
            .then(|| text(name_node, self.source).to_string());
        let range = item.byte_range();
        let new = || Handler {
            name,
            range: range.clone(),
            name_range: name_node.byte_range(),
            methods: Vec::new(),
            words: Words::default(),
            error_type: None,
            error_aliases: Vec::new(),
            response_type: true,
            default_export: false,
            declared: None,
            escapes: Vec::new(),
            authenticates: false,
            params: Vec::new(),
            bindings: Vec::new(),
            body_calls: Vec::new(),
            in_browser: false,
            typed_path: None,
        };
        Some(
            self.handler_table
                .id_of(&mut self.facts.handlers, &range, new),
        )
    }

    /// The headers a response type's variant (or struct) `target` declares, and whether they
    /// are all its response gets. With a `header_key` (poem-openapi), the fields marked
    /// `#[oai(header = "X-Id")]` are headers and the others the payload, which adds none, and
    /// `#[oai(header(name = "X", ..))]` on the variant or its enum declares a header something
    /// else sets. Without one (Rocket), the first field is the responder and every other field
    /// a header whose name only its type knows: the list is complete only for a lone field
    /// whose type is a body.
    pub(super) fn declared_headers(
        &self,
        target: Node<'t>,
        attribute_name: &str,
        header_key: Option<&str>,
        body_known: bool,
    ) -> (Vec<HeaderFact>, bool) {
        let Some(key) = header_key else {
            let fields = self.responder_fields(target);
            return (Vec::new(), fields == 1 && body_known);
        };
        let mut headers = Vec::new();
        if let Some(list) = target.child_by_field_name("body") {
            for child in named_children(list) {
                if child.kind() == "attribute_item" {
                    self.assigned_header(child, key, &mut headers);
                }
            }
        }
        let mut owners = vec![target];
        owners.extend(
            self.parents
                .ancestors(target)
                .find(|ancestor| ancestor.kind() == "enum_item"),
        );
        for owner in owners {
            for attribute in self.attributes_before(owner) {
                self.listed_headers(attribute, attribute_name, key, &mut headers);
            }
        }
        (headers, true)
    }

    /// Whether the file returns the response type `name` inside a wrapper that may add
    /// headers to it (`Response<Name>`, poem-openapi `payload::Response`). A question about the
    /// rest of the file: the answer decides whether the type's headers are all seen.
    pub(super) fn wrapped_elsewhere(&mut self, name: &str) -> bool {
        let question = format!("is the response type `{name}` wrapped where headers are added?");
        let answer = match self.questions.get_mut().known(&question) {
            Some(answer) => answer,
            None => {
                let wrappers: Vec<&str> = self
                    .tables
                    .iter()
                    .flat_map(|table| &table.response_type_wrappers)
                    .map(String::as_str)
                    .collect();
                let answer = wraps_named(self.source, &wrappers, name);
                self.questions.get_mut().learn(&question, answer);
                answer
            }
        };
        self.questions.get_mut().depend_on(&question, answer);
        answer
    }

    /// The attribute items written right before an item (or a variant), nearest last.
    pub(super) fn attributes_before(&self, item: Node<'t>) -> Vec<Node<'t>> {
        let Some(parent) = self.parents.parent(item) else {
            return Vec::new();
        };
        let siblings = named_children(parent);
        let Some(at) = siblings
            .iter()
            .position(|sibling| sibling.id() == item.id())
        else {
            return Vec::new();
        };
        let mut found: Vec<Node<'t>> = siblings
            .iter()
            .take(at)
            .rev()
            .take_while(|sibling| {
                matches!(
                    sibling.kind(),
                    "attribute_item" | "line_comment" | "block_comment"
                )
            })
            .filter(|sibling| sibling.kind() == "attribute_item")
            .copied()
            .collect();
        found.reverse();
        found
    }

    /// The fields of a Rocket responder that are not `#[response(ignore)]`.
    fn responder_fields(&self, target: Node<'t>) -> usize {
        let Some(list) = target.child_by_field_name("body") else {
            return 0;
        };
        let mut count = 0;
        let mut ignored = false;
        for child in named_children(list) {
            match child.kind() {
                "attribute_item" => ignored |= self.leaf_texts(child).contains(&"ignore"),
                "visibility_modifier" | "line_comment" | "block_comment" => {}
                _ => {
                    if !std::mem::take(&mut ignored) {
                        count += 1;
                    }
                }
            }
        }
        count
    }

    /// `#[oai(header = "X-Id")]` on a field: the header it names.
    fn assigned_header(&self, attribute: Node<'t>, key: &str, headers: &mut Vec<HeaderFact>) {
        let mut leaves = Vec::new();
        collect_leaves(attribute, &mut leaves);
        for window in leaves.windows(3) {
            if let [name, eq, value] = window
                && text(*name, self.source) == key
                && text(*eq, self.source) == "="
                && let Some(header) = self.string_leaf(*value)
            {
                headers.push(HeaderFact {
                    name: header.to_ascii_lowercase(),
                    range: value.byte_range(),
                });
            }
        }
    }

    /// `#[oai(header(name = "X", ty = "String"))]`: the names its header lists give.
    fn listed_headers(
        &self,
        attribute: Node<'t>,
        attribute_name: &str,
        key: &str,
        headers: &mut Vec<HeaderFact>,
    ) {
        let mut leaves = Vec::new();
        collect_leaves(attribute, &mut leaves);
        let names: Vec<&str> = leaves.iter().map(|l| text(*l, self.source)).collect();
        if !names.contains(&attribute_name) {
            return;
        }
        let mut in_list = false;
        for (index, leaf) in leaves.iter().enumerate() {
            let word = names.get(index).copied().unwrap_or("");
            if word == key {
                in_list = names.get(index + 1) == Some(&"(");
                continue;
            }
            if in_list
                && word == "name"
                && names.get(index + 1) == Some(&"=")
                && let Some(value) = leaves.get(index + 2)
                && let Some(header) = self.string_leaf(*value)
            {
                headers.push(HeaderFact {
                    name: header.to_ascii_lowercase(),
                    range: leaf.byte_range(),
                });
            }
        }
    }

    /// The text of a string literal leaf (or of the literal a leaf's parent is).
    fn string_leaf(&self, leaf: Node<'t>) -> Option<String> {
        let literal = if leaf.kind() == "string_literal" {
            leaf
        } else {
            self.parents
                .parent(leaf)
                .filter(|p| p.kind() == "string_literal")?
        };
        string_value(literal, self.source)
    }

    fn leaf_texts(&self, node: Node<'t>) -> Vec<&str> {
        let mut leaves = Vec::new();
        collect_leaves(node, &mut leaves);
        leaves.iter().map(|leaf| text(*leaf, self.source)).collect()
    }

    /// The status the catcher function around `node` answers: `Some(Some(404))` under
    /// `#[catch(404)]`, `Some(None)` under `#[catch(default)]`, whose status is the one caught;
    /// `None` outside a catcher.
    pub(super) fn catcher_status(&self, node: Node<'t>) -> Option<Option<u16>> {
        let function = self
            .parents
            .ancestors(node)
            .find(|ancestor| ancestor.kind() == "function_item")?;
        self.attributes_before(function)
            .into_iter()
            .find_map(|attribute| self.caught_status(attribute))
    }

    /// `#[catch(404)]` → `Some(Some(404))`, `#[catch(default)]` → `Some(None)`.
    fn caught_status(&self, attribute_item: Node<'t>) -> Option<Option<u16>> {
        let attribute = named_children(attribute_item).into_iter().next()?;
        let path = named_children(attribute).into_iter().next()?;
        let segments = path_segments(path, self.source);
        let name = segments.last()?;
        let is_catcher = self.tables.iter().any(|table| {
            self.facts.frameworks.contains(&table.id)
                && table.catcher_attributes.iter().any(|a| a == name)
        });
        if !is_catcher {
            return None;
        }
        let arguments = attribute.child_by_field_name("arguments")?;
        let first = named_children(arguments).into_iter().next()?;
        Some(integer_value(first, self.source).and_then(|value| u16::try_from(value).ok()))
    }

    /// An endpoint whose methods an attribute proves registers, for those methods and the path
    /// the attribute names, every type its return type names (`Result<CreateUserResponse,
    /// ApiError>`), so that a response type with its statuses learns the methods and routes it
    /// answers.
    pub(super) fn register_returned_types(
        &mut self,
        function: Node<'t>,
        methods: &[Method],
        route_path: Option<&str>,
        range: &ByteRange,
    ) {
        let Some(return_type) = function.child_by_field_name("return_type") else {
            return;
        };
        let mut paths = Vec::new();
        type_paths(return_type, &mut paths);
        for path in paths {
            let segments = path_segments(path, self.source);
            let plain = segments
                .last()
                .is_none_or(|last| PLAIN_TYPES.contains(&last.as_str()));
            if plain {
                continue;
            }
            self.facts.registrations.push(RouteRegistration {
                methods: methods.to_vec(),
                path: route_path.map(str::to_string),
                handler: HandlerRef::Named(segments),
                range: range.clone(),
                scope: None,
                kind: RegistrationKind::Route,
                declared: None,
            });
        }
    }
}

/// The type paths a type is written with (`Result<api::Created, Error>` → `Result`,
/// `api::Created`, `Error`), outermost first.
fn type_paths<'t>(node: Node<'t>, paths: &mut Vec<Node<'t>>) {
    match node.kind() {
        "type_identifier" | "scoped_type_identifier" => paths.push(node),
        "generic_type" => {
            if let Some(base) = node.child_by_field_name("type") {
                type_paths(base, paths);
            }
            if let Some(arguments) = node.child_by_field_name("type_arguments") {
                type_paths(arguments, paths);
            }
        }
        _ => {
            for child in named_children(node) {
                type_paths(child, paths);
            }
        }
    }
}

/// Whether `source` writes `<wrapper><name>` (blanks allowed after `<`) for one of `wrappers`,
/// with `name` ending there (`Response<Made>`, not `Response<MadeTwice>`).
fn wraps_named(source: &str, wrappers: &[&str], name: &str) -> bool {
    wrappers.iter().any(|wrapper| {
        let opening = format!("{wrapper}<");
        source.match_indices(&opening).any(|(at, _)| {
            let after = source.get(at + opening.len()..).unwrap_or("").trim_start();
            let word_before = source
                .get(..at)
                .and_then(|before| before.chars().next_back())
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            after.strip_prefix(name).is_some_and(|rest| {
                !word_before && !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
    })
}
