//! Reuse below the top level: a big top-level statement that wraps its code in one function
//! (`module.exports = function register(app) { app.get(..); … }`, a test file's one
//! `describe('…', () => { it(..); … })`) is read one inner call statement at a time, so that an
//! edit inside one of them costs what it costs in a flat file.
//!
//! Reading the inner statements one at a time is proven to give the facts of reading the
//! statement whole, for the text at hand, before it is relied on: the first time the statement
//! is read again after an edit, it is read both ways and the facts compared (`Plan::Compare`).
//! When they differ (the wrapping function is itself a handler whose responses span its
//! statements, or something in the frame reads the inner statements) the statement is read
//! whole for as long as its frame stays the same. When they agree, later versions reuse each
//! inner statement whose text did not change, on the same terms as a top-level statement: the
//! frame (the statement's text outside its inner statements) unchanged, the file's environment
//! unchanged, the answers to its questions unchanged, and nothing read outside it.

use std::collections::HashMap;
use std::sync::Arc;

use super::cache::{Cached, FactCache, candidate_key};
use super::merge::merge;
use tree_sitter::{Node, Query};

use super::{
    Capture, Chunk, ChunkFacts, ChunkReader, answers_stand, collect_captures, facts_inside,
    read_statement,
};
use crate::language::syntax_of;
use hsl_facts::{ByteRange, HandlerId, HandlerRef, Language};

/// How long a top-level statement must be before its inner statements are read one at a time:
/// below it, reading the statement whole costs less than comparing the two readings once.
const NEST_MIN_BYTES: usize = 2 * 1024;

#[cfg(test)]
thread_local! {
    /// Tests lower the length so that every fixture's wrapping statement is read both ways.
    pub(crate) static MIN_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(NEST_MIN_BYTES) };
}

fn min_bytes() -> usize {
    #[cfg(test)]
    {
        MIN_BYTES.with(std::cell::Cell::get)
    }
    #[cfg(not(test))]
    {
        NEST_MIN_BYTES
    }
}

/// What is known of a wrapping statement's inner statements, kept with its facts.
pub(super) enum Nesting {
    /// Read whole with nothing earlier to compare against; the next read compares.
    Unknown,
    /// Read one at a time, the inner statements gave other facts than the statement read
    /// whole: it is read whole while its frame stays the same.
    Whole { frame: Arc<str> },
    /// The statement's facts are its inner statements' facts, each kept with its range relative
    /// to the statement's start.
    Inner {
        frame: Arc<str>,
        children: Vec<Cached>,
    },
}

impl Nesting {
    fn frame(&self) -> Option<&str> {
        match self {
            Nesting::Unknown => None,
            Nesting::Whole { frame } | Nesting::Inner { frame, .. } => Some(frame),
        }
    }
}

/// A wrapping statement's inner statements and its frame, in the text being read.
pub(super) struct Inner<'t> {
    pub children: Vec<Chunk<'t>>,
    frame: Arc<str>,
}

/// A statement's inner statements, and for each the kept facts it reuses and its captures.
type InnerParts<'p, 't> = (
    &'p Inner<'t>,
    &'p mut [Option<Cached>],
    &'p mut [Option<Vec<Capture<'t>>>],
);

/// How a top-level statement that must be read is read.
pub(super) enum Plan<'t> {
    /// Whole, as any statement (not a wrapping statement, or nothing is kept).
    Whole,
    /// Whole, noting that it wraps statements (no earlier text to compare with).
    First,
    /// Whole: read one at a time, its inner statements gave other facts before.
    WholeAgain(Arc<str>),
    /// Whole and one inner statement at a time, and the two compared.
    Compare(Inner<'t>),
    /// One inner statement at a time, reusing `reuse[i]` (moved to where it now is) for each
    /// inner statement that did not change.
    Inner {
        inner: Inner<'t>,
        reuse: Vec<Option<Cached>>,
        captures: Vec<Option<Vec<Capture<'t>>>>,
    },
}

impl<'t> Inner<'t> {
    /// What to keep of the statement once its inner statements were read: `children`, their
    /// ranges relative to the statement's start.
    pub fn keep(self, children: Vec<Cached>) -> Nesting {
        Nesting::Inner {
            frame: self.frame,
            children,
        }
    }
}

/// Runs the query over the inner statements whose text changed, and reads the statement whole
/// instead when one of them now imports something: the file's environment is made of the
/// imports of statements read whole, and an inner statement kept had none.
pub(super) fn prepare<'t>(
    reader: &mut impl ChunkReader<'t>,
    query: &Query,
    root: Node<'t>,
    source: &str,
    plans: &mut [Plan<'t>],
) {
    for plan in plans.iter_mut() {
        let Some((inner, reuse, captures)) = plan.inner_parts() else {
            continue;
        };
        let wanted = capture_changed(query, root, source, inner, reuse, captures);
        let imports_inside = inner.children.iter().zip(captures.iter()).zip(&wanted).any(
            |((child, found), &read)| {
                let (imports, detected) = if read {
                    reader.environment(child, found.as_deref().unwrap_or(&[]))
                } else {
                    (Vec::new(), Vec::new())
                };
                !imports.is_empty() || !detected.is_empty()
            },
        );
        if imports_inside && let Plan::Inner { inner, .. } = std::mem::replace(plan, Plan::Whole) {
            *plan = Plan::Compare(inner);
        }
    }
}

/// Runs the query over the inner statements that are not reused and have no captures yet;
/// returns which those were.
fn capture_changed<'t>(
    query: &Query,
    root: Node<'t>,
    source: &str,
    inner: &Inner<'t>,
    reuse: &[Option<Cached>],
    captures: &mut [Option<Vec<Capture<'t>>>],
) -> Vec<bool> {
    let wanted: Vec<bool> = reuse
        .iter()
        .zip(captures.iter())
        .map(|(found, captured)| found.is_none() && captured.is_none())
        .collect();
    collect_captures(query, root, source, &inner.children, captures, &wanted);
    wanted
}

/// Drops the reuse of every inner statement when the file's environment changed, and of each
/// one whose recorded answers changed, and runs the query over those.
pub(super) fn refresh<'t>(
    reader: &mut impl ChunkReader<'t>,
    query: &Query,
    root: Node<'t>,
    source: &str,
    plans: &mut [Plan<'t>],
    same_env: bool,
) {
    for plan in plans.iter_mut() {
        let Some((inner, reuse, captures)) = plan.inner_parts() else {
            continue;
        };
        for found in reuse.iter_mut() {
            let stands = same_env
                && found
                    .as_ref()
                    .is_none_or(|cached| answers_stand(reader, &cached.facts));
            if !stands {
                *found = None;
            }
        }
        capture_changed(query, root, source, inner, reuse, captures);
    }
}

impl<'t> Plan<'t> {
    /// How to read `chunk`, a statement no cached statement answers for.
    pub fn of(
        language: Language,
        chunk: &Chunk<'t>,
        source: &str,
        previous: Option<&FactCache>,
    ) -> Plan<'t> {
        let Some(inner) = inner_of(language, chunk, source) else {
            return Plan::Whole;
        };
        let Some(previous) = previous else {
            return Plan::First;
        };
        let found = previous.chunks.iter().find_map(|cached| {
            let nesting = cached.nesting.as_deref()?;
            (nesting.frame() == Some(&*inner.frame)).then_some((cached, nesting))
        });
        match found {
            Some((container, Nesting::Inner { children, .. })) => {
                let base = container.range.start;
                let reuse = matching(&previous.text, base, children, &inner.children, source);
                let captures = inner.children.iter().map(|_| None).collect();
                Plan::Inner {
                    inner,
                    reuse,
                    captures,
                }
            }
            Some((_, Nesting::Whole { frame })) => Plan::WholeAgain(frame.clone()),
            _ => Plan::Compare(inner),
        }
    }

    /// The inner statements of a statement read by them, with their reuse and captures.
    fn inner_parts(&mut self) -> Option<InnerParts<'_, 't>> {
        match self {
            Plan::Inner {
                inner,
                reuse,
                captures,
            } => Some((inner, reuse, captures)),
            _ => None,
        }
    }

    /// Whether the statement is read whole, so that the query runs over all of it.
    pub fn reads_whole(&self) -> bool {
        !matches!(self, Plan::Inner { .. })
    }
}

/// The inner statements of `chunk` when it is a wrapping statement long enough to be read one
/// inner statement at a time.
fn inner_of<'t>(language: Language, chunk: &Chunk<'t>, source: &str) -> Option<Inner<'t>> {
    let [statement] = chunk.nodes.as_slice() else {
        return None;
    };
    if chunk.range.len() < min_bytes() || chunk.has_error() {
        return None;
    }
    let nodes = syntax_of(language.family()).inner_statements(*statement);
    if nodes.len() < 2 {
        return None;
    }
    let children: Vec<Chunk<'t>> = nodes
        .into_iter()
        .map(|node| Chunk {
            nodes: vec![node],
            range: node.byte_range(),
        })
        .collect();
    let frame = frame_text(source, &chunk.range, &children)?;
    Some(Inner { children, frame })
}

/// The statement's text with its inner statements cut out, each piece prefixed by its length
/// so that no two frames read the same.
fn frame_text(source: &str, range: &ByteRange, children: &[Chunk<'_>]) -> Option<Arc<str>> {
    let mut frame = String::new();
    let mut at = range.start;
    let ends = children.iter().map(|child| child.range.clone());
    for piece in ends.chain(std::iter::once(range.end..range.end)) {
        let text = source.get(at..piece.start)?;
        frame.push_str(&text.len().to_string());
        frame.push(':');
        frame.push_str(text);
        at = piece.end;
    }
    Some(Arc::from(frame))
}

/// For each inner statement, the kept one of the same text (`old`, ranges relative to `base`
/// in `old_text`), moved to where it now is; none for a statement never reused (`foreign`).
fn matching(
    old_text: &str,
    base: usize,
    old: &[Cached],
    children: &[Chunk<'_>],
    source: &str,
) -> Vec<Option<Cached>> {
    let text_of =
        |cached: &Cached| old_text.get(base + cached.range.start..base + cached.range.end);
    let mut by_key: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (index, cached) in old.iter().enumerate() {
        if let Some(text) = text_of(cached).filter(|_| !cached.facts.foreign) {
            by_key.entry(candidate_key(text)).or_default().push(index);
        }
    }
    let mut used = vec![false; old.len()];
    children
        .iter()
        .map(|child| {
            let text = source.get(child.range.clone())?;
            let candidates = by_key.get(&candidate_key(text))?;
            let found = candidates
                .iter()
                .copied()
                .find(|&index| !used[index] && text_of(&old[index]) == Some(text))?;
            used[found] = true;
            Some(old[found].moved_to(child.range.clone()))
        })
        .collect()
}

/// A statement read one inner statement at a time: each reused one as kept, the others read
/// with their `captures`. Returns the inner statements, where they now are, and how many were
/// read and reused.
pub(super) fn read_inner<'t>(
    reader: &mut impl ChunkReader<'t>,
    children: &[Chunk<'t>],
    reuse: Vec<Option<Cached>>,
    captures: &[Option<Vec<Capture<'t>>>],
) -> (Vec<Cached>, (usize, usize)) {
    let mut kept = Vec::with_capacity(children.len());
    let (mut read, mut reused) = (0, 0);
    for ((child, found), captured) in children.iter().zip(reuse).zip(captures) {
        if let Some(cached) = found {
            kept.push(cached);
            reused += 1;
            continue;
        }
        read += 1;
        let facts = read_child(reader, child, captured.as_deref().unwrap_or(&[]));
        kept.push(Cached {
            range: child.range.clone(),
            kind: child.kind(),
            facts: Arc::new(facts),
            origin: child.range.start,
            nesting: None,
        });
    }
    (kept, (read, reused))
}

/// What a statement read by its inner statements keeps of its own: the questions they asked
/// and whether any looked outside itself. Its handlers, registrations and responses are its
/// inner statements', which `merge` takes from them.
pub(super) fn summary(children: &[Cached]) -> ChunkFacts {
    let mut facts = ChunkFacts::default();
    for child in children {
        for dependency in &child.facts.dependencies {
            if !facts.dependencies.contains(dependency) {
                facts.dependencies.push(dependency.clone());
            }
        }
        facts.foreign |= child.facts.foreign;
    }
    facts
}

/// The inner statements, kept with their ranges relative to the statement's start.
pub(super) fn relative(children: Vec<Cached>, container: &ByteRange) -> Vec<Cached> {
    children
        .into_iter()
        .map(|cached| relative_to(cached, container.start))
        .collect()
}

/// Reads one inner statement, as a top-level statement is read.
fn read_child<'t>(
    reader: &mut impl ChunkReader<'t>,
    child: &Chunk<'t>,
    captures: &[Capture<'t>],
) -> ChunkFacts {
    let mut facts = read_statement(reader, child, captures);
    facts.foreign |= child.has_error() || !facts_inside(&mut facts, &child.range);
    facts
}

/// Reads the inner statements of a statement read whole (`whole`, from its `captures`) and
/// keeps them when together they say exactly what the whole statement says.
pub(super) fn compare<'t>(
    reader: &mut impl ChunkReader<'t>,
    container: &ByteRange,
    inner: Inner<'t>,
    whole: &ChunkFacts,
    captures: &[Capture<'t>],
) -> Nesting {
    let Inner { children, frame } = inner;
    if !whole.imports.is_empty() || !whole.detected.is_empty() {
        return Nesting::Whole { frame };
    }
    let child_captures: Vec<Option<Vec<Capture<'t>>>> = children
        .iter()
        .map(|child| {
            let inside = |node: &Node<'_>| {
                child.range.start <= node.start_byte() && node.end_byte() <= child.range.end
            };
            Some(
                captures
                    .iter()
                    .filter(|(_, node)| inside(node))
                    .copied()
                    .collect(),
            )
        })
        .collect();
    let reuse = children.iter().map(|_| None).collect();
    let (kept, _) = read_inner(reader, &children, reuse, &child_captures);
    if canonical(&combined(&kept)) == canonical(whole) {
        Nesting::Inner {
            frame,
            children: relative(kept, container),
        }
    } else {
        Nesting::Whole { frame }
    }
}

/// The statement's facts from its inner statements' facts, moved to where each now is.
fn combined(children: &[Cached]) -> ChunkFacts {
    let mut file = merge(Vec::new(), Vec::new(), children);
    ChunkFacts::taken_from(&mut file)
}

/// An inner statement kept with its range relative to the wrapping statement's start.
fn relative_to(cached: Cached, start: usize) -> Cached {
    let range = cached.range.start - start..cached.range.end - start;
    Cached { range, ..cached }
}

/// Facts as comparable text: handlers in source order, every handler id replaced by the
/// handler's place in that order, each list sorted.
fn canonical(facts: &ChunkFacts) -> Vec<String> {
    let mut order: Vec<HandlerId> = (0..facts.handlers.len()).collect();
    order.sort_by_key(|&id| {
        let range = &facts.handlers[id].range;
        (range.start, range.end)
    });
    let mut renumbered = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        renumbered[old] = new;
    }
    let id = |old: HandlerId| renumbered.get(old).copied();
    let mut lines: Vec<String> = order
        .iter()
        .map(|&old| {
            let mut handler = facts.handlers[old].clone();
            handler.methods.sort_by_key(|m| (m.range.start, m.method));
            format!("handler {handler:?}")
        })
        .collect();
    let mut rest: Vec<String> = Vec::new();
    for registration in &facts.registrations {
        let mut registration = registration.clone();
        if let HandlerRef::Inline(old) = registration.handler {
            registration.handler = HandlerRef::Inline(id(old).unwrap_or(usize::MAX));
        }
        rest.push(format!("registration {registration:?}"));
    }
    for response in &facts.responses {
        let mut response = response.clone();
        response.handler = response.handler.and_then(id);
        rest.push(format!("response {response:?}"));
    }
    for call in &facts.helper_calls {
        let mut call = call.clone();
        call.handler = call.handler.and_then(id);
        rest.push(format!("call {call:?}"));
    }
    rest.extend(facts.helpers.iter().map(|h| format!("helper {h:?}")));
    rest.extend(
        facts
            .credential_checks
            .iter()
            .map(|c| format!("check {c:?}")),
    );
    rest.sort();
    lines.extend(rest);
    lines
}
