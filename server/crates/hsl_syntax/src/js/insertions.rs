//! Where a fix inserts text at a call in the framework's idiom (a header, an explicit status), as
//! the tables' insertion forms describe it.

use tree_sitter::Node;

use super::bodies::key_text;
use super::{Extractor, FUNCTION_KINDS, InsertionSite};
use crate::node_util::named_children;
use hsl_facts::Insertion;
use hsl_tables::{InsertionForm, Insertions};

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
    pub(super) fn insertion(
        &self,
        forms: &Insertions,
        site: &InsertionSite<'_, 't>,
    ) -> Option<Insertion> {
        // `a|b`: the first form that applies.
        forms
            .forms()
            .iter()
            .find_map(|form| self.placement(form, site))
    }

    /// Where one insertion form puts its text at `site`.
    fn placement(&self, form: &InsertionForm, site: &InsertionSite<'_, 't>) -> Option<Insertion> {
        let (at, text) = match form {
            InsertionForm::BeforeFirstArg => {
                (site.args.first()?.start_byte(), "{code}, ".to_string())
            }
            InsertionForm::AfterLastArg => (site.args.last()?.end_byte(), ", {code}".to_string()),
            InsertionForm::AfterCall(template) => (site.call.end_byte(), template.to_string()),
            InsertionForm::BeforeMethod(template) => {
                (site.method?.start_byte(), template.to_string())
            }
            InsertionForm::BeforeStatement(template) => self.before_statement(template, site)?,
            InsertionForm::InitHeaders => self.in_init_headers(site)?,
            InsertionForm::HeadersArg => self.in_headers_arg(site)?,
            InsertionForm::InitArg(template) => self.in_init_arg(template, site)?,
        };
        Some(Insertion {
            at,
            template: text.replace("{q}", &self.quote.to_string()),
        })
    }

    /// A header entry in the file's quotes, for the rule to fill in.
    fn header_entry(&self) -> String {
        let q = self.quote;
        format!("{q}{{name}}{q}: {q}{{value}}{q}")
    }

    /// `before-statement:<template>`: a statement of its own before the one that makes the
    /// response (or before the decorator), indented like it; `{receiver}` is the response
    /// object.
    fn before_statement(
        &self,
        template: &str,
        site: &InsertionSite<'_, 't>,
    ) -> Option<(usize, String)> {
        let statement = match self.parents.parent(site.call) {
            Some(decorator) if decorator.kind() == "decorator" => decorator,
            _ => self.statement_in_block(site.call)?,
        };
        let mut template = template.to_string();
        if template.contains("{receiver}") {
            template = template.replace("{receiver}", site.receiver?);
        }
        let start = statement.start_byte();
        let before = self.source.get(..start)?;
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let indent = before.get(line_start..)?;
        let template = if indent.chars().all(char::is_whitespace) {
            template.replace("{indent}", indent)
        } else {
            template.replace("\n{indent}", " ").replace("{indent}", "")
        };
        Some((start, template))
    }

    /// The statement around `node` in its function, when it stands directly in a block.
    fn statement_in_block(&self, node: Node<'t>) -> Option<Node<'t>> {
        std::iter::once(node)
            .chain(self.parents.ancestors(node))
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
                        "statement_block" | "program" | "switch_case" | "switch_default"
                    )
                })
            })
    }

    /// `init-headers`: a header in the `headers` of the init object (`new Response(b, init)`),
    /// adding the object or its `headers` when missing.
    fn in_init_headers(&self, site: &InsertionSite<'_, 't>) -> Option<(usize, String)> {
        let entry = self.header_entry();
        let Some(init) = site.init_arg.and_then(|i| site.args.get(i)) else {
            let last = site.args.last()?;
            return Some((last.end_byte(), format!(", {{ headers: {{ {entry} }} }}")));
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
                Some(object_entry_insertion(object, &entry))
            }
            Some(_) => None,
            None => Some(object_entry_insertion(
                *init,
                &format!("headers: {{ {entry} }}"),
            )),
        }
    }

    /// `headers-arg`: a header in the headers argument, or a new headers object after the
    /// arguments.
    fn in_headers_arg(&self, site: &InsertionSite<'_, 't>) -> Option<(usize, String)> {
        let entry = self.header_entry();
        let index = site.headers_arg?;
        match site.args.get(index..).and_then(|rest| rest.last()) {
            Some(last) if last.kind() == "object" => Some(object_entry_insertion(*last, &entry)),
            Some(last) if last.kind() == "string" => {
                Some((last.end_byte(), format!(", {{ {entry} }}")))
            }
            Some(_) => None,
            None => Some((site.args.last()?.end_byte(), format!(", {{ {entry} }}"))),
        }
    }

    /// `init-arg:<template>`: a status first in the init object, or the template after the
    /// arguments when there is none.
    fn in_init_arg(&self, template: &str, site: &InsertionSite<'_, 't>) -> Option<(usize, String)> {
        match site.init_arg.and_then(|i| site.args.get(i)) {
            Some(init) if init.kind() == "object" => {
                // Put the status first, where readers look for it.
                match named_children(*init).first() {
                    Some(first) => Some((first.start_byte(), "status: {code}, ".to_string())),
                    None => Some(object_entry_insertion(*init, "status: {code}")),
                }
            }
            Some(_) => None,
            None => Some((site.args.last()?.end_byte(), template.to_string())),
        }
    }
}
