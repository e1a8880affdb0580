//! The headers a project's error macro sends: a `macro_rules!` whose every rule returns
//! `Err(Error::new(msg).with_code($code))` answers through the conversion the file writes for
//! that error type (`impl Responder for Error`, `impl IntoResponse for Error`). When every
//! response that conversion builds shows all its headers, so does every invocation of the
//! macro, whatever status it passes.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{collect_leaves, method_name};
use crate::node_util::{named_children, text};
use hsl_facts::HeaderFact;

impl<'t> Extractor<'_, 't> {
    /// The headers of the error the macro's `rules` return, and whether that list is complete:
    /// each rule returns `Err(..)` of one type of the file's, whose conversion builds every
    /// response with a status method on a chain the syntax sees whole.
    pub(super) fn returned_error_headers(&self, rules: &[Node<'t>]) -> (Vec<HeaderFact>, bool) {
        let mut types = rules.iter().map(|rule| {
            rule.child_by_field_name("right")
                .map(|body| self.returned_error_types(body))
                .unwrap_or_default()
        });
        let Some(mut candidates) = types.next() else {
            return (Vec::new(), false);
        };
        for other in types {
            candidates.retain(|name| other.contains(name));
        }
        // The answer depends on other items of the file: this one's facts may not be reused
        // after an edit elsewhere.
        self.questions.borrow_mut().look_outside();
        let conversions: Vec<Node<'t>> = candidates
            .iter()
            .flat_map(|name| self.conversions_of(name))
            .collect();
        let mut headers = Vec::new();
        let mut sites = 0;
        for conversion in conversions {
            for site in self.status_arguments(conversion) {
                sites += 1;
                let ok = self.headers_complete(site, &mut headers);
                if !ok {
                    return (Vec::new(), false);
                }
            }
        }
        (headers, sites > 0)
    }

    /// The capitalised names of the path an `Err(..)` of the macro body starts with
    /// (`$crate::error::Error::new_msg(msg)` names `Error`), up to its first bracket.
    fn returned_error_types(&self, body: Node<'t>) -> Vec<String> {
        let mut leaves = Vec::new();
        collect_leaves(body, &mut leaves);
        let words: Vec<&str> = leaves.iter().map(|leaf| text(*leaf, self.source)).collect();
        let Some(start) = words
            .windows(2)
            .position(|pair| pair == ["Err", "("])
            .map(|at| at + 2)
        else {
            return Vec::new();
        };
        words
            .iter()
            .skip(start)
            .take_while(|word| !matches!(**word, "(" | ")" | "{" | "}" | "[" | "]" | ","))
            .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(|word| (*word).to_string())
            .collect()
    }

    /// The top-level `impl` items of the file that turn values of `name` into responses
    /// (their trait is one of the tables' `error_traits`).
    fn conversions_of(&self, name: &str) -> Vec<Node<'t>> {
        let last_name = |node: Node<'t>| {
            let written = text(node, self.source);
            let written = written.split('<').next().unwrap_or(written);
            written.rsplit("::").next().unwrap_or(written).trim()
        };
        named_children(self.parents.root())
            .into_iter()
            .filter(|item| item.kind() == "impl_item")
            .filter(|item| {
                let converts = item.child_by_field_name("trait").is_some_and(|t| {
                    let t = last_name(t);
                    self.tables
                        .iter()
                        .any(|table| table.error_traits.iter().any(|known| known == t))
                });
                converts
                    && item
                        .child_by_field_name("type")
                        .is_some_and(|ty| last_name(ty) == name)
            })
            .collect()
    }

    /// The status arguments of the status methods called in `conversion`
    /// (`code` in `Response::build().status(code)`).
    fn status_arguments(&self, conversion: Node<'t>) -> Vec<Node<'t>> {
        crate::depth::descendants(conversion, |_| true)
            .into_iter()
            .filter(|node| node.kind() == "call_expression")
            .filter(|call| {
                method_name(*call, self.source).is_some_and(|name| self.is_status_method(name))
            })
            .filter_map(|call| {
                call.child_by_field_name("arguments")
                    .and_then(|args| named_children(args).first().copied())
            })
            .collect()
    }
}
