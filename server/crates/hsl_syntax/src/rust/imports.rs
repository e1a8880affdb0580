//! `use` declarations and `extern crate`: the names they bind, the frameworks they detect, and
//! paths spelled through them.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{path_segments, path_segments_of};
use crate::node_util::{Parents, named_children, text};
use hsl_facts::Import;

/// The inline modules (`mod a { mod b { .. } }`) around a node, outermost first; `None` at
/// the file's top level.
pub(super) fn inline_module_path<'t>(
    parents: &Parents<'t>,
    node: Node<'t>,
    source: &str,
) -> Option<Vec<String>> {
    let mut path: Vec<String> = parents
        .ancestors(node)
        .filter(|a| a.kind() == "mod_item")
        .filter_map(|m| m.child_by_field_name("name"))
        .map(|name| text(name, source).to_string())
        .collect();
    if path.is_empty() {
        return None;
    }
    path.reverse();
    Some(path)
}

impl<'t> Extractor<'_, 't> {
    /// The names a `use` tree binds under `prefix`, each recorded as an import.
    pub(super) fn collect_use(&mut self, node: Node<'t>, prefix: Vec<String>) {
        let Some(_level) = crate::depth::Nesting::enter() else {
            return;
        };
        match node.kind() {
            // `use crate::handlers::{self, users}` binds `handlers`.
            "self" if !prefix.is_empty() => {
                let mut module = prefix;
                if let Some(item) = module.pop() {
                    self.push_import(module, item.clone(), item);
                }
            }
            "identifier" | "crate" | "self" | "super" => {
                let name = text(node, self.source).to_string();
                self.push_import(prefix, name.clone(), name);
            }
            "scoped_identifier" => {
                let mut path = prefix;
                path.extend(path_segments(node, self.source));
                if let Some(item) = path.pop() {
                    self.push_import(path, item.clone(), item);
                }
            }
            "use_as_clause" => {
                let (Some(inner), Some(alias)) = (
                    node.child_by_field_name("path"),
                    node.child_by_field_name("alias"),
                ) else {
                    return;
                };
                let mut path = prefix;
                path.extend(path_segments(inner, self.source));
                // `{self as h}` names the module of the list.
                if path.len() > 1 && path.last().is_some_and(|last| last == "self") {
                    path.pop();
                }
                if let Some(item) = path.pop() {
                    self.push_import(path, item, text(alias, self.source).to_string());
                }
            }
            "scoped_use_list" => {
                let mut path = prefix;
                if let Some(inner) = node.child_by_field_name("path") {
                    path.extend(path_segments(inner, self.source));
                }
                if let Some(list) = node.child_by_field_name("list") {
                    for child in named_children(list) {
                        self.collect_use(child, path.clone());
                    }
                }
            }
            "use_list" => {
                for child in named_children(node) {
                    self.collect_use(child, prefix.clone());
                }
            }
            _ => {}
        }
    }

    /// Records the frameworks whose crate a `use` path or `extern crate` names.
    pub(super) fn detect(&mut self, crate_name: &str) {
        for table in &self.tables {
            if table.detect.imports.iter().any(|name| name == crate_name)
                && !self.facts.frameworks.contains(&table.id)
            {
                self.facts.frameworks.push(table.id.clone());
            }
        }
    }

    /// Records one import and the framework its crate is.
    pub(super) fn push_import(&mut self, module: Vec<String>, item: String, local: String) {
        if let Some(first) = module.first().or(Some(&item)).cloned() {
            self.detect(&first);
        }
        self.facts.imports.push(Import {
            local,
            module: module.join("::"),
            item: Some(item),
            specifier: None,
        });
    }

    /// The original name of a renamed import (`use axum::http::StatusCode as Status` makes
    /// `Status` mean `StatusCode`); any other name as it is.
    pub(super) fn imported_name(&self, local: &str) -> String {
        self.facts
            .imports
            .iter()
            .find(|import| import.local == local)
            .and_then(|import| import.item.clone())
            .unwrap_or_else(|| local.to_string())
    }

    /// A path with its first segment replaced by the path it is imported from (`reply` after
    /// `use warp::reply;` is `warp::reply`), joined with `::`.
    pub(super) fn qualified(&self, segments: &[String]) -> String {
        let Some((first, rest)) = segments.split_first() else {
            return String::new();
        };
        let mut path: Vec<String> = match self
            .facts
            .imports
            .iter()
            .find(|import| &import.local == first)
        {
            Some(import) => {
                let mut path = path_segments_of(&import.module);
                path.extend(import.item.iter().cloned());
                path
            }
            None => vec![first.clone()],
        };
        path.extend(rest.iter().cloned());
        path.join("::")
    }

    /// A path whose first segment is a renamed import (`use crate::h::create as make`) spelled
    /// with the imported path, so that its last segment is the handler's own name.
    pub(super) fn unalias(&self, mut segments: Vec<String>) -> Vec<String> {
        let Some(first) = segments.first() else {
            return segments;
        };
        let renamed =
            self.facts.imports.iter().find(|import| {
                &import.local == first && import.item.as_ref() != Some(&import.local)
            });
        let Some(import) = renamed else {
            return segments;
        };
        let mut full: Vec<String> = path_segments_of(&import.module);
        full.extend(import.item.iter().cloned());
        full.extend(segments.drain(1..));
        full
    }
}
