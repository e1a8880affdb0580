//! Facts from Rust files, read through the Rust framework tables (http crate, axum, …).

mod api_impls;
mod app_roots;
mod attributes;
mod bodies;
mod built_under;
mod completeness;
mod conditions;
mod contexts;
mod declared_responses;
mod error_aliases;
mod filter_paths;
mod handed_responses;
mod handlers;
mod headers;
mod helper_calls;
mod helper_paths;
mod imports;
mod insertions;
mod macro_errors;
mod macros;
mod method_branches;
mod method_routers;
mod nodes;
mod positions;
mod response_contracts;
mod response_types;
mod responses;
mod routes;
mod status_sites;
mod status_types;
mod status_variables;
mod test_code;
#[cfg(test)]
mod tests;
mod typed_paths;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

use tree_sitter::{Node, Tree};

use crate::chunks::{self, Capture, Chunk, ChunkFacts, ChunkReader, FactCache, Questions};
use crate::handlers::HandlerTable;
use crate::language::LanguageSyntax;
use crate::node_util::{Parents, text};
use crate::queries;
use hsl_facts::{Family, FileFacts, Import, Language};
use hsl_tables::{Framework, FrameworkOverrides, Tables};
use imports::inline_module_path;

/// Rust as the syntax layer reads it.
pub(crate) struct RustSyntax;

impl LanguageSyntax for RustSyntax {
    fn grammar(&self, language: Language) -> Option<tree_sitter::Language> {
        match language {
            Language::Rust => Some(tree_sitter_rust::LANGUAGE.into()),
            Language::TypeScript | Language::Tsx | Language::JavaScript => None,
        }
    }

    fn query_source(&self) -> &'static str {
        include_str!("../../../../../grammars-config/queries/rust.scm")
    }

    #[cfg(test)]
    fn captures(&self) -> &'static [&'static str] {
        &[
            "path",
            "path.type",
            "path.name",
            "method",
            "method.receiver",
            "method.name",
            "method.args",
            "fn",
            "fn.function",
            "fn.args",
            "macro",
            "macro.tokens",
            "macro_def",
            "use",
            "use.tree",
            "attribute",
            "extern.name",
            "branch.match",
            "branch.if",
            "returns",
        ]
    }

    /// An attribute belongs to the item written after it.
    fn attached_to_next(&self) -> &'static [&'static str] {
        &["attribute_item"]
    }

    /// Rust items end with `}` or `;`, so nothing after one continues it.
    fn stands_alone(&self, statement: &str, _: Node<'_>) -> bool {
        statement.ends_with('}') || statement.ends_with(';')
    }

    fn extract_reusing(
        &self,
        language: Language,
        text: &str,
        tree: &Tree,
        overrides: &FrameworkOverrides,
        previous: Option<&FactCache>,
        keep: bool,
    ) -> (FileFacts, Option<FactCache>) {
        let Some(query) = queries::query(language) else {
            return (FileFacts::default(), None);
        };
        let mut extractor = Extractor::new(text, tree, overrides, query);
        chunks::extract(&mut extractor, language, query, tree, text, previous, keep)
    }

    fn extract_edited(
        &self,
        language: Language,
        text: &str,
        previous: &FactCache,
        overrides: &FrameworkOverrides,
    ) -> Option<(FileFacts, FactCache)> {
        // A typed path or a contract enum is read from the whole file, which one statement parsed alone is not.
        let tables: Vec<&'static Framework> = Tables::get().for_language(Family::Rust).collect();
        if typed_paths::may_declare_typed_paths(&tables, text)
            || response_contracts::may_declare_response_enums(&tables, text)
        {
            return None;
        }
        let alone = chunks::parse_alone(language, text, previous)?;
        let item = alone.statement(text)?;
        let mut extractor = Extractor::new(item, &alone.tree, overrides, alone.query);
        chunks::extract_edited(&mut extractor, &alone, text)
    }
}

impl<'t> ChunkReader<'t> for Extractor<'_, 't> {
    fn questions(&mut self) -> &mut Questions {
        self.questions.get_mut()
    }

    fn environment(
        &mut self,
        _: &Chunk<'t>,
        captures: &[Capture<'t>],
    ) -> (Vec<Import>, Vec<String>) {
        self.facts.frameworks.clear();
        self.facts.imports.clear();
        let captured = self.by_name(captures);
        for use_tree in take(&captured, "use.tree") {
            let before = self.facts.imports.len();
            self.collect_use(use_tree, Vec::new());
            // A `use` inside `mod tests { .. }` binds names there only, not in the file's module.
            if inline_module_path(&self.parents, use_tree, self.source).is_some() {
                self.facts.imports.truncate(before);
            }
        }
        for name in take(&captured, "extern.name") {
            let name = text(name, self.source).to_string();
            self.detect(&name);
        }
        chunks::take_environment(&mut self.facts)
    }

    /// The file's typed paths: a handler's facts depend on them.
    fn environment_key(&self) -> String {
        self.typed_paths
            .iter()
            .map(|(name, path)| format!("{name}={path}\n"))
            .collect()
    }

    fn enter(&mut self, imports: Vec<Import>, detected: Vec<String>) -> Vec<String> {
        chunks::enter_environment(
            &mut self.facts,
            &self.overrides,
            Family::Rust,
            imports,
            detected,
        )
    }

    fn read(&mut self, _: &Chunk<'t>, captures: &[Capture<'t>]) -> ChunkFacts {
        self.handler_table.clear();
        self.lent.get_mut().clear();
        let captured = self.by_name(captures);
        for attribute in take(&captured, "attribute") {
            self.collect_attribute(attribute);
            self.status_attribute_site(attribute);
            self.declared_responses_attribute(attribute);
            self.app_root_attribute(attribute);
        }
        for branch in take(&captured, "branch.match") {
            self.collect_match_branches(branch);
        }
        for branch in take(&captured, "branch.if") {
            self.collect_if_branch(branch);
        }
        let methods = take(&captured, "method");
        for call in &methods {
            self.collect_registration(*call);
        }
        let paths = take(&captured, "path");
        for path in &paths {
            self.constant_site(*path);
        }
        let calls = take(&captured, "fn");
        for call in &calls {
            self.call_site(*call);
            self.app_root_call(*call);
        }
        for call in &methods {
            self.status_method_site(*call);
        }
        for tokens in take(&captured, "macro.tokens") {
            self.macro_sites(tokens);
        }
        for definition in take(&captured, "macro_def") {
            self.macro_definition_site(definition);
        }
        for return_type in take(&captured, "returns") {
            self.status_type_use(return_type);
        }
        self.record_helper_calls(&calls, &paths);
        self.record_macro_calls(&take(&captured, "macro"));
        self.drop_test_code();
        ChunkFacts::taken_from(&mut self.facts)
    }
}

/// The captures of one name.
fn take<'t>(captured: &HashMap<&'static str, Vec<Node<'t>>>, name: &str) -> Vec<Node<'t>> {
    captured.get(name).cloned().unwrap_or_default()
}

/// Reads one file's (or one item's) facts through the Rust tables.
struct Extractor<'s, 't> {
    source: &'s str,
    tables: Vec<&'static Framework>,
    facts: FileFacts,
    /// The handlers of the statement being read, by range.
    handler_table: HandlerTable,
    /// Parent links, remembered: sites climb to their response, handler and context.
    parents: Parents<'t>,
    /// The query's capture names, by capture index.
    capture_names: &'static [&'static str],
    /// Framework detection forced by configuration.
    overrides: hsl_tables::FrameworkOverrides,
    /// Rust asks no questions about the rest of the file, but reading an item may look into
    /// another (a handler in an inline module found from a registration), so that the item's
    /// facts are not reused ([`Questions::look_outside`]). Shared, since the reading of a
    /// response's headers that may look into a helper of the file borrows the reader.
    questions: RefCell<Questions>,
    /// What the file's functions set on a response lent to them, for the statement being read
    /// (`handed_responses`).
    lent: RefCell<handed_responses::LentSummaries>,
    /// How many lent responses are being followed at once.
    lent_depth: Cell<usize>,
    /// The typed paths the file's structs declare, by struct name ([`typed_paths`]): read for
    /// the whole file, part of its environment.
    typed_paths: BTreeMap<String, String>,
    /// The response enums of the file that are their endpoints' contracts, by name
    /// ([`response_contracts`]): read for the whole file.
    response_enums: BTreeMap<String, response_contracts::ResponseEnum>,
    /// The nodes of the file that may name a type as an expression, by the name they end
    /// with, gathered on the first question ([`built_under`]).
    type_names: RefCell<Option<HashMap<String, Vec<Node<'t>>>>>,
}

impl<'s, 't> Extractor<'s, 't> {
    fn new(
        source: &'s str,
        tree: &'t Tree,
        overrides: &hsl_tables::FrameworkOverrides,
        query: &'static tree_sitter::Query,
    ) -> Self {
        let tables: Vec<&'static Framework> = Tables::get().for_language(Family::Rust).collect();
        let parents = Parents::new(tree.root_node());
        let typed_paths = typed_paths::typed_paths_of(&tables, &parents, tree.root_node(), source);
        let response_enums =
            response_contracts::response_enums_of(&tables, tree.root_node(), source);
        Extractor {
            source,
            tables,
            facts: FileFacts::default(),
            handler_table: HandlerTable::default(),
            parents,
            capture_names: query.capture_names(),
            overrides: overrides.clone(),
            questions: RefCell::new(Questions::default()),
            lent: RefCell::default(),
            lent_depth: Cell::new(0),
            typed_paths,
            response_enums,
            type_names: RefCell::new(None),
        }
    }

    /// A statement's captures by capture name, each list in match order.
    fn by_name(&self, captures: &[Capture<'t>]) -> HashMap<&'static str, Vec<Node<'t>>> {
        let mut captured: HashMap<&'static str, Vec<Node<'t>>> = HashMap::new();
        for (index, node) in captures {
            if let Some(name) = self.capture_names.get(*index as usize) {
                captured.entry(name).or_default().push(*node);
            }
        }
        captured
    }
}
