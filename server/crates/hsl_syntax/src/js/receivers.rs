//! Response objects and the table that reads them: a name a framework gives its response
//! object (`res`, `ctx`, `reply`), an alias of one (`ctx.response`), or a response class
//! (`Response`, `NextResponse`).

use tree_sitter::Node;

use super::{Extractor, FUNCTION_KINDS, GENERATOR_KINDS};
use crate::node_util::text;
use hsl_tables::Framework;

impl<'t> Extractor<'_, 't> {
    /// The table for a response object named `root`: among the frameworks the file imports
    /// first, the first one that knows what is done to it (`knows`), so that a file importing
    /// both `http` and `express` reads `res.redirect` as Express's.
    pub(super) fn response_table(
        &self,
        root: &str,
        knows: impl Fn(&Framework) -> bool,
    ) -> Option<&'static Framework> {
        let detected = self
            .tables
            .iter()
            .filter(|table| self.facts.frameworks.contains(&table.id));
        let others = self.tables.iter().filter(|table| {
            !self.facts.frameworks.contains(&table.id)
                && !table
                    .response
                    .as_ref()
                    .is_some_and(|r| r.only_when_imported)
        });
        let candidates: Vec<&'static Framework> = detected
            .chain(others)
            .filter(|table| {
                table.response.as_ref().is_some_and(|response| {
                    response.names.iter().any(|name| name == root)
                        || (root == "this" && response.this_in_generators)
                })
            })
            .copied()
            .collect();
        candidates
            .iter()
            .find(|table| knows(table))
            .or(candidates.first())
            .copied()
    }

    /// The table whose response class is `root` (`Response`, `NextResponse`), among the
    /// frameworks the file imports, or any table that needs no import for it.
    pub(super) fn static_table(&self, root: &str) -> Option<&'static Framework> {
        self.tables
            .iter()
            .filter(|table| {
                table.detect.imports.is_empty() || self.facts.frameworks.contains(&table.id)
            })
            .find(|table| {
                table
                    .response
                    .as_ref()
                    .is_some_and(|response| response.static_names.iter().any(|name| name == root))
            })
            .copied()
    }

    /// The response object a chain or assignment starts from: a name (`res`), or an alias
    /// property of one (Koa's `ctx.response`, read as `ctx`).
    pub(super) fn response_root(&self, node: Node<'t>) -> Option<String> {
        match node.kind() {
            "identifier" => Some(text(node, self.source).to_string()),
            // Koa 1: `this` in generator middleware is the context.
            "this" => self.is_generator_context(node).then(|| "this".to_string()),
            "member_expression" => {
                let object = node
                    .child_by_field_name("object")
                    .filter(|object| object.kind() == "identifier")?;
                let property = text(node.child_by_field_name("property")?, self.source);
                let name = text(object, self.source);
                let aliased = self.tables.iter().any(|table| {
                    table.response.as_ref().is_some_and(|response| {
                        response.names.iter().any(|n| n == name)
                            && response.aliases.iter().any(|alias| alias == property)
                    })
                });
                aliased.then(|| name.to_string())
            }
            _ => None,
        }
    }

    /// Whether `this` at `node` is the context of generator middleware: the function it
    /// belongs to (arrow functions have none of their own) is a `function*`, and a table reads
    /// `this` there.
    pub(super) fn is_generator_context(&self, node: Node<'t>) -> bool {
        let owner = self.parents.ancestors(node).find(|ancestor| {
            FUNCTION_KINDS.contains(&ancestor.kind()) && ancestor.kind() != "arrow_function"
        });
        owner.is_some_and(|function| GENERATOR_KINDS.contains(&function.kind()))
            && self.tables.iter().any(|table| {
                table
                    .response
                    .as_ref()
                    .is_some_and(|response| response.this_in_generators)
            })
    }
}
