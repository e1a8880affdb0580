//! The facts of a text's statements kept with the text, and the match of an edited text's
//! statements with the ones kept.

use std::collections::HashMap;
use std::sync::Arc;

use super::nested::Nesting;
use super::{Chunk, ChunkFacts};
use hsl_facts::{ByteRange, Import, Language};

/// The facts of a text's statements, kept with the text so that the next version of it reuses
/// the statements that did not change. Opaque outside the syntax layer.
pub struct FactCache {
    pub(super) language: Language,
    pub(super) text: Arc<str>,
    pub(super) env: Env,
    pub(super) chunks: Vec<Cached>,
    pub(super) reuse: Reuse,
    /// Every question a reader answered while reading this text ([`super::Questions`]).
    pub(super) answers: HashMap<String, bool>,
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
pub(super) struct Env {
    pub frameworks: Vec<String>,
    pub imports: Vec<(String, String, Option<String>)>,
    /// What the reader adds ([`super::ChunkReader::environment_key`]).
    pub extra: String,
}

impl Env {
    /// The environment of a file whose imports are `imports`.
    pub fn new(imports: &[Import], frameworks: Vec<String>, extra: String) -> Env {
        Env {
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
            frameworks,
            extra,
        }
    }
}

/// One statement's facts as kept.
pub(super) struct Cached {
    /// Where the statement is in the cache's text.
    pub range: ByteRange,
    /// The statement's node kind id (its first node's, for a Rust item with attributes).
    pub kind: u16,
    pub facts: Arc<ChunkFacts>,
    /// Where the statement was when its facts were read; facts move by `range.start - origin`.
    pub origin: usize,
    /// For a statement that wraps many statements in one function, what is known of reading
    /// them one at a time ([`super::nested`]); `None` for any other statement.
    pub nesting: Option<Arc<Nesting>>,
}

impl Cached {
    /// The same facts for the statement now at `range`.
    pub fn moved_to(&self, range: ByteRange) -> Cached {
        Cached {
            range,
            kind: self.kind,
            facts: self.facts.clone(),
            origin: self.origin,
            nesting: self.nesting.clone(),
        }
    }

    /// How far the statement's facts move to where it now is.
    pub fn delta(&self) -> isize {
        self.range.start as isize - self.origin as isize
    }
}

/// How many statements were read and how many reused; for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    pub read: usize,
    pub reused: usize,
    /// Whether the whole text was parsed again; `false` when only the edited statement was
    /// (see [`super::extract_edited`]).
    pub reparsed: bool,
    /// How many wrapping statements were read by their inner statements, reusing some
    /// ([`super::nested`]).
    pub inner: usize,
}

impl FactCache {
    /// How many statements the extraction that made this cache read, and how many it reused.
    pub fn reuse(&self) -> Reuse {
        self.reuse
    }

    /// For each new statement, the cached statement with the same text whose facts may be
    /// reused.
    pub(super) fn matching<'c>(
        &'c self,
        chunks: &[Chunk<'_>],
        source: &str,
    ) -> Vec<Option<&'c Cached>> {
        let mut by_key: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
        for (index, cached) in self.chunks.iter().enumerate() {
            if cached.facts.foreign {
                continue;
            }
            if let Some(text) = self.text.get(cached.range.clone()) {
                by_key.entry(candidate_key(text)).or_default().push(index);
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
                let candidates = by_key.get(&candidate_key(text))?;
                let found = candidates.iter().copied().find(|&index| {
                    !used[index] && self.text.get(self.chunks[index].range.clone()) == Some(text)
                })?;
                used[found] = true;
                Some(&self.chunks[found])
            })
            .collect()
    }
}

/// Candidates for the same text, by length and the ends of the text; the whole text is
/// compared after.
pub(super) fn candidate_key(text: &str) -> (usize, u64) {
    use std::hash::{Hash, Hasher};
    let bytes = text.as_bytes();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes[..bytes.len().min(32)].hash(&mut hasher);
    bytes[bytes.len().saturating_sub(32)..].hash(&mut hasher);
    (bytes.len(), hasher.finish())
}
