//! An edit inside one top-level statement of an error-free file, read without parsing the file:
//! the statement is parsed on its own and read, and every other statement's facts are reused.

use std::sync::Arc;

use tree_sitter::{Query, Tree};

use super::cache::{Cached, FactCache, Reuse};
use super::merge::merge;
use super::{Capture, Chunk, ChunkFacts, ChunkReader, attached_kinds, collect_captures};
use super::{facts_inside, read_statement, top_level};
use crate::language::syntax_of;
use hsl_facts::shift::Shift;
use hsl_facts::{ByteRange, FileFacts, Import, Language};

/// The one statement an edit changed, found by comparing the cached text with the new one.
pub(crate) struct EditedChunk<'c> {
    cache: &'c FactCache,
    index: usize,
    /// The statement's range in the new text.
    range: ByteRange,
    delta: isize,
}

/// The edited statement parsed on its own, ready to be read by the language's extractor.
pub(crate) struct Alone<'c> {
    edited: EditedChunk<'c>,
    /// The tree of the statement's text alone.
    pub tree: Tree,
    pub query: &'static Query,
}

impl Alone<'_> {
    /// The statement's text, in the new text.
    pub fn statement<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.edited.range.clone())
    }
}

/// The statement an edit changed, parsed on its own, when it parses as it does in the file
/// (the language says so: [`crate::language::LanguageSyntax::stands_alone`]); `None` when the
/// whole file must be parsed.
pub(crate) fn parse_alone<'c>(
    language: Language,
    text: &str,
    previous: &'c FactCache,
) -> Option<Alone<'c>> {
    let edited = edited_chunk(previous, text)?;
    let statement = text.get(edited.range.clone())?;
    let tree = crate::parse(language, statement)?;
    let first = tree.root_node().named_child(0)?;
    if !syntax_of(language.family()).stands_alone(statement, first) {
        return None;
    }
    let query = crate::queries::query(language)?;
    Some(Alone {
        edited,
        tree,
        query,
    })
}

/// The statement of `previous` that holds the whole difference between its text and `text`,
/// first and last byte unchanged; `None` when the edit spans statements, touches a statement's
/// ends, lies between statements, or when some statement is never reused (`foreign`: it must
/// be read with the whole tree).
fn edited_chunk<'c>(previous: &'c FactCache, text: &str) -> Option<EditedChunk<'c>> {
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
    // A statement wrapping many others is read one inner statement at a time over the whole
    // tree (`nested`), not parsed alone.
    if chunk.nesting.is_some() {
        return None;
    }
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
    /// The edited statement as it was cached.
    fn cached(&self) -> &Cached {
        &self.cache.chunks[self.index]
    }

    /// The edited statement's text before the edit.
    fn old_text(&self) -> &str {
        self.cache
            .text
            .get(self.cached().range.clone())
            .unwrap_or("")
    }

    /// Whether the statement parsed alone is the one statement that was edited, as it stands
    /// in the file: one error-free statement of the same kind covering the whole text.
    fn parses_the_same(&self, alone: &[Chunk<'_>], statement: &str) -> bool {
        let [chunk] = alone else {
            return false;
        };
        !chunk.has_error()
            && chunk.kind() == self.cached().kind
            && chunk.range.start == 0
            && chunk.range.end == statement.len()
    }

    /// Where another statement is now; its facts keep their origin and move when merged.
    fn moved(&self, index: usize, chunk: &Cached) -> Option<ByteRange> {
        if index <= self.index {
            return Some(chunk.range.clone());
        }
        Some(
            chunk.range.start.checked_add_signed(self.delta)?
                ..chunk.range.end.checked_add_signed(self.delta)?,
        )
    }

    /// The imports and detected frameworks of every statement, each where it now is.
    fn file_environment(&self) -> Option<(Vec<Import>, Vec<String>)> {
        let mut imports = Vec::new();
        let mut detected = Vec::new();
        for (index, other) in self.cache.chunks.iter().enumerate() {
            let range = self.moved(index, other)?;
            let mut part = other.facts.imports.clone();
            part.shift(range.start as isize - other.origin as isize);
            imports.extend(part);
            detected.extend(other.facts.detected.iter().cloned());
        }
        Some((imports, detected))
    }

    /// Every statement's facts: the edited one's new `facts`, the others' as cached, moved.
    fn kept_with(&self, facts: ChunkFacts) -> Option<Vec<Cached>> {
        let mut facts = Some(facts);
        let mut kept = Vec::with_capacity(self.cache.chunks.len());
        for (index, other) in self.cache.chunks.iter().enumerate() {
            if index != self.index {
                kept.push(other.moved_to(self.moved(index, other)?));
                continue;
            }
            kept.push(Cached {
                range: self.range.clone(),
                kind: other.kind,
                facts: Arc::new(facts.take().unwrap_or_default()),
                origin: self.range.start,
                nesting: None,
            });
        }
        Some(kept)
    }

    /// The cache of the edited text.
    fn cache_of(&self, text: &str, chunks: Vec<Cached>) -> FactCache {
        let previous = self.cache;
        FactCache {
            language: previous.language,
            text: Arc::from(text),
            env: previous.env.clone(),
            chunks,
            reuse: Reuse {
                read: 1,
                reused: previous.chunks.len() - 1,
                reparsed: false,
                inner: 0,
            },
            answers: previous.answers.clone(),
        }
    }
}

/// Re-reads only the edited statement, parsed on its own, and reuses every other statement's
/// facts: no parse of the whole file. `None` when the statement does not stand alone the same
/// way (its parse is not one error-free statement of the same kind), its imports changed, or it
/// asks a question the previous answers do not cover or may change; the caller then parses the
/// whole file.
pub(crate) fn extract_edited<'t>(
    reader: &mut impl ChunkReader<'t>,
    alone: &'t Alone<'_>,
    text: &str,
) -> Option<(FileFacts, FactCache)> {
    let edited = &alone.edited;
    let previous = edited.cache;
    let root = alone.tree.root_node();
    let statements = top_level(root, attached_kinds(previous.language));
    let statement = text.get(edited.range.clone())?;
    let [chunk] = statements.as_slice() else {
        return None;
    };
    if !edited.parses_the_same(&statements, statement)
        || !same_file_traits(reader, edited, statement)
    {
        return None;
    }
    let mut captures = vec![None];
    collect_captures(
        alone.query,
        root,
        statement,
        &statements,
        &mut captures,
        &[true],
    );
    let captures = captures.pop().flatten().unwrap_or_default();
    let (imports, detected) = same_imports(reader, chunk, &captures, edited)?;
    let (all_imports, all_detected) = edited.file_environment()?;
    // Configuration may have changed what is detected since (`[frameworks]`).
    if reader.enter(all_imports.clone(), all_detected) != previous.env.frameworks {
        return None;
    }
    reader.questions().answer_only_from(&previous.answers);
    let mut facts = read_statement(reader, chunk, &captures);
    if facts.foreign || !facts_inside(&mut facts, &(0..statement.len())) {
        return None;
    }
    facts.shift_all(edited.range.start as isize);
    facts.imports = imports;
    facts.detected = detected;
    let kept = edited.kept_with(facts)?;
    let merged = merge(previous.env.frameworks.clone(), all_imports, &kept);
    Some((merged, edited.cache_of(text, kept)))
}

/// Whether what the reader says about the whole file is what it said before, and no answer the
/// previous text gave could change with the statement's old or new text.
fn same_file_traits<'t>(
    reader: &mut impl ChunkReader<'t>,
    edited: &EditedChunk<'_>,
    statement: &str,
) -> bool {
    let previous = edited.cache;
    if reader.environment_key() != previous.env.extra {
        return false;
    }
    let old_text = edited.old_text();
    !previous.answers.keys().any(|question| {
        reader.may_change_answer(question, old_text)
            || reader.may_change_answer(question, statement)
    })
}

/// The statement's imports and detected frameworks, moved to where it is, when they are the
/// ones it had before the edit.
fn same_imports<'t>(
    reader: &mut impl ChunkReader<'t>,
    chunk: &Chunk<'t>,
    captures: &[Capture<'t>],
    edited: &EditedChunk<'_>,
) -> Option<(Vec<Import>, Vec<String>)> {
    let cached = edited.cached();
    let (mut imports, detected) = reader.environment(chunk, captures);
    imports.shift(edited.range.start as isize);
    let mut old_imports = cached.facts.imports.clone();
    old_imports.shift(edited.range.start as isize - cached.origin as isize);
    if imports != old_imports || detected != cached.facts.detected {
        return None;
    }
    Some((imports, detected))
}
