//! Extraction one top-level statement at a time, keeping each statement's facts for the next
//! version of the text.
//!
//! After a keystroke in an 11k-line file almost every top-level statement is unchanged, so its
//! facts are the ones already extracted, moved by the length the edit added or removed before
//! it. Only the statements whose text changed are read again. Whether a statement's facts can
//! be reused is decided by what they were computed from, never by where the edit was:
//! - its own text, compared byte for byte with the text it was read from;
//! - the file's environment (`cache::Env`): the names the file's imports bind, the frameworks
//!   they detect, and what a reader adds ([`ChunkReader::environment_key`]). Any change re-reads
//!   every statement;
//! - the answers to questions the reader asked about the rest of the file while reading it
//!   ([`Questions`], e.g. "is `app` declared as an Express app?"), asked again of the new text;
//! - a statement whose facts reach outside it (a handler found in another statement) or whose
//!   reading looked elsewhere without recording a question (`foreign`) is always read again.
//!
//! A full extraction is the same procedure with nothing to reuse, so the CLI and the language
//! server cannot disagree. An edit inside one statement of an error-free file is read without
//! parsing the file at all (`edited`).

mod cache;
mod edited;
mod merge;
mod nested;
mod questions;

use std::sync::Arc;

use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use hsl_facts::shift::Shift;
use hsl_facts::{
    ByteRange, CredentialCheck, FileFacts, Handler, HelperCall, Import, Language, Response,
    ResponseHelper, RouteRegistration,
};

pub use cache::{FactCache, Reuse};
pub(crate) use edited::{extract_edited, parse_alone};
#[cfg(test)]
pub(crate) use nested::MIN_BYTES as NEST_MIN_BYTES_FOR_TESTS;
pub(crate) use questions::Questions;

use crate::language::syntax_of;
use cache::{Cached, Env};
use merge::{merge, merge_owned};
use nested::{Nesting, Plan};

/// One top-level statement; in Rust, an item together with the attributes written above it.
pub(crate) struct Chunk<'t> {
    pub nodes: Vec<Node<'t>>,
    pub range: ByteRange,
}

impl Chunk<'_> {
    /// Whether the parser met an error inside the statement.
    fn has_error(&self) -> bool {
        self.nodes.iter().any(|node| node.has_error())
    }

    /// The statement's node kind id (its first node's, for a Rust item with attributes).
    fn kind(&self) -> u16 {
        self.nodes.first().map_or(u16::MAX, |node| node.kind_id())
    }
}

/// A query capture: the capture's index in the query and the node.
pub(crate) type Capture<'t> = (u32, Node<'t>);

/// What one statement says, in the byte offsets of the text it was read from.
#[derive(Debug, Default)]
pub(crate) struct ChunkFacts {
    /// Imports written in the statement (`import`, `require`, `use`).
    pub imports: Vec<Import>,
    /// Framework table ids the statement's imports detect, before configuration overrides.
    pub detected: Vec<String>,
    /// Handlers, with ids local to this statement.
    pub handlers: Vec<Handler>,
    pub registrations: Vec<RouteRegistration>,
    pub responses: Vec<Response>,
    /// Calls the project's helpers may answer (`HelperCall`), with statement-local handler ids.
    pub helper_calls: Vec<HelperCall>,
    /// Helpers the statement declares (an error class with a status).
    pub helpers: Vec<ResponseHelper>,
    /// Functions the statement declares that read an HTTP authentication credential.
    pub credential_checks: Vec<CredentialCheck>,
    /// Questions asked about the rest of the file while reading the statement, with the
    /// answers they got; the facts stand only while every answer does.
    pub dependencies: Vec<(String, bool)>,
    /// The reader looked outside the statement in a way it did not record as a question; the
    /// facts are never reused.
    pub foreign: bool,
}

/// What a language's extractor does for the chunked extraction.
pub(crate) trait ChunkReader<'t> {
    /// The reader's record of the questions it asks about the rest of the file.
    fn questions(&mut self) -> &mut Questions;

    /// The imports a statement writes and the frameworks they detect.
    fn environment(
        &mut self,
        chunk: &Chunk<'t>,
        captures: &[Capture<'t>],
    ) -> (Vec<Import>, Vec<String>);

    /// Starts reading statements in the file's environment: all of its imports and the
    /// frameworks they detect. Returns the frameworks after configuration overrides.
    fn enter(&mut self, imports: Vec<Import>, detected: Vec<String>) -> Vec<String>;

    /// Anything else about the whole file that facts depend on (the quote style fixes write).
    fn environment_key(&self) -> String {
        String::new()
    }

    /// Answers a question a statement recorded ([`Questions::depend_on`]) about this text,
    /// recording nothing. Readers that record none answer nothing.
    fn answer(&mut self, _question: &str) -> bool {
        false
    }

    /// Reads one statement's handlers, registrations and responses (imports are filled in by
    /// the caller, questions from [`Self::questions`]).
    fn read(&mut self, chunk: &Chunk<'t>, captures: &[Capture<'t>]) -> ChunkFacts;

    /// Whether `text` could change the answer to `question` (it declares the name asked about).
    fn may_change_answer(&self, _question: &str, _text: &str) -> bool {
        false
    }
}

/// The environment a reader collected in `facts` while reading one statement's imports, taken
/// out of them ([`ChunkReader::environment`]).
pub(crate) fn take_environment(facts: &mut FileFacts) -> (Vec<Import>, Vec<String>) {
    (
        std::mem::take(&mut facts.imports),
        std::mem::take(&mut facts.frameworks),
    )
}

/// Puts the file's environment into a reader's `facts`, the frameworks adjusted by
/// configuration for the tables of `family`, and returns those frameworks
/// ([`ChunkReader::enter`]).
pub(crate) fn enter_environment(
    facts: &mut FileFacts,
    overrides: &hsl_tables::FrameworkOverrides,
    family: hsl_facts::Family,
    imports: Vec<Import>,
    detected: Vec<String>,
) -> Vec<String> {
    facts.frameworks = detected;
    overrides.apply(&mut facts.frameworks, family);
    facts.imports = imports;
    facts.frameworks.clone()
}

impl ChunkFacts {
    /// A statement's handlers, registrations and responses, taken out of the facts a reader
    /// gathered them in.
    pub(crate) fn taken_from(facts: &mut FileFacts) -> ChunkFacts {
        ChunkFacts {
            handlers: std::mem::take(&mut facts.handlers),
            registrations: std::mem::take(&mut facts.registrations),
            responses: std::mem::take(&mut facts.responses),
            helper_calls: std::mem::take(&mut facts.helper_calls),
            helpers: std::mem::take(&mut facts.helpers),
            credential_checks: std::mem::take(&mut facts.credential_checks),
            ..ChunkFacts::default()
        }
    }

    /// Moves the statement's handlers, registrations and responses by `delta` bytes.
    fn shift_all(&mut self, delta: isize) {
        self.handlers.shift(delta);
        self.registrations.shift(delta);
        self.responses.shift(delta);
        self.helper_calls.shift(delta);
        self.helpers.shift(delta);
        self.credential_checks.shift(delta);
    }
}

/// The kinds of node a language joins to the top-level statement after them.
fn attached_kinds(language: Language) -> &'static [&'static str] {
    syntax_of(language.family()).attached_to_next()
}

/// The top-level statements of a tree in source order. Comments stand between statements and
/// belong to none; a node of an `attached` kind (a Rust attribute) joins the statement after it.
fn top_level<'t>(root: Node<'t>, attached: &[&str]) -> Vec<Chunk<'t>> {
    let mut chunks: Vec<Chunk<'_>> = Vec::new();
    let mut takes_next = false;
    let mut cursor = root.walk();
    for child in root.named_children(&mut cursor) {
        if child.is_extra() {
            continue;
        }
        match chunks.last_mut() {
            Some(last) if takes_next => {
                last.range.end = child.end_byte();
                last.nodes.push(child);
            }
            _ => chunks.push(Chunk {
                nodes: vec![child],
                range: child.byte_range(),
            }),
        }
        takes_next = attached.contains(&child.kind());
    }
    chunks
}

/// Extracts a file statement by statement, reusing what `previous` (the cache of an earlier
/// version of the text) holds for unchanged statements. Returns the facts, and with `keep`
/// the cache for the next version.
pub(crate) fn extract<'t>(
    reader: &mut impl ChunkReader<'t>,
    language: Language,
    query: &Query,
    tree: &'t Tree,
    source: &str,
    previous: Option<&FactCache>,
    keep: bool,
) -> (FileFacts, Option<FactCache>) {
    let root = tree.root_node();
    let chunks = top_level(root, attached_kinds(language));
    let previous = previous.filter(|cache| cache.language == language);
    let mut reuse: Vec<Option<&Cached>> = match previous {
        Some(cache) => cache.matching(&chunks, source),
        None => vec![None; chunks.len()],
    };
    let mut plans: Vec<Plan<'t>> = chunks
        .iter()
        .zip(&reuse)
        .map(|(chunk, found)| match found {
            Some(_) => Plan::Whole,
            None if keep => Plan::of(language, chunk, source, previous),
            None => Plan::Whole,
        })
        .collect();
    let mut captures: Vec<Option<Vec<Capture<'t>>>> = chunks.iter().map(|_| None).collect();
    nested::prepare(reader, query, root, source, &mut plans);
    let wanted: Vec<bool> = (0..chunks.len())
        .map(|index| reuse[index].is_none() && plans[index].reads_whole())
        .collect();
    collect_captures(query, root, source, &chunks, &mut captures, &wanted);
    let environments = environments(reader, &chunks, &reuse, &captures);
    let (imports, detected) = file_environment(&environments);
    let frameworks = reader.enter(imports.clone(), detected);
    let env = Env::new(&imports, frameworks, reader.environment_key());
    forget_stale(reader, &mut reuse, previous, &env);
    let same_env = previous.is_some_and(|cache| cache.env == env);
    nested::refresh(reader, query, root, source, &mut plans, same_env);
    let wanted: Vec<bool> = (0..chunks.len())
        .map(|index| {
            reuse[index].is_none() && captures[index].is_none() && plans[index].reads_whole()
        })
        .collect();
    collect_captures(query, root, source, &chunks, &mut captures, &wanted);
    let (kept, counts) = read_or_reuse(reader, &chunks, &reuse, &captures, environments, plans);
    if !keep {
        return (merge_owned(env.frameworks, imports, kept), None);
    }
    let facts = merge(env.frameworks.clone(), imports, &kept);
    let cache = FactCache {
        language,
        text: Arc::from(source),
        env,
        chunks: kept,
        reuse: counts,
        answers: reader.questions().answers().clone(),
    };
    (facts, Some(cache))
}

/// Each statement's imports and detected frameworks: moved from the cache for a reused one,
/// read for the others.
fn environments<'t>(
    reader: &mut impl ChunkReader<'t>,
    chunks: &[Chunk<'t>],
    reuse: &[Option<&Cached>],
    captures: &[Option<Vec<Capture<'t>>>],
) -> Vec<(Vec<Import>, Vec<String>)> {
    let mut environments = Vec::with_capacity(chunks.len());
    for (index, chunk) in chunks.iter().enumerate() {
        let part = match (reuse[index], &captures[index]) {
            (Some(cached), _) => {
                let mut imports = cached.facts.imports.clone();
                imports.shift(chunk.range.start as isize - cached.origin as isize);
                (imports, cached.facts.detected.clone())
            }
            (None, Some(found)) => reader.environment(chunk, found),
            (None, None) => (Vec::new(), Vec::new()),
        };
        environments.push(part);
    }
    environments
}

/// The file's imports and the frameworks they detect, each named once.
fn file_environment(environments: &[(Vec<Import>, Vec<String>)]) -> (Vec<Import>, Vec<String>) {
    let imports: Vec<Import> = environments
        .iter()
        .flat_map(|(imports, _)| imports.iter().cloned())
        .collect();
    let mut detected: Vec<String> = Vec::new();
    for id in environments.iter().flat_map(|(_, detected)| detected) {
        if !detected.contains(id) {
            detected.push(id.clone());
        }
    }
    (imports, detected)
}

/// Drops the reuse of every statement when the file's environment changed, and of each
/// statement one of whose recorded answers changed.
fn forget_stale<'t>(
    reader: &mut impl ChunkReader<'t>,
    reuse: &mut [Option<&Cached>],
    previous: Option<&FactCache>,
    env: &Env,
) {
    if previous.is_none_or(|cache| cache.env != *env) {
        reuse.iter_mut().for_each(|found| *found = None);
    }
    for found in reuse.iter_mut() {
        let stands = found.is_none_or(|cached| answers_stand(reader, &cached.facts));
        if !stands {
            *found = None;
        }
    }
}

/// Whether every question a statement's reading asked gets the same answer from this text.
fn answers_stand<'t>(reader: &mut impl ChunkReader<'t>, facts: &ChunkFacts) -> bool {
    facts
        .dependencies
        .iter()
        .all(|(question, answer)| reader.answer(question) == *answer)
}

/// Every statement's facts, reused or read as its plan says, with how many were which.
fn read_or_reuse<'t>(
    reader: &mut impl ChunkReader<'t>,
    chunks: &[Chunk<'t>],
    reuse: &[Option<&Cached>],
    captures: &[Option<Vec<Capture<'t>>>],
    environments: Vec<(Vec<Import>, Vec<String>)>,
    plans: Vec<Plan<'t>>,
) -> (Vec<Cached>, Reuse) {
    let mut kept: Vec<Cached> = Vec::with_capacity(chunks.len());
    let mut counts = Reuse {
        reparsed: true,
        ..Reuse::default()
    };
    let parts = chunks.iter().zip(environments).zip(plans).enumerate();
    for (index, ((chunk, (imports, detected)), plan)) in parts {
        if let Some(cached) = reuse[index] {
            kept.push(cached.moved_to(chunk.range.clone()));
            counts.reused += 1;
            continue;
        }
        let found = captures[index].as_deref().unwrap_or(&[]);
        let (mut facts, nesting) = match plan {
            Plan::Inner {
                inner,
                reuse,
                captures,
            } => {
                let (children, (read, reused)) =
                    nested::read_inner(reader, &inner.children, reuse, &captures);
                counts.read += read;
                counts.reused += reused;
                counts.inner += usize::from(reused > 0);
                let facts = nested::summary(&children);
                let children = nested::relative(children, &chunk.range);
                (facts, Some(inner.keep(children)))
            }
            plan => {
                counts.read += 1;
                let mut facts = read_statement(reader, chunk, found);
                // A statement with a syntax error is parsed by recovery that looks past it:
                // the same text may parse differently beside other text.
                facts.foreign |= chunk.has_error() || !facts_inside(&mut facts, &chunk.range);
                facts.imports = imports.clone();
                facts.detected = detected.clone();
                let nesting = match plan {
                    Plan::First => Some(Nesting::Unknown),
                    Plan::WholeAgain(frame) => Some(Nesting::Whole { frame }),
                    Plan::Compare(inner) => {
                        let nesting = nested::compare(reader, &chunk.range, inner, &facts, found);
                        if let Nesting::Inner { children, .. } = &nesting {
                            // The inner statements hold the facts now (`merge` takes them).
                            facts = nested::summary(children);
                        }
                        Some(nesting)
                    }
                    _ => None,
                };
                (facts, nesting)
            }
        };
        facts.imports = imports;
        facts.detected = detected;
        kept.push(Cached {
            range: chunk.range.clone(),
            kind: chunk.kind(),
            facts: Arc::new(facts),
            origin: chunk.range.start,
            nesting: nesting.map(Arc::new),
        });
    }
    (kept, counts)
}

/// Reads one statement, with the questions it asks and whether it looked outside itself.
fn read_statement<'t>(
    reader: &mut impl ChunkReader<'t>,
    chunk: &Chunk<'t>,
    captures: &[Capture<'t>],
) -> ChunkFacts {
    reader.questions().start_statement();
    let mut facts = reader.read(chunk, captures);
    let (dependencies, foreign) = reader.questions().finish_statement();
    facts.dependencies = dependencies;
    facts.foreign |= foreign;
    facts
}

/// Whether every offset of a statement's handlers, registrations and responses lies inside it
/// (a response after an early-return guard in the statement before, when broken syntax left
/// both at the top level, does not).
fn facts_inside(facts: &mut ChunkFacts, range: &ByteRange) -> bool {
    facts.handlers.lies_within(range)
        && facts.registrations.lies_within(range)
        && facts.responses.lies_within(range)
        && facts.helper_calls.lies_within(range)
        && facts.helpers.lies_within(range)
        && facts.credential_checks.lies_within(range)
}

/// Runs the query over the runs of consecutive statements `wanted` selects, and files each
/// capture under the statement that holds it.
fn collect_captures<'t>(
    query: &Query,
    root: Node<'t>,
    source: &str,
    chunks: &[Chunk<'t>],
    captures: &mut [Option<Vec<Capture<'t>>>],
    wanted: &[bool],
) {
    let wanted = |index: usize| wanted.get(index).copied().unwrap_or(false);
    let mut index = 0;
    while index < chunks.len() {
        if !wanted(index) {
            index += 1;
            continue;
        }
        let first = index;
        while index < chunks.len() && wanted(index) {
            captures[index] = Some(Vec::new());
            index += 1;
        }
        let run = &chunks[first..index];
        capture_run(query, root, source, run, &mut captures[first..index]);
    }
}

/// How deep below the root a match may start. Every level of a nested expression
/// (`res.status(res.status(…))`) starts partial matches, and tree-sitter's cursor steps all of
/// them at each node: fifty thousand levels took it about twenty seconds. Handler code sits a
/// few dozen levels deep; below this depth the query finds nothing, and the facts there are
/// not claimed.
const MAX_START_DEPTH: u32 = 2048;

/// Runs the query over one run of consecutive statements, filing each capture under the
/// statement that holds it.
fn capture_run<'t>(
    query: &Query,
    root: Node<'t>,
    source: &str,
    run: &[Chunk<'t>],
    captures: &mut [Option<Vec<Capture<'t>>>],
) {
    let (Some(start), Some(end)) = (run.first(), run.last()) else {
        return;
    };
    let mut cursor = QueryCursor::new();
    cursor.set_max_start_depth(Some(MAX_START_DEPTH));
    cursor.set_byte_range(start.range.start..end.range.end);
    let mut matches = cursor.matches(query, root, source.as_bytes());
    while let Some(found) = matches.next() {
        for capture in found.captures() {
            let node = capture.node;
            let at = run.partition_point(|chunk| chunk.range.end <= node.start_byte());
            let Some(chunk) = run.get(at) else {
                continue;
            };
            let inside =
                chunk.range.start <= node.start_byte() && node.end_byte() <= chunk.range.end;
            if inside && let Some(list) = captures.get_mut(at).and_then(Option::as_mut) {
                list.push((capture.index, node));
            }
        }
    }
}
