//! Where a fix inserts text at a call in the framework's idiom (a header, an explicit status), as
//! the tables' insertion forms describe it.

use tree_sitter::Node;

use super::bodies::key_text;
use super::{Extractor, FUNCTION_KINDS, InsertionSite};
use crate::node_util::named_children;
use hsl_facts::Insertion;

/// Where `entry` goes to become the last entry of an object literal, and the text to insert.
pub(super) fn object_entry_insertion(object: Node<'_>, entry: &str) -> (usize, String) {
    let last = named_children(object)
        .into_iter()
        .rfind(|child| child.kind() != "comment");
    match last {
        Some(last) => (last.end_byte(), format!(", {entry}")),
        None => (object.start_byte() + 1, format!(" {entry} ")),
    }
}

impl<'t> Extractor<'_, 't> {
    /// Where a table's insertion form (`ResponseCall::header_insert`, `implicit_insert`, a
    /// redirect's `insert`) puts its text at `site`, with `{q}`, `{receiver}` and `{indent}`
    /// filled in; `{name}`, `{value}` and `{code}` are left for the rule.
    pub(super) fn insertion(&self, spec: &str, site: &InsertionSite<'_, 't>) -> Option<Insertion> {
        // `a|b`: the first form that applies.
        if let Some((first, rest)) = spec.split_once('|') {
            return self
                .insertion(first, site)
                .or_else(|| self.insertion(rest, site));
        }
        let q = self.quote.to_string();
        let entry = format!("{q}{{name}}{q}: {q}{{value}}{q}");
        let at = |at: usize, template: String| {
            Some(Insertion {
                at,
                template: template.replace("{q}", &q),
            })
        };
        let (kind, template) = spec.split_once(':').unwrap_or((spec, ""));
        match kind {
            "none" => None,
            "before-first-arg" => at(site.args.first()?.start_byte(), "{code}, ".to_string()),
            "after-last-arg" => at(site.args.last()?.end_byte(), ", {code}".to_string()),
            "after-call" => at(site.call.end_byte(), template.to_string()),
            "before-method" => at(site.method?.start_byte(), template.to_string()),
            "before-statement" => {
                let statement = match self.parents.parent(site.call) {
                    Some(decorator) if decorator.kind() == "decorator" => decorator,
                    _ => std::iter::once(site.call)
                        .chain(self.parents.ancestors(site.call))
                        .find(|n| {
                            FUNCTION_KINDS.contains(&n.kind())
                                || matches!(
                                    n.kind(),
                                    "expression_statement" | "return_statement" | "throw_statement"
                                )
                        })
                        .filter(|n| !FUNCTION_KINDS.contains(&n.kind()))
                        .filter(|n| {
                            self.parents.parent(n).is_some_and(|p| {
                                matches!(
                                    p.kind(),
                                    "statement_block"
                                        | "program"
                                        | "switch_case"
                                        | "switch_default"
                                )
                            })
                        })?,
                };
                let mut template = template.to_string();
                if template.contains("{receiver}") {
                    template = template.replace("{receiver}", site.receiver?);
                }
                let line_start = self.source[..statement.start_byte()]
                    .rfind('\n')
                    .map_or(0, |at| at + 1);
                let indent = &self.source[line_start..statement.start_byte()];
                let template = if indent.chars().all(char::is_whitespace) {
                    template.replace("{indent}", indent)
                } else {
                    template.replace("\n{indent}", " ").replace("{indent}", "")
                };
                at(statement.start_byte(), template)
            }
            "init-headers" => {
                let Some(init) = site.init_arg.and_then(|i| site.args.get(i)) else {
                    let last = site.args.last()?;
                    return at(last.end_byte(), format!(", {{ headers: {{ {entry} }} }}"));
                };
                if init.kind() != "object" {
                    return None;
                }
                let headers = named_children(*init).into_iter().find_map(|pair| {
                    let key = pair.child_by_field_name("key")?;
                    (pair.kind() == "pair" && key_text(key, self.source) == "headers")
                        .then(|| pair.child_by_field_name("value"))
                        .flatten()
                });
                match headers {
                    Some(object) if object.kind() == "object" => {
                        let (at_byte, text) = object_entry_insertion(object, &entry);
                        at(at_byte, text)
                    }
                    Some(_) => None,
                    None => {
                        let (at_byte, text) =
                            object_entry_insertion(*init, &format!("headers: {{ {entry} }}"));
                        at(at_byte, text)
                    }
                }
            }
            "headers-arg" => {
                let index = site.headers_arg?;
                match site.args.get(index..).and_then(|rest| rest.last()) {
                    Some(last) if last.kind() == "object" => {
                        let (at_byte, text) = object_entry_insertion(*last, &entry);
                        at(at_byte, text)
                    }
                    Some(last) if last.kind() == "string" => {
                        at(last.end_byte(), format!(", {{ {entry} }}"))
                    }
                    Some(_) => None,
                    None => at(site.args.last()?.end_byte(), format!(", {{ {entry} }}")),
                }
            }
            "init-arg" => match site.init_arg.and_then(|i| site.args.get(i)) {
                Some(init) if init.kind() == "object" => {
                    let (at_byte, text) = object_entry_insertion(*init, "status: {code}");
                    // Put the status first, where readers look for it.
                    match named_children(*init).first() {
                        Some(first) => at(first.start_byte(), "status: {code}, ".to_string()),
                        None => at(at_byte, text),
                    }
                }
                Some(_) => None,
                None => at(site.args.last()?.end_byte(), template.to_string()),
            },
            _ => None,
        }
    }
}
