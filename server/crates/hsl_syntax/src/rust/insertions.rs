//! Where a fix adds a header to a response in the framework's idiom, and whether the addition
//! keeps the code compiling.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{in_table, last_two, method_name, path_segments};
use super::positions::climb_wrappers;
use crate::node_util::{named_children, text};
use hsl_facts::Insertion;
use hsl_tables::Framework;

/// Whether a function or closure has a `return` of its own (not one in a nested closure).
pub(super) fn has_return(owner: Node<'_>) -> bool {
    let nested_function = |node: Node<'_>| {
        matches!(
            node.kind(),
            "return_expression" | "closure_expression" | "function_item"
        )
    };
    crate::depth::descendants(owner, |node| !nested_function(node))
        .iter()
        .any(|node| node.kind() == "return_expression")
}

impl<'t> Extractor<'_, 't> {
    /// Where a header can be added to the response set at `site`, in the framework's idiom:
    /// after a builder helper (`HttpResponse::Found()`), after the status call of a chain
    /// (`.status(405)`), or after the status of an axum tuple that is the handler's only
    /// response. `None` where the addition could change the response's type elsewhere.
    pub(super) fn header_insertion(&self, site: Node<'t>) -> Option<Insertion> {
        let followed = |call: Node<'t>| {
            self.parents
                .parent(call)
                .is_some_and(|p| p.kind() == "field_expression")
        };
        if site.kind() == "call_expression"
            && let Some(template) = self.helper_header_insert(site)
        {
            return followed(site).then(|| Insertion {
                at: site.end_byte(),
                template: template.to_string(),
            });
        }
        let node = climb_wrappers(&self.parents, site, self.source);
        let parent = self.parents.parent(node)?;
        if parent.kind() == "arguments"
            && let Some(call) = self.parents.parent(parent)
            && let Some(method) = method_name(call, self.source)
            && let Some(template) = self.status_method_header_insert(method)
            && (followed(call) || self.sole_tail(call))
        {
            return Some(Insertion {
                at: call.end_byte(),
                template: template.to_string(),
            });
        }
        if parent.kind() == "tuple_expression"
            && named_children(parent).first().map(|first| first.id()) == Some(node.id())
            && let Some(template) = self
                .imported_tables()
                .find_map(|t| t.tuple_header_insert.as_deref())
            && self.sole_tail(parent)
        {
            return Some(Insertion {
                at: node.end_byte(),
                template: template.to_string(),
            });
        }
        None
    }

    /// The tables of the frameworks the file imports, the http crate's last.
    pub(super) fn imported_tables(&self) -> impl Iterator<Item = &'static Framework> + '_ {
        let imported = self
            .tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id));
        imported
            .clone()
            .filter(|table| !table.reexported)
            .chain(imported.filter(|table| table.reexported))
            .copied()
    }

    /// How a header is added after a status method (`.status(405)`), from the tables of the
    /// file's frameworks and the http crate's.
    pub(super) fn status_method_header_insert(&self, method: &str) -> Option<&'static str> {
        let mut tables = self.imported_tables().collect::<Vec<_>>();
        // The http crate's builder is read in files that import only hyper or a re-export.
        tables.extend(self.tables.iter().filter(|table| table.reexported));
        tables.into_iter().find_map(|table| {
            table
                .status_methods
                .iter()
                .find(|m| m.method == method)
                .and_then(|m| m.header_insert.as_deref())
        })
    }

    /// How a header is added after a helper (`HttpResponse::Found()`).
    pub(super) fn helper_header_insert(&self, call: Node<'t>) -> Option<&'static str> {
        let function = call.child_by_field_name("function")?;
        let segments = path_segments(function, self.source);
        let (name, ty) = last_two(&segments)?;
        let ty = self.imported_name(ty);
        self.imported_tables().find_map(|table| {
            table
                .helper_families
                .iter()
                .find(|family| family.type_name == ty && family.codes.contains_key(name))
                .and_then(|family| family.header_insert.as_deref())
        })
    }

    /// Whether `node` (through `Ok(..)` and the like) is the tail of its function or closure,
    /// which has no `return` and, for a function, returns `impl Trait`: the only response, so
    /// changing its type (a tuple with one more element) keeps the code compiling.
    pub(super) fn sole_tail(&self, node: Node<'t>) -> bool {
        let mut top = climb_wrappers(&self.parents, node, self.source);
        while let Some(call) = self
            .parents
            .parent(top)
            .filter(|p| p.kind() == "arguments")
            .and_then(|args| self.parents.parent(args))
            .filter(|call| {
                call.child_by_field_name("function")
                    .is_some_and(|f| in_table(text(f, self.source), |t| &t.value_wrappers))
            })
        {
            top = climb_wrappers(&self.parents, call, self.source);
        }
        let Some(block) = self.parents.parent(top) else {
            return false;
        };
        let owner = match block.kind() {
            "closure_expression" => block,
            "block" if named_children(block).last().map(|l| l.id()) == Some(top.id()) => match self
                .parents
                .parent(block)
            {
                Some(owner) if owner.kind() == "async_block" => match self.parents.parent(owner) {
                    Some(closure) if closure.kind() == "closure_expression" => closure,
                    _ => return false,
                },
                Some(owner) if matches!(owner.kind(), "function_item" | "closure_expression") => {
                    owner
                }
                _ => return false,
            },
            _ => return false,
        };
        if has_return(owner) {
            return false;
        }
        owner.kind() == "closure_expression"
            || owner
                .child_by_field_name("return_type")
                .is_some_and(|ty| text(ty, self.source).contains("impl "))
    }
}
