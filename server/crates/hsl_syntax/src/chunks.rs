//! Extraction one top-level statement at a time, keeping each statement's facts for the next
//! version of the text.
//!
//! After a keystroke in an 11k-line file almost every top-level statement is unchanged, so its
//! facts are the ones already extracted, moved by the length the edit added or removed before
//! it. Only the statements whose text changed are read again. Whether a statement's facts can
//! be reused is decided by what they were computed from, never by where the edit was:
//! - its own text, compared byte for byte with the text it was read from;
//! - the file's environment ([`Env`]): the names the file's imports bind, the frameworks they
//!   detect, and what a reader adds ([`ChunkReader::environment_key`]). Any change re-reads
//!   every statement;
//! - the answers to questions the reader asked about the rest of the file while reading it
//!   ([`ChunkFacts::dependencies`], e.g. "is `app` declared as an Express app?"), asked again
//!   of the new text;
//! - a statement whose facts reach outside it (a handler found in another statement) or whose
//!   reading looked elsewhere without recording a question (`foreign`) is always read again.
//!
//! A full extraction is the same procedure with nothing to reuse, so the CLI and the language
//! server cannot disagree.

use std::collections::HashMap;
use std::sync::Arc;

use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use hsl_facts::shift::Shift;
use hsl_facts::{
    ByteRange, FileFacts, Handler, HandlerId, HandlerRef, Import, Language, Response,
    RouteRegistration,
};

/// One top-level statement; in Rust, an item together with the attributes written above it.
pub(super) struct Chunk<'t> {
    pub nodes: Vec<Node<'t>>,
    pub range: ByteRange,
}

impl Chunk<'_> {
    fn has_error(&self) -> bool {
        self.nodes.iter().any(|node| node.has_error())
    }

    fn kind(&self) -> u16 {
        self.nodes.first().map_or(u16::MAX, |node| node.kind_id())
    }
}

/// A query capture: the capture's index in the query and the node.
pub(super) type Capture<'t> = (u32, Node<'t>);

/// What one statement says, in the byte offsets of the text it was read from.
#[derive(Debug, Default)]
pub(super) struct ChunkFacts {
    /// Imports written in the statement (`import`, `require`, `use`).
    pub imports: Vec<Import>,
    /// Framework table ids the statement's imports detect, before configuration overrides.
    pub detected: Vec<String>,
    /// Handlers, with ids local to this statement.
    pub handlers: Vec<Handler>,
    pub registrations: Vec<RouteRegistration>,
    pub responses: Vec<Response>,
    /// Questions asked about the rest of the file while reading the statement, with the
    /// answers they got; the facts stand only while every answer does.
    pub dependencies: Vec<(String, bool)>,
    /// The reader looked outside the statement in a way it did not record as a question; the
    /// facts are never reused.
    pub foreign: bool,
}

/// What a language's extractor does for the chunked extraction.
pub(super) trait ChunkReader<'t> {
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

    /// Asks a recorded question ([`ChunkFacts::dependencies`]) of this text. Readers that
    /// record none answer nothing.
    fn answer(&mut self, _question: &str) -> bool {
        false
    }

    /// Reads one statement's handlers, registrations and responses (imports are filled in by
    /// the caller).
    fn read(&mut self, chunk: &Chunk<'t>, captures: &[Capture<'t>]) -> ChunkFacts;

    /// The questions answered so far ([`Self::answer`], and those asked while reading).
    fn answers(&self) -> HashMap<String, bool> {
        HashMap::new()
    }

    /// Answers questions from `known` only (the answers of the previous version of the text):
    /// reading a statement parsed on its own, the rest of the file is out of reach. A question
    /// not in `known` marks the statement `foreign`.
    fn answer_from(&mut self, _known: &HashMap<String, bool>) {}

    /// Whether `text` could change the answer to `question` (it declares the name asked about).
    fn may_change_answer(&self, _question: &str, _text: &str) -> bool {
        false
    }
}

/// The environment a reader collected in `facts` while reading one statement's imports, taken
/// out of them ([`ChunkReader::environment`]).
pub(super) fn take_environment(facts: &mut FileFacts) -> (Vec<Import>, Vec<String>) {
    (
        std::mem::take(&mut facts.imports),
        std::mem::take(&mut facts.frameworks),
    )
}

/// Puts the file's environment into a reader's `facts`, the frameworks adjusted by
/// configuration for `language` (`"js"`, `"rust"`), and returns those frameworks
/// ([`ChunkReader::enter`]).
pub(super) fn enter_environment(
    facts: &mut FileFacts,
    overrides: &hsl_tables::FrameworkOverrides,
    language: &str,
    imports: Vec<Import>,
    detected: Vec<String>,
) -> Vec<String> {
    facts.frameworks = detected;
    overrides.apply(&mut facts.frameworks, language);
    facts.imports = imports;
    facts.frameworks.clone()
}

impl ChunkFacts {
    /// A statement's handlers, registrations and responses, taken out of the facts a reader
    /// gathered them in.
    pub(super) fn taken_from(facts: &mut FileFacts) -> ChunkFacts {
        ChunkFacts {
            handlers: std::mem::take(&mut facts.handlers),
            registrations: std::mem::take(&mut facts.registrations),
            responses: std::mem::take(&mut facts.responses),
            ..ChunkFacts::default()
        }
    }
}

/// The facts of a text's statements, kept with the text so that the next version of it reuses
/// the statements that did not change. Opaque outside the syntax layer.
pub struct FactCache {
    language: Language,
    text: Arc<str>,
    env: Env,
    chunks: Vec<Cached>,
    reuse: Reuse,
    /// Every question a reader answered while reading this text ([`ChunkReader::answer`]).
    answers: HashMap<String, bool>,
}

impl std::fmt::Debug for FactCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FactCache")
            .field("language", &self.language)
            .field("chunks", &self.chunks.len())
            .finish_non_exhaustive()
    }
}

/// What every statement's facts depend on besides its own text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Env {
    frameworks: Vec<String>,
    imports: Vec<(String, String, Option<String>)>,
    extra: String,
}

struct Cached {
    /// Where the statement is in the cache's text.
    range: ByteRange,
    /// The statement's node kind id (its first node's, for a Rust item with attributes).
    kind: u16,
    facts: Arc<ChunkFacts>,
    /// Where the statement was when its facts were read; facts move by `range.start - origin`.
    origin: usize,
}

/// How many statements were read and how many reused; for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    pub read: usize,
    pub reused: usize,
    /// Whether the whole text was parsed again; `false` when only the edited statement was
    /// (see [`extract_edited`]).
    pub reparsed: bool,
}

impl FactCache {
    /// How many statements the extraction that made this cache read, and how many it reused.
    pub fn reuse(&self) -> Reuse {
        self.reuse
    }

    /// For each new statement, the cached statement with the same text whose facts may be
    /// reused.
    fn matching<'c>(&'c self, chunks: &[Chunk<'_>], source: &str) -> Vec<Option<&'c Cached>> {
        // Candidates by length and the ends of the text; the whole text is compared after.
        let key = |text: &str| {
            use std::hash::{Hash, Hasher};
            let bytes = text.as_bytes();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes[..bytes.len().min(32)].hash(&mut hasher);
            bytes[bytes.len().saturating_sub(32)..].hash(&mut hasher);
            (bytes.len(), hasher.finish())
        };
        let mut by_key: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
        for (index, cached) in self.chunks.iter().enumerate() {
            if cached.facts.foreign {
                continue;
            }
            if let Some(text) = self.text.get(cached.range.clone()) {
                by_key.entry(key(text)).or_default().push(index);
            }
        }
        let mut used = vec![false; self.chunks.len()];
        chunks
            .iter()
            .map(|chunk| {
                if chunk.has_error() {
                    return None;
                }
                let text = source.get(chunk.range.clone())?;
                let candidates = by_key.get(&key(text))?;
                let found = candidates.iter().copied().find(|&index| {
                    !used[index] && self.text.get(self.chunks[index].range.clone()) == Some(text)
                })?;
                used[found] = true;
                Some(&self.chunks[found])
            })
            .collect()
    }
}

/// The top-level statements of a tree in source order. Comments stand between statements and
/// belong to none; a Rust attribute joins the item after it.
pub(super) fn top_level(root: Node<'_>) -> Vec<Chunk<'_>> {
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
        takes_next = child.kind() == "attribute_item";
    }
    chunks
}

/// Extracts a file statement by statement, reusing what `previous` (the cache of an earlier
/// version of the text) holds for unchanged statements. Returns the facts, and with `keep`
/// the cache for the next version.
pub(super) fn extract<'t>(
    reader: &mut impl ChunkReader<'t>,
    language: Language,
    query: &Query,
    tree: &'t Tree,
    source: &str,
    previous: Option<&FactCache>,
    keep: bool,
) -> (FileFacts, Option<FactCache>) {
    let root = tree.root_node();
    let chunks = top_level(root);
    let previous = previous.filter(|cache| cache.language == language);
    let mut reuse: Vec<Option<&Cached>> = match previous {
        Some(cache) => cache.matching(&chunks, source),
        None => chunks.iter().map(|_| None).collect(),
    };
    let mut captures: Vec<Option<Vec<Capture<'t>>>> = chunks.iter().map(|_| None).collect();
    let wanted: Vec<bool> = reuse.iter().map(Option::is_none).collect();
    collect_captures(query, root, source, &chunks, &mut captures, &wanted);

    let mut environments: Vec<(Vec<Import>, Vec<String>)> = Vec::with_capacity(chunks.len());
    for (index, chunk) in chunks.iter().enumerate() {
        let part = match (reuse[index], &captures[index]) {
            (Some(cached), _) => {
                let delta = delta(chunk, cached);
                let mut imports = cached.facts.imports.clone();
                imports.shift(delta);
                (imports, cached.facts.detected.clone())
            }
            (None, Some(found)) => reader.environment(chunk, found),
            (None, None) => (Vec::new(), Vec::new()),
        };
        environments.push(part);
    }
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
    let env = Env {
        imports: imports
            .iter()
            .map(|import| {
                (
                    import.local.clone(),
                    import.module.clone(),
                    import.item.clone(),
                )
            })
            .collect(),
        frameworks: reader.enter(imports.clone(), detected),
        extra: reader.environment_key(),
    };
    if previous.is_none_or(|cache| cache.env != env) {
        reuse.iter_mut().for_each(|found| *found = None);
    }
    for found in reuse.iter_mut() {
        let stands = found.is_none_or(|cached| {
            cached
                .facts
                .dependencies
                .iter()
                .all(|(question, answer)| reader.answer(question) == *answer)
        });
        if !stands {
            *found = None;
        }
    }
    let wanted: Vec<bool> = (0..chunks.len())
        .map(|index| reuse[index].is_none() && captures[index].is_none())
        .collect();
    collect_captures(query, root, source, &chunks, &mut captures, &wanted);

    let mut kept: Vec<Cached> = Vec::with_capacity(chunks.len());
    let mut counts = Reuse {
        reparsed: true,
        ..Reuse::default()
    };
    for (index, (chunk, (imports, detected))) in chunks.iter().zip(environments).enumerate() {
        if let Some(cached) = reuse[index] {
            kept.push(Cached {
                range: chunk.range.clone(),
                kind: cached.kind,
                facts: cached.facts.clone(),
                origin: cached.origin,
            });
            counts.reused += 1;
            continue;
        }
        counts.read += 1;
        let mut facts = reader.read(chunk, captures[index].as_deref().unwrap_or(&[]));
        // A statement with a syntax error is parsed by recovery that looks past it: the same
        // text may parse differently beside other text.
        facts.foreign |= chunk.has_error() || !facts_inside(&mut facts, &chunk.range);
        facts.imports = imports;
        facts.detected = detected;
        kept.push(Cached {
            range: chunk.range.clone(),
            kind: chunk.kind(),
            facts: Arc::new(facts),
            origin: chunk.range.start,
        });
    }
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
        answers: reader.answers(),
    };
    (facts, Some(cache))
}

/// The one statement an edit changed, found by comparing the cached text with the new one.
pub(super) struct EditedChunk<'c> {
    cache: &'c FactCache,
    index: usize,
    /// The statement's range in the new text.
    pub range: ByteRange,
    delta: isize,
}

/// The statement of `previous` that holds the whole difference between its text and `text`,
/// first and last byte unchanged; `None` when the edit spans statements, touches a statement's
/// ends, lies between statements, or when some statement is never reused (`foreign`: it must
/// be read with the whole tree).
pub(super) fn edited_chunk<'c>(previous: &'c FactCache, text: &str) -> Option<EditedChunk<'c>> {
    if previous.chunks.iter().any(|chunk| chunk.facts.foreign) {
        return None;
    }
    let old = previous.text.as_bytes();
    let new = text.as_bytes();
    let (prefix, suffix) = hsl_text::common_ends(old, new);
    let changed = prefix..old.len() - suffix;
    let index = previous
        .chunks
        .partition_point(|chunk| chunk.range.end <= changed.start);
    let chunk = previous.chunks.get(index)?;
    if !(chunk.range.start < changed.start && changed.end < chunk.range.end) {
        return None;
    }
    let delta = new.len() as isize - old.len() as isize;
    let range = chunk.range.start..chunk.range.end.checked_add_signed(delta)?;
    text.get(range.clone())?;
    Some(EditedChunk {
        cache: previous,
        index,
        range,
        delta,
    })
}

impl EditedChunk<'_> {
    /// The edited statement's node kind id before the edit.
    pub fn kind(&self) -> u16 {
        self.cache.chunks[self.index].kind
    }

    /// The edited statement's text before the edit.
    pub fn old_text(&self) -> &str {
        self.cache
            .text
            .get(self.cache.chunks[self.index].range.clone())
            .unwrap_or("")
    }
}

/// Re-reads only the edited statement, parsed on its own (`tree`, of the statement's text
/// alone), and reuses every other statement's facts: no parse of the whole file. `None` when
/// the statement does not stand alone the same way (its parse is not one error-free statement
/// of the same kind), its imports changed, or it asks a question the previous answers do not
/// cover or may change; the caller then parses the whole file.
pub(super) fn extract_edited<'t>(
    reader: &mut impl ChunkReader<'t>,
    edited: &EditedChunk<'_>,
    query: &Query,
    tree: &'t Tree,
    text: &str,
) -> Option<(FileFacts, FactCache)> {
    let previous = edited.cache;
    let root = tree.root_node();
    let alone = top_level(root);
    let [chunk] = alone.as_slice() else {
        return None;
    };
    let chunk_text = text.get(edited.range.clone())?;
    if chunk.has_error()
        || chunk.kind() != edited.kind()
        || chunk.range.start != 0
        || chunk.range.end != chunk_text.len()
    {
        return None;
    }
    if reader.environment_key() != previous.env.extra {
        return None;
    }
    let old_text = edited.old_text();
    if previous.answers.keys().any(|question| {
        reader.may_change_answer(question, old_text)
            || reader.may_change_answer(question, chunk_text)
    }) {
        return None;
    }
    let mut captures = vec![None];
    collect_captures(query, root, chunk_text, &alone, &mut captures, &[true]);
    let captures = captures.pop().flatten().unwrap_or_default();
    let cached = &previous.chunks[edited.index];
    let (mut imports, detected) = reader.environment(chunk, &captures);
    imports.shift(edited.range.start as isize);
    let mut old_imports = cached.facts.imports.clone();
    old_imports.shift(edited.range.start as isize - cached.origin as isize);
    if imports != old_imports || detected != cached.facts.detected {
        return None;
    }
    // Where each other statement is now; facts keep their origin and move in `merge`.
    let shifted = |index: usize, chunk: &Cached| {
        if index > edited.index {
            Some(
                chunk.range.start.checked_add_signed(edited.delta)?
                    ..chunk.range.end.checked_add_signed(edited.delta)?,
            )
        } else {
            Some(chunk.range.clone())
        }
    };
    let mut all_imports = Vec::new();
    let mut all_detected = Vec::new();
    for (index, other) in previous.chunks.iter().enumerate() {
        let range = shifted(index, other)?;
        let mut part = other.facts.imports.clone();
        part.shift(range.start as isize - other.origin as isize);
        all_imports.extend(part);
        all_detected.extend(other.facts.detected.iter().cloned());
    }
    // Configuration may have changed what is detected since (`[frameworks]`).
    if reader.enter(all_imports.clone(), all_detected) != previous.env.frameworks {
        return None;
    }
    reader.answer_from(&previous.answers);
    let mut facts = reader.read(chunk, &captures);
    facts.foreign |= !facts_inside(&mut facts, &(0..chunk_text.len()));
    if facts.foreign {
        return None;
    }
    facts.shift_all(edited.range.start as isize);
    facts.imports = imports;
    facts.detected = detected;
    let mut kept = Vec::with_capacity(previous.chunks.len());
    for (index, other) in previous.chunks.iter().enumerate() {
        if index == edited.index {
            kept.push(Cached {
                range: edited.range.clone(),
                kind: other.kind,
                facts: Arc::new(std::mem::take(&mut facts)),
                origin: edited.range.start,
            });
            continue;
        }
        kept.push(Cached {
            range: shifted(index, other)?,
            kind: other.kind,
            facts: other.facts.clone(),
            origin: other.origin,
        });
    }
    let merged = merge(previous.env.frameworks.clone(), all_imports, &kept);
    let cache = FactCache {
        language: previous.language,
        text: Arc::from(text),
        env: previous.env.clone(),
        chunks: kept,
        reuse: Reuse {
            read: 1,
            reused: previous.chunks.len() - 1,
            reparsed: false,
        },
        answers: previous.answers.clone(),
    };
    Some((merged, cache))
}

impl ChunkFacts {
    fn shift_all(&mut self, delta: isize) {
        self.handlers.shift(delta);
        self.registrations.shift(delta);
        self.responses.shift(delta);
    }
}

fn delta(chunk: &Chunk<'_>, cached: &Cached) -> isize {
    chunk.range.start as isize - cached.origin as isize
}

/// Whether every offset of a statement's handlers, registrations and responses lies inside it
/// (a response after an early-return guard in the statement before, when broken syntax left
/// both at the top level, does not).
fn facts_inside(facts: &mut ChunkFacts, range: &ByteRange) -> bool {
    facts.handlers.lies_within(range)
        && facts.registrations.lies_within(range)
        && facts.responses.lies_within(range)
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
        let (Some(start), Some(end)) = (run.first(), run.last()) else {
            continue;
        };
        let mut cursor = QueryCursor::new();
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
                if inside && let Some(list) = captures[first + at].as_mut() {
                    list.push((capture.index, node));
                }
            }
        }
    }
}

/// The file's facts from its statements' facts, each moved to where its statement now is;
/// handler ids renumbered, and a handler two statements found (one registers a function the
/// other defines) merged into one.
fn merge(frameworks: Vec<String>, imports: Vec<Import>, chunks: &[Cached]) -> FileFacts {
    let mut merged = Merged::new(frameworks, imports);
    for chunk in chunks {
        let delta = chunk.range.start as isize - chunk.origin as isize;
        let facts = &chunk.facts;
        merged.add(
            delta,
            facts.handlers.iter().cloned(),
            facts.registrations.iter().cloned(),
            facts.responses.iter().cloned(),
        );
    }
    merged.facts
}

/// [`merge`] for statements nobody keeps: their facts are moved, not copied (the CLI and the
/// workspace index read each file once).
fn merge_owned(frameworks: Vec<String>, imports: Vec<Import>, chunks: Vec<Cached>) -> FileFacts {
    let mut merged = Merged::new(frameworks, imports);
    for chunk in chunks {
        let delta = chunk.range.start as isize - chunk.origin as isize;
        let facts = Arc::try_unwrap(chunk.facts).unwrap_or_else(|shared| ChunkFacts {
            handlers: shared.handlers.clone(),
            registrations: shared.registrations.clone(),
            responses: shared.responses.clone(),
            ..ChunkFacts::default()
        });
        merged.add(
            delta,
            facts.handlers.into_iter(),
            facts.registrations.into_iter(),
            facts.responses.into_iter(),
        );
    }
    merged.facts
}

/// A file's facts being assembled from its statements' facts.
struct Merged {
    facts: FileFacts,
    /// Handler range → id, so that a handler two statements found is one.
    ids: HashMap<(usize, usize), HandlerId>,
}

impl Merged {
    fn new(frameworks: Vec<String>, imports: Vec<Import>) -> Merged {
        Merged {
            facts: FileFacts {
                frameworks,
                imports,
                ..FileFacts::default()
            },
            ids: HashMap::new(),
        }
    }

    /// Adds one statement's facts, moved by `delta`, with its handler ids renumbered.
    fn add(
        &mut self,
        delta: isize,
        handlers: impl Iterator<Item = Handler>,
        registrations: impl Iterator<Item = RouteRegistration>,
        responses: impl Iterator<Item = Response>,
    ) {
        let facts = &mut self.facts;
        let mut local: Vec<HandlerId> = Vec::new();
        for mut handler in handlers {
            handler.shift(delta);
            let key = (handler.range.start, handler.range.end);
            match self.ids.get(&key) {
                Some(&id) => {
                    let known = &mut facts.handlers[id];
                    for evidence in handler.methods {
                        if !known.methods.contains(&evidence) {
                            known.methods.push(evidence);
                        }
                    }
                    if known.name.is_none() && handler.name.is_some() {
                        known.name = handler.name;
                        known.name_range = handler.name_range;
                    }
                    local.push(id);
                }
                None => {
                    let id = facts.handlers.len();
                    self.ids.insert(key, id);
                    facts.handlers.push(handler);
                    local.push(id);
                }
            }
        }
        let global = |id: HandlerId| local.get(id).copied();
        for mut registration in registrations {
            registration.shift(delta);
            if let HandlerRef::Inline(id) = registration.handler {
                match global(id) {
                    Some(id) => registration.handler = HandlerRef::Inline(id),
                    None => continue,
                }
            }
            facts.registrations.push(registration);
        }
        for mut response in responses {
            response.shift(delta);
            response.handler = response.handler.and_then(global);
            facts.responses.push(response);
        }
    }
}
