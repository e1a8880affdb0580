//! Where a response type that declares its status is built: a poem-openapi variant
//! `#[oai(status = 429)] TooManyRequests` is sent wherever a function returns
//! `Response::TooManyRequests`, so why it is sent is written there (the `Err(SessionLimit..)`
//! arm that picks it), not at the attribute.

use std::collections::HashMap;

use tree_sitter::Node;

use super::Extractor;
use super::contexts::context_of;
use crate::depth::descendants;
use crate::node_util::text;
use hsl_facts::Condition;

/// The name a response type is built by: `Enum::Variant` for a variant, the struct's own name
/// for a struct.
struct BuiltName<'s> {
    owner: Option<&'s str>,
    name: &'s str,
}

impl<'t> Extractor<'_, 't> {
    /// The tests that hold at each place of the file that builds `target` (an `enum_variant`
    /// or a `struct_item` carrying a status attribute), one list per place. Patterns that
    /// only match the type (`match r { Response::TooManyRequests => .. }`) and `use` items
    /// build nothing.
    pub(super) fn built_under(&self, target: Node<'t>) -> Vec<Vec<Condition>> {
        let Some(built) = self.built_name(target) else {
            return Vec::new();
        };
        // The answer depends on the other items of the file: this one's facts may not be
        // reused after an edit elsewhere.
        self.questions.borrow_mut().look_outside();
        self.nodes_named(built.name)
            .into_iter()
            .filter(|node| self.builds(*node, &built) && !self.only_matches(*node))
            .map(|node| {
                let function = self
                    .parents
                    .ancestors(node)
                    .find(|ancestor| ancestor.kind() == "function_item")
                    .map(|function| function.byte_range());
                context_of(&self.parents, node, function, self.source).branch_conditions
            })
            .collect()
    }

    /// The file's paths and identifiers that end with `name`. The file is walked once, on the
    /// first question: a file declaring many variants with a status would otherwise be walked
    /// once per variant.
    fn nodes_named(&self, name: &str) -> Vec<Node<'t>> {
        let mut memo = self.type_names.borrow_mut();
        let index = memo.get_or_insert_with(|| {
            let mut index: HashMap<String, Vec<Node<'t>>> = HashMap::new();
            for node in descendants(self.parents.root(), |_| true) {
                let last = match node.kind() {
                    "scoped_identifier" | "scoped_type_identifier" => {
                        node.child_by_field_name("name")
                    }
                    "identifier" | "type_identifier" => Some(node),
                    _ => None,
                };
                if let Some(last) = last {
                    index
                        .entry(text(last, self.source).to_string())
                        .or_default()
                        .push(node);
                }
            }
            index
        });
        index.get(name).cloned().unwrap_or_default()
    }

    /// The name `target` is built by; `None` for a type in no enum or without a name.
    fn built_name(&self, target: Node<'t>) -> Option<BuiltName<'_>> {
        let name = text(target.child_by_field_name("name")?, self.source);
        if target.kind() == "struct_item" {
            return Some(BuiltName { owner: None, name });
        }
        let owner = self
            .parents
            .ancestors(target)
            .find(|ancestor| ancestor.kind() == "enum_item")?
            .child_by_field_name("name")?;
        Some(BuiltName {
            owner: Some(text(owner, self.source)),
            name,
        })
    }

    /// Whether `node` names the built type as an expression would: `Enum::Variant` (alone, as
    /// a call's function or a struct expression's name), or the struct's name as a call's
    /// function or a struct expression's name.
    fn builds(&self, node: Node<'t>, built: &BuiltName<'_>) -> bool {
        match (node.kind(), built.owner) {
            ("scoped_identifier" | "scoped_type_identifier", Some(owner)) => {
                let path = node
                    .child_by_field_name("path")
                    .map(|path| text(path, self.source));
                let name = node
                    .child_by_field_name("name")
                    .map(|name| text(name, self.source));
                path.is_some_and(|path| path.rsplit("::").next() == Some(owner))
                    && name == Some(built.name)
            }
            ("identifier" | "type_identifier", None) => {
                text(node, self.source) == built.name
                    && self.parents.parent(node).is_some_and(|parent| {
                        let field = match parent.kind() {
                            "call_expression" => "function",
                            "struct_expression" => "name",
                            _ => return false,
                        };
                        parent
                            .child_by_field_name(field)
                            .is_some_and(|child| child.id() == node.id())
                    })
            }
            _ => false,
        }
    }

    /// Whether `node` sits in a pattern (a match arm's, an `if let`'s, a `let`'s), a
    /// comparison or a `use` item, where naming a type builds nothing.
    fn only_matches(&self, node: Node<'t>) -> bool {
        let mut child = node;
        for ancestor in self.parents.ancestors(node) {
            let kind = ancestor.kind();
            if kind.ends_with("pattern") || kind == "use_declaration" {
                return true;
            }
            if matches!(kind, "let_condition" | "let_declaration")
                && ancestor
                    .child_by_field_name("pattern")
                    .is_some_and(|pattern| pattern.id() == child.id())
            {
                return true;
            }
            if kind == "binary_expression" {
                return true;
            }
            if kind.ends_with("expression") || kind == "block" {
                return false;
            }
            child = ancestor;
        }
        false
    }
}
