//! Facts from JavaScript, TypeScript and TSX, read through the JS-family framework tables.

mod bindings;
mod bodies;
mod body_calls;
mod browser;
mod callback_errors;
mod class_setup;
mod conditions;
mod contexts;
mod credential_checks;
mod declared_responses;
mod effects;
mod error_classes;
mod exported_aliases;
mod file_traits;
mod handlers;
mod headers;
mod helper_calls;
mod implicit_statuses;
mod imports;
mod insertions;
mod method_branches;
mod nodes;
mod path_prefixes;
mod places;
mod readers;
mod receivers;
mod responses;
mod route_schemas;
mod routes;
mod status_maps;
mod steps;
#[cfg(test)]
mod tests;
mod wrappers;

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use crate::chunks::{self, Capture, Chunk, ChunkFacts, ChunkReader, FactCache, Questions};
use crate::handlers::HandlerTable;
use crate::language::LanguageSyntax;
use crate::node_util::Parents;
use crate::queries;
use file_traits::{directives, quote_style, starts_with_directive};
use hsl_facts::{
    Body, ByteRange, Family, FileFacts, HeaderFact, Import, Insertion, Language, Replacement,
    Spelling,
};
use hsl_tables::{Framework, FrameworkOverrides, Tables};
use nodes::{chain_of, is_chain_top};
use routes::declaration_sites;

/// The node kinds of functions: what a handler can be, and where a climb to a handler stops.
const FUNCTION_KINDS: &[&str] = &[
    "function_declaration",
    "function_expression",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
    "function",
];

/// Generator functions (`function* (next) {..}`), whose `this` is Koa 1's context.
const GENERATOR_KINDS: &[&str] = &["generator_function_declaration", "generator_function"];

/// Whether a node is a function of any kind (`FUNCTION_KINDS`).
fn is_function(node: Node<'_>) -> bool {
    FUNCTION_KINDS.contains(&node.kind())
}

/// Statement kinds that end at their closing brace: nothing after them continues them, so one
/// parsed on its own parses as it does in the file. Others must end with `;`.
const CLOSED_KINDS: &[&str] = &[
    "function_declaration",
    "generator_function_declaration",
    "class_declaration",
    "abstract_class_declaration",
    "interface_declaration",
    "enum_declaration",
    "if_statement",
    "for_statement",
    "for_in_statement",
    "while_statement",
    "try_statement",
    "switch_statement",
];

/// The JavaScript family (JavaScript, TypeScript, TSX) as the syntax layer reads it.
pub(crate) struct JsSyntax;

impl LanguageSyntax for JsSyntax {
    fn grammar(&self, language: Language) -> Option<tree_sitter::Language> {
        match language {
            Language::TypeScript => Some(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
            Language::Tsx => Some(tree_sitter_typescript::LANGUAGE_TSX.into()),
            Language::JavaScript => Some(tree_sitter_javascript::LANGUAGE.into()),
            Language::Rust => None,
        }
    }

    fn query_source(&self) -> &'static str {
        include_str!("../../../../../grammars-config/queries/javascript.scm")
    }

    #[cfg(test)]
    fn captures(&self) -> &'static [&'static str] {
        &[
            "call",
            "call.receiver",
            "call.method",
            "call.args",
            "assign",
            "assign.receiver",
            "assign.property",
            "assign.value",
            "import",
            "import.source",
            "require",
            "require.function",
            "require.source",
            "new",
            "new.constructor",
            "new.args",
            "decorator",
            "fcall",
            "fcall.function",
            "fcall.args",
        ]
    }

    fn attached_to_next(&self) -> &'static [&'static str] {
        &[]
    }

    fn inner_statements<'t>(&self, statement: Node<'t>) -> Vec<Node<'t>> {
        wrappers::inner_calls(statement)
    }

    /// A statement that ends with `;`, or a declaration closed by `}` ([`CLOSED_KINDS`]).
    fn stands_alone(&self, statement: &str, first: Node<'_>) -> bool {
        let closed = CLOSED_KINDS.contains(&first.kind())
            || (first.kind() == "export_statement"
                && first
                    .child_by_field_name("declaration")
                    .is_some_and(|declaration| CLOSED_KINDS.contains(&declaration.kind())));
        statement.ends_with(';') || closed
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
        let mut extractor = Extractor::new(text, tree, overrides, FileTraits::of(text), query);
        chunks::extract(&mut extractor, language, query, tree, text, previous, keep)
    }

    fn extract_edited(
        &self,
        language: Language,
        text: &str,
        previous: &FactCache,
        overrides: &FrameworkOverrides,
    ) -> Option<(FileFacts, FactCache)> {
        let alone = chunks::parse_alone(language, text, previous)?;
        let statement = alone.statement(text)?;
        let traits = FileTraits::of(text);
        let mut extractor = Extractor::new(statement, &alone.tree, overrides, traits, alone.query);
        chunks::extract_edited(&mut extractor, &alone, text)
    }
}

/// What the whole file says that every statement's facts may depend on; read from the text,
/// so that a statement parsed on its own gets the same.
struct FileTraits {
    /// The quote the file writes strings with, for inserted text.
    quote: char,
    /// The directive the file starts with, among those the tables' helper defaults depend on
    /// (`"use server"`: its functions are Next.js Server Actions).
    directive: Option<&'static str>,
    /// The file runs in a browser (`browser.rs`).
    browser: bool,
}

impl FileTraits {
    fn of(source: &str) -> FileTraits {
        FileTraits {
            quote: quote_style(source),
            browser: browser::runs_in_browser(source),
            directive: directives()
                .iter()
                .copied()
                .find(|directive| starts_with_directive(source, directive)),
        }
    }
}

impl<'t> ChunkReader<'t> for Extractor<'_, 't> {
    fn environment(
        &mut self,
        _: &Chunk<'t>,
        captures: &[Capture<'t>],
    ) -> (Vec<Import>, Vec<String>) {
        let sources: Vec<Node<'t>> = captures
            .iter()
            .filter(|(index, _)| {
                matches!(
                    self.capture_name(*index),
                    Some("import.source" | "require.source")
                )
            })
            .map(|(_, node)| *node)
            .collect();
        self.facts.frameworks.clear();
        self.facts.imports.clear();
        self.detect_frameworks(&sources);
        self.collect_imports(&sources);
        chunks::take_environment(&mut self.facts)
    }

    fn enter(&mut self, imports: Vec<Import>, detected: Vec<String>) -> Vec<String> {
        chunks::enter_environment(
            &mut self.facts,
            &self.overrides,
            Family::JavaScript,
            imports,
            detected,
        )
    }

    fn questions(&mut self) -> &mut Questions {
        &mut self.questions
    }

    fn environment_key(&self) -> String {
        format!(
            "{}{}{}",
            self.quote,
            self.file_directive.unwrap_or(""),
            if self.in_browser { " browser" } else { "" }
        )
    }

    fn answer(&mut self, question: &str) -> bool {
        self.router_verdict(question)
    }

    fn read(&mut self, chunk: &Chunk<'t>, captures: &[Capture<'t>]) -> ChunkFacts {
        self.handler_table.clear();
        self.collect_exported_methods(&chunk.nodes);
        let steps = self.steps_of(captures);
        // Code outside any function is read together with the statements beside it (an
        // early-return guard, the statement that ends a response): broken syntax leaves a
        // handler's body at the top level mid-edit. Such a statement is read again every time.
        let outside = steps.iter().any(|step| {
            self.parents
                .parent(step.node)
                .and_then(|parent| self.parents.nearest("function", parent, is_function))
                .is_none()
        });
        if outside {
            self.questions.look_outside();
        }
        self.build_responses(steps);
        let calls: Vec<Node<'t>> = captures
            .iter()
            .filter(|(index, _)| {
                matches!(self.capture_name(*index), Some("fcall" | "call" | "new"))
            })
            .map(|(_, node)| *node)
            .collect();
        self.record_helper_calls(&calls);
        let assigns: Vec<Node<'t>> = captures
            .iter()
            .filter(|(index, _)| self.capture_name(*index) == Some("assign"))
            .map(|(_, node)| *node)
            .collect();
        self.record_error_classes(&assigns);
        self.record_status_maps(&chunk.nodes);
        self.record_credential_checks(&chunk.nodes);
        ChunkFacts::taken_from(&mut self.facts)
    }

    fn may_change_answer(&self, question: &str, text: &str) -> bool {
        declaration_sites(text, question).next().is_some()
    }
}

/// One link of a member-call chain: `.status(201)`.
struct ChainCall<'t> {
    method: String,
    method_node: Node<'t>,
    args: Vec<Node<'t>>,
    call: Node<'t>,
}

/// `root.a(..).b(..)`, links in call order.
struct CallChain<'t> {
    root: Node<'t>,
    links: Vec<ChainCall<'t>>,
    top: Node<'t>,
}

/// What one statement does to a response.
#[derive(Clone)]
enum Effect<'t> {
    /// Sets the status: explicit, or a helper that always sets its default (redirect).
    Status {
        code: Option<u16>,
        spelling: Spelling,
        node: Node<'t>,
        range: ByteRange,
        /// A helper default that yields to a status set before it.
        keeps: Option<hsl_tables::KeepsStatus>,
        /// Where a header is added to this response in the site's idiom.
        header_insert: Option<Insertion>,
    },
    /// A status the call sends only when none was set (`res.json` → 200).
    Implicit {
        code: u16,
        spelling: Spelling,
        node: Node<'t>,
        range: ByteRange,
    },
    Header(HeaderFact),
    /// Headers whose names the syntax does not show (`res.set(headers)`, `{ ...base }`).
    OpaqueHeaders,
    /// The body, and how to send the same response without it.
    Body(Body, Option<Replacement>),
    Ends,
}

/// The effects of one statement on one response object.
struct ResponseStep<'t> {
    /// Groups statements of one block; `None` when the step stands alone.
    block: Option<usize>,
    start: usize,
    root: String,
    framework: String,
    effects: Vec<Effect<'t>>,
    anchor: HandlerAnchor<'t>,
    /// The call, assignment or decorator the step was read from.
    node: Node<'t>,
    /// Where the step's statement ends (its start is `start`).
    end: usize,
    /// The statement the step is, when it stands in a block.
    statement: Option<Node<'t>>,
    /// The response value leaves the syntax's sight: bound to a name, passed to a function
    /// (`const r = new Response(..)`, `withCors(Response.json(..))`), or handed to the method
    /// as `@Res()`; headers may be added where the syntax cannot follow.
    escapes: bool,
}

/// How a step finds its handler.
#[derive(Clone, Copy)]
enum HandlerAnchor<'t> {
    /// The function that declares the response object (`res`, `ctx`, `c`) as a parameter.
    Param,
    /// The nearest enclosing function (`Response.json(..)`, `new Response(..)`).
    Enclosing,
    /// A known function (the method a decorator sits on).
    Function(Node<'t>),
}

/// Reads one file's (or one statement's) facts through the JS-family tables.
struct Extractor<'s, 't> {
    source: &'s str,
    tables: Vec<&'static Framework>,
    facts: FileFacts,
    /// The handlers of the statement being read, by range.
    handler_table: HandlerTable,
    /// The quote the file writes strings with, for inserted text.
    quote: char,
    /// The directive the file starts with ([`FileTraits::directive`]).
    file_directive: Option<&'static str>,
    /// The file runs in a browser ([`FileTraits::browser`]).
    in_browser: bool,
    /// Per handler function and response name, where the response leaves the syntax's sight.
    escape_cache: HashMap<(usize, String), Vec<usize>>,
    /// Per top-level function and parameter position, whether it only reads the response
    /// object handed there (`readers.rs`).
    readers: HashMap<(usize, usize), bool>,
    /// Parent links, remembered: the extractors climb from every site to its handler.
    parents: Parents<'t>,
    /// The query's capture names, by capture index.
    capture_names: &'static [&'static str],
    /// Framework detection forced by configuration.
    overrides: hsl_tables::FrameworkOverrides,
    /// Whether receiver names are declared as apps or routers: the questions a statement asks
    /// about the rest of the file.
    questions: Questions,
}

/// A call as an insertion form sees it (see [`Extractor::insertion`]).
struct InsertionSite<'a, 't> {
    call: Node<'t>,
    method: Option<Node<'t>>,
    args: &'a [Node<'t>],
    /// The response object the call is made on, when it is a name.
    receiver: Option<&'a str>,
    init_arg: Option<usize>,
    headers_arg: Option<usize>,
}

/// Where a step stands: the block its statement sits in (to group statements on one
/// response), the statement's range, and the statement when it stands in a block.
struct StatementPlace<'t> {
    block: Option<usize>,
    start: usize,
    end: usize,
    statement: Option<Node<'t>>,
}

impl<'t> Extractor<'_, 't> {
    /// The steps a statement's captures take on responses (registrations are collected on the
    /// way), in the order the kinds of capture are read.
    fn steps_of(&mut self, captures: &[Capture<'t>]) -> Vec<ResponseStep<'t>> {
        let by_kind = |wanted: &str| -> Vec<Node<'t>> {
            captures
                .iter()
                .filter(|(index, _)| self.capture_name(*index) == Some(wanted))
                .map(|(_, node)| *node)
                .collect()
        };
        let (decorators, constructions) = (by_kind("decorator"), by_kind("new"));
        let (function_calls, calls, assigns) =
            (by_kind("fcall"), by_kind("call"), by_kind("assign"));
        let mut steps = Vec::new();
        for decorator in decorators {
            steps.extend(self.decorator_step(decorator));
        }
        for construction in constructions {
            steps.extend(self.constructor_step(construction));
        }
        for call in function_calls {
            steps.extend(self.function_step(call));
        }
        for call in calls {
            self.collect_prefix_delegation(call);
            if !is_chain_top(&self.parents, call) {
                continue;
            }
            let Some(chain) = chain_of(call, self.source) else {
                continue;
            };
            self.collect_registrations(&chain);
            steps.extend(self.step_of_chain(chain));
        }
        for assign in assigns {
            steps.extend(self.step_of_assignment(assign));
        }
        steps
    }
}

impl<'s, 't> Extractor<'s, 't> {
    fn new(
        source: &'s str,
        tree: &'t Tree,
        overrides: &hsl_tables::FrameworkOverrides,
        traits: FileTraits,
        query: &'static tree_sitter::Query,
    ) -> Self {
        Extractor {
            source,
            tables: Tables::get().for_language(Family::JavaScript).collect(),
            facts: FileFacts::default(),
            handler_table: HandlerTable::default(),
            quote: traits.quote,
            file_directive: traits.directive,
            in_browser: traits.browser,
            escape_cache: HashMap::new(),
            readers: HashMap::new(),
            parents: Parents::new(tree.root_node()),
            capture_names: query.capture_names(),
            overrides: overrides.clone(),
            questions: Questions::default(),
        }
    }

    /// The name of a query capture, by its index.
    fn capture_name(&self, index: u32) -> Option<&'static str> {
        self.capture_names.get(index as usize).copied()
    }
}
