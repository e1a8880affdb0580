//! An open document: its text as a rope, its version, and the latest analysis of it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::Range;

use super::convert::{self, Encoding};
use hsl_analysis::{self as analysis, SourceFile, SyntaxTree, TextChange, TextPoint};
use hsl_facts::Language;
use hsl_rules::Finding;

/// One open document.
pub struct Document {
    pub version: i32,
    pub rope: Rope,
    /// `None` for a file type we do not analyse.
    pub language: Option<Language>,
    pub path: PathBuf,
    /// The facts of `version`, once computed.
    pub parsed: Option<Arc<Parsed>>,
    /// The last parsed tree with every change since applied to it: the next analysis parses
    /// incrementally from it instead of from scratch.
    pub tree: Option<SyntaxTree>,
    /// The findings of `version` against the index at some epoch, once computed.
    pub checked: Option<Arc<Checked>>,
    /// Which text this is: new on every change (and unique across documents), so that an
    /// analysis or a diagnostics task is judged by the text it saw, never by the version
    /// number, which a client may send twice.
    pub generation: u64,
    /// Held while the document is being analysed, so that a request and the diagnostics task
    /// do not parse the same version twice.
    pub analysing: Arc<Mutex<()>>,
    /// The text is over the size limit and the client was told so (once per stretch over it).
    size_noted: bool,
    /// Names of handlers whose registrations in this document changed since the other open
    /// documents were last re-published for it (see `index::changed_registrations`).
    pub registrations_changed: Vec<String>,
}

/// A document's facts at one version, with the text they were computed from.
pub struct Parsed {
    /// The document's [`Document::generation`] when its text was taken.
    pub generation: u64,
    pub version: i32,
    pub rope: Rope,
    pub file: Arc<SourceFile>,
    /// Line starts of `file.text`, built the first time all diagnostics are converted.
    lines: OnceLock<hsl_text::LineIndex>,
}

impl Parsed {
    pub fn new(generation: u64, version: i32, rope: Rope, file: Arc<SourceFile>) -> Parsed {
        Parsed {
            generation,
            version,
            rope,
            file,
            lines: OnceLock::new(),
        }
    }

    /// The LSP range of a byte range of this version's text.
    pub fn range(&self, bytes: &std::ops::Range<usize>, encoding: Encoding) -> Range {
        let lines = self
            .lines
            .get_or_init(|| hsl_text::LineIndex::with_lone_cr(&self.file.text));
        convert::range_in(lines, &self.file.text, bytes, encoding)
    }
}

/// A document's findings at one version and index epoch. Fixes are checked to parse no worse
/// only when a code action asks for them (`fixes`), so diagnostics do not wait for that.
pub struct Checked {
    pub parsed: Arc<Parsed>,
    /// The workspace index epoch the findings were computed against.
    pub epoch: u64,
    /// The rules' findings, fixes not yet checked.
    pub findings: Vec<Finding>,
    /// An internal error of the rules (they ran under `catch_unwind`), for the log.
    pub error: Option<String>,
    checked_fixes: OnceLock<Vec<Finding>>,
}

impl Checked {
    pub fn new(
        parsed: Arc<Parsed>,
        epoch: u64,
        findings: Vec<Finding>,
        error: Option<String>,
    ) -> Checked {
        Checked {
            parsed,
            epoch,
            findings,
            error,
            checked_fixes: OnceLock::new(),
        }
    }

    pub fn version(&self) -> i32 {
        self.parsed.version
    }

    /// The generation of the text the findings are of.
    pub fn generation(&self) -> u64 {
        self.parsed.generation
    }

    /// The findings with only the fixes that parse no worse than the document.
    pub fn with_fixes(&self) -> &[Finding] {
        self.checked_fixes.get_or_init(|| {
            let mut found = self.findings.clone();
            analysis::check_fixes(&self.parsed.file, &mut found);
            found
        })
    }
}

/// A generation no text has had yet.
fn next_generation() -> u64 {
    static GENERATIONS: AtomicU64 = AtomicU64::new(1);
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

impl Document {
    pub fn new(version: i32, text: &str, language: Option<Language>, path: PathBuf) -> Document {
        Document {
            version,
            rope: Rope::from_str(text),
            language,
            path,
            parsed: None,
            tree: None,
            checked: None,
            generation: next_generation(),
            analysing: Arc::new(Mutex::new(())),
            size_noted: false,
            registrations_changed: Vec::new(),
        }
    }

    /// Whether the text is larger than the analysis takes (`hsl_analysis::MAX_FILE_BYTES`, the
    /// limit of `check`): parsing a 50 MiB bundle would take gigabytes.
    pub fn too_large(&self) -> bool {
        u64::try_from(self.rope.len_bytes()).unwrap_or(u64::MAX) > analysis::MAX_FILE_BYTES
    }

    /// Whether the document is analysed at all: a language we read, within the size limit.
    pub fn analysable(&self) -> bool {
        self.language.is_some() && !self.too_large()
    }

    /// Whether the text has just gone over the size limit (the client is told once per
    /// stretch over it, not on every keystroke).
    pub fn crossed_size_limit(&mut self) -> bool {
        let over = self.language.is_some() && self.too_large();
        let newly = over && !self.size_noted;
        self.size_noted = over;
        newly
    }

    /// Applies one content change: a range replacement, or the whole text when `range` is
    /// `None`. Positions out of range are clamped.
    pub fn apply_change(&mut self, range: Option<Range>, text: &str, encoding: Encoding) {
        match range {
            // A client that sends the whole text: the part that changed is found by comparing,
            // so that the kept tree and facts still serve the next analysis.
            None if self.tree.is_some() => {
                let old = self.rope.to_string();
                let (start, old_end, new_end) = hsl_text::changed_span(&old, text);
                match text.get(start..new_end) {
                    Some(inserted) => self.replace(start..old_end, inserted),
                    // Not a span of the new text after all: start over from it.
                    None => {
                        self.rope = Rope::from_str(text);
                        super::later::drop_later(self.tree.take());
                    }
                }
            }
            None => self.rope = Rope::from_str(text),
            Some(range) => {
                let bytes = convert::byte_range(&self.rope, range, encoding);
                self.replace(bytes, text);
            }
        }
        super::later::drop_later((self.parsed.take(), self.checked.take()));
        self.generation = next_generation();
    }

    /// Replaces a byte range of the text (char boundaries), and records the change in the kept
    /// tree.
    fn replace(&mut self, bytes: std::ops::Range<usize>, text: &str) {
        let start = self.rope.byte_to_char(bytes.start);
        let end = self.rope.byte_to_char(bytes.end);
        let start_point = self.point(bytes.start);
        let old_end = self.point(bytes.end);
        self.rope.remove(start..end);
        self.rope.insert(start, text);
        let new_end_byte = bytes.start + text.len();
        let change = TextChange {
            start_byte: bytes.start,
            old_end_byte: bytes.end,
            new_end_byte,
            start: start_point,
            old_end,
            new_end: self.point(new_end_byte),
        };
        if let Some(tree) = self.tree.as_mut() {
            tree.edit(&change);
        }
    }

    /// A byte offset as a (row, byte column) point of the current text.
    fn point(&self, byte: usize) -> TextPoint {
        let byte = byte.min(self.rope.len_bytes());
        let row = self.rope.byte_to_line(byte);
        TextPoint {
            row,
            column: byte - self.rope.line_to_byte(row),
        }
    }

    /// The facts if they are of the current text.
    pub fn current_parsed(&self) -> Option<Arc<Parsed>> {
        self.parsed
            .as_ref()
            .filter(|p| p.generation == self.generation)
            .cloned()
    }

    /// The findings if they are of the current text and index epoch.
    pub fn current_checked(&self, epoch: u64) -> Option<Arc<Checked>> {
        self.checked
            .as_ref()
            .filter(|c| c.generation() == self.generation && c.epoch == epoch)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::Position;

    #[test]
    fn incremental_edits_after_emoji() {
        let mut doc = Document::new(1, "x🚀 = 302;\n", None, PathBuf::from("a.js"));
        // Replace `302` (UTF-16 columns 6..9) with `303`.
        doc.apply_change(
            Some(Range::new(Position::new(0, 6), Position::new(0, 9))),
            "303",
            Encoding::Utf16,
        );
        assert_eq!(doc.rope.to_string(), "x🚀 = 303;\n");
        doc.apply_change(
            Some(Range::new(Position::new(0, 8), Position::new(0, 11))),
            "1",
            Encoding::Utf8,
        );
        assert_eq!(doc.rope.to_string(), "x🚀 = 1;\n");
        let before = doc.generation;
        doc.apply_change(None, "new", Encoding::Utf8);
        assert_eq!(doc.rope.to_string(), "new");
        assert_ne!(doc.generation, before, "every change is a new text");
    }

    /// A UTF-16 edit applied to a `String` the slow, obvious way.
    fn reference_edit(text: &mut String, range: Range, new_text: &str) {
        let offset = |position: Position| {
            let mut line_start = 0;
            for _ in 0..position.line {
                match text.get(line_start..).and_then(|rest| rest.find('\n')) {
                    Some(i) => line_start += i + 1,
                    None => return text.len(),
                }
            }
            let line_end = text
                .get(line_start..)
                .and_then(|rest| rest.find('\n'))
                .map_or(text.len(), |i| line_start + i);
            let mut units = 0;
            let line = text.get(line_start..line_end).unwrap_or("");
            for (i, ch) in line.char_indices() {
                // A position inside a surrogate pair means the character holding it.
                if units + ch.len_utf16() > position.character as usize {
                    return line_start + i;
                }
                units += ch.len_utf16();
            }
            line_end
        };
        let (start, end) = (offset(range.start), offset(range.end));
        text.replace_range(start.min(end)..start.max(end), new_text);
    }

    #[test]
    fn random_utf16_edits_match_a_plain_string() {
        let mut doc = Document::new(1, "a\né🚀 302\n\nxyz", None, PathBuf::from("a.js"));
        let mut reference = doc.rope.to_string();
        let pieces = ["", "x", "é", "🚀", "\n", "ab\nc", "302"];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |bound: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % u64::from(bound.max(1))) as u32
        };
        for _ in 0..2000 {
            let lines = reference.split('\n').count() as u32;
            let start = Position::new(next(lines), next(8));
            let end = Position::new(start.line + next(2), next(8));
            let piece = pieces[next(pieces.len() as u32) as usize];
            let range = Range::new(start, end);
            reference_edit(&mut reference, range, piece);
            doc.apply_change(Some(range), piece, Encoding::Utf16);
            assert_eq!(doc.rope.to_string(), reference, "after {range:?} {piece:?}");
        }
    }
}
