//! Byte offsets ↔ lines and columns, for reporters and the language server's positions.

/// Line starts of one text, for repeated offset → (line, column) conversions.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// The text's characters that are not ASCII, in order: a column is its byte width minus
    /// what the wide characters before it add, so no column needs a scan of its line (which
    /// made converting every finding of a one-line bundle quadratic).
    wide: Vec<Wide>,
}

/// One character of more than one byte, with what the wide characters up to and including it
/// add to the byte count over characters and over UTF-16 code units.
#[derive(Clone, Copy, Debug)]
struct Wide {
    offset: usize,
    extra_over_chars: usize,
    extra_over_utf16: usize,
}

/// The wide characters of a text, in order.
fn wide_chars(text: &str) -> Vec<Wide> {
    let mut extra_over_chars = 0;
    let mut extra_over_utf16 = 0;
    let mut wide = Vec::new();
    // ASCII bytes are never part of a wide character: skip them without decoding.
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(skip) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|b| !b.is_ascii()))
    {
        at += skip;
        let Some(ch) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        extra_over_chars += ch.len_utf8() - 1;
        extra_over_utf16 += ch.len_utf8() - ch.len_utf16();
        wide.push(Wide {
            offset: at,
            extra_over_chars,
            extra_over_utf16,
        });
        at += ch.len_utf8();
    }
    wide
}

/// A zero-based line and a zero-based column counted in the unit asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    /// Indexes a text; lines end at `\n` (a preceding `\r` stays part of the line's end).
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(idx, _)| idx + 1),
        );
        LineIndex {
            line_starts,
            wide: wide_chars(text),
        }
    }

    /// Indexes a text with the Language Server Protocol's line breaks: `\n`, `\r\n` and a lone
    /// `\r` (positions sent to editors must count lines as they do).
    pub fn with_lone_cr(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (at, byte) in bytes.iter().enumerate() {
            let ends_line = match byte {
                b'\n' => true,
                b'\r' => bytes.get(at + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends_line {
                line_starts.push(at + 1);
            }
        }
        LineIndex {
            line_starts,
            wide: wide_chars(text),
        }
    }

    /// Where a zero-based line starts, as a byte offset.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// The line containing a byte offset (clamped into the text).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Line and column in Unicode scalar values (what editors call characters).
    pub fn line_col_chars(&self, text: &str, offset: usize) -> LineCol {
        let offset = clamp_to_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0).min(offset);
        LineCol {
            line,
            column: self.chars_between(start, offset),
        }
    }

    /// The number of characters in `start..end` (both char boundaries of the indexed text),
    /// in time logarithmic in the number of wide characters.
    pub fn chars_between(&self, start: usize, end: usize) -> usize {
        let extra = |at: usize| self.extra_before(at).map_or(0, |w| w.extra_over_chars);
        (end - start.min(end)) - (extra(end) - extra(start).min(extra(end)))
    }

    /// The number of UTF-16 code units in `start..end` (both char boundaries of the indexed
    /// text), in time logarithmic in the number of wide characters.
    pub fn utf16_between(&self, start: usize, end: usize) -> usize {
        let extra = |at: usize| self.extra_before(at).map_or(0, |w| w.extra_over_utf16);
        (end - start.min(end)) - (extra(end) - extra(start).min(extra(end)))
    }

    /// The last wide character that starts before `offset`.
    fn extra_before(&self, offset: usize) -> Option<&Wide> {
        let count = self.wide.partition_point(|w| w.offset < offset);
        count.checked_sub(1).and_then(|last| self.wide.get(last))
    }

    /// The text of a zero-based line without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.line_starts.get(line).copied().unwrap_or(text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches('\n')
            .trim_end_matches('\r')
    }
}

/// Moves an offset back to the nearest char boundary at or before it, within the text.
pub fn clamp_to_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Bytes compared a block at a time (`memcmp`) before one by one: the texts are whole files.
const BLOCK: usize = 256;

/// The lengths of the longest common prefix of two byte strings and of the longest common
/// suffix of what follows it: `a[prefix..a.len() - suffix]` became `b[prefix..b.len() -
/// suffix]`. The language server asks after every edit, over the whole file.
pub fn common_ends(a: &[u8], b: &[u8]) -> (usize, usize) {
    let len = a.len().min(b.len());
    let mut prefix = 0;
    while prefix + BLOCK <= len && a[prefix..prefix + BLOCK] == b[prefix..prefix + BLOCK] {
        prefix += BLOCK;
    }
    prefix += a[prefix..len]
        .iter()
        .zip(&b[prefix..len])
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let len = a.len().min(b.len());
    let (a, b) = (&a[a.len() - len..], &b[b.len() - len..]);
    let mut suffix = 0;
    while suffix + BLOCK <= len
        && a[len - suffix - BLOCK..len - suffix] == b[len - suffix - BLOCK..len - suffix]
    {
        suffix += BLOCK;
    }
    suffix += a[..len - suffix]
        .iter()
        .rev()
        .zip(b[..len - suffix].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

/// Where two texts differ, on char boundaries: `old[start..old_end]` became
/// `new[start..new_end]`.
pub fn changed_span(old: &str, new: &str) -> (usize, usize, usize) {
    let (mut start, mut suffix) = common_ends(old.as_bytes(), new.as_bytes());
    // The prefix is the same bytes in both, so a boundary in one is a boundary in the other.
    while !old.is_char_boundary(start) {
        start -= 1;
    }
    suffix = suffix.min(old.len().min(new.len()) - start);
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    (start, old.len() - suffix, new.len() - suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ends_of_two_texts() {
        let long: Vec<u8> = (0..2000).map(|i| (i % 251) as u8).collect();
        let mut edited = long.clone();
        edited[1234] = 255;
        assert_eq!(common_ends(&long, &edited), (1234, 2000 - 1235));
        assert_eq!(common_ends(&long, &long[..700]), (700, 0));
        assert_eq!(common_ends(b"abcxyz", b"xyz"), (0, 3));
        assert_eq!(common_ends(b"", b"xyz"), (0, 0));
        assert_eq!(common_ends(b"same", b"same"), (4, 0));
        // The suffix never overlaps the prefix: "aa" → "aaa" inserted one `a` at the end.
        assert_eq!(common_ends(b"aa", b"aaa"), (2, 0));
    }

    #[test]
    fn changed_spans_fall_on_char_boundaries() {
        assert_eq!(changed_span("abc", "abXc"), (2, 2, 3));
        assert_eq!(changed_span("é", "è"), (0, 2, 2));
        assert_eq!(changed_span("aaa", "aa"), (2, 3, 2));
        assert_eq!(changed_span("🚀x", "x"), (0, 4, 0));
        assert_eq!(changed_span("same", "same"), (4, 4, 4));
    }

    #[test]
    fn columns_count_characters() {
        let text = "a\né🚀 302\n";
        let index = LineIndex::new(text);
        let offset = text.find("302").expect("302");
        assert_eq!(
            index.line_col_chars(text, offset),
            LineCol { line: 1, column: 3 }
        );
        assert_eq!(index.line_text(text, 1), "é🚀 302");
    }

    /// Columns from the table of wide characters agree with counting the line, at every
    /// offset of texts mixing ASCII, two-, three- and four-byte characters and line ends.
    #[test]
    fn columns_agree_with_counting() {
        for text in ["", "abc", "é🚀x\n日本\r\nz🚀", "🚀🚀\n\né", "a\rb€c"] {
            for index in [LineIndex::new(text), LineIndex::with_lone_cr(text)] {
                for offset in (0..=text.len()).filter(|at| text.is_char_boundary(*at)) {
                    let line = index.line_of(offset);
                    let start = index.line_start(line).unwrap_or(0);
                    let prefix = text.get(start..offset).unwrap_or("");
                    assert_eq!(
                        index.line_col_chars(text, offset).column,
                        prefix.chars().count(),
                        "{text:?} at {offset}"
                    );
                    assert_eq!(
                        index.utf16_between(start, offset),
                        prefix.encode_utf16().count(),
                        "{text:?} at {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        let text = "ab";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_col_chars(text, 99),
            LineCol { line: 0, column: 2 }
        );
    }
}

/// Properties over arbitrary texts and edits: the hand-picked cases above are the examples,
/// these are the rules. The strategies cut texts only at character boundaries, and a slice at
/// any other offset is the failure a property should report.
#[cfg(test)]
#[allow(clippy::string_slice)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Texts over a small alphabet, so that common ends and line breaks are frequent, with
    /// multi-byte characters among them.
    fn texts() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('a'),
                Just('b'),
                Just('\n'),
                Just('\r'),
                Just('é'),
                Just('😀'),
            ],
            0..300,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    /// The text with `old[start..end]` replaced: an edit like the ones editors send.
    fn edited() -> impl Strategy<Value = (String, String)> {
        (texts(), any::<usize>(), any::<usize>(), texts()).prop_map(|(old, a, b, inserted)| {
            let a = clamp_to_boundary(&old, a % (old.len() + 1));
            let b = clamp_to_boundary(&old, b % (old.len() + 1));
            let (start, end) = (a.min(b), a.max(b));
            let new = format!("{}{inserted}{}", &old[..start], &old[end..]);
            (old, new)
        })
    }

    proptest! {
        #[test]
        fn common_ends_are_common_and_longest((old, new) in edited()) {
            let (a, b) = (old.as_bytes(), new.as_bytes());
            let (prefix, suffix) = common_ends(a, b);
            prop_assert!(prefix + suffix <= a.len().min(b.len()));
            prop_assert_eq!(&a[..prefix], &b[..prefix]);
            prop_assert_eq!(&a[a.len() - suffix..], &b[b.len() - suffix..]);
            if prefix < a.len().min(b.len()) {
                prop_assert_ne!(a[prefix], b[prefix]);
            }
            if prefix + suffix < a.len().min(b.len()) {
                prop_assert_ne!(a[a.len() - suffix - 1], b[b.len() - suffix - 1]);
            }
        }

        #[test]
        fn the_changed_span_rebuilds_the_new_text((old, new) in edited()) {
            let (start, old_end, new_end) = changed_span(&old, &new);
            prop_assert!(start <= old_end && start <= new_end);
            for (text, at) in [(&old, start), (&old, old_end), (&new, start), (&new, new_end)] {
                prop_assert!(text.is_char_boundary(at));
            }
            prop_assert_eq!(&old[..start], &new[..start]);
            prop_assert_eq!(&old[old_end..], &new[new_end..]);
            let rebuilt = format!("{}{}{}", &old[..start], &new[start..new_end], &old[old_end..]);
            prop_assert_eq!(rebuilt, new);
        }

        #[test]
        fn line_and_column_count_what_comes_before(text in texts(), at in any::<usize>()) {
            let index = LineIndex::new(&text);
            let offset = clamp_to_boundary(&text, at % (text.len() + 1));
            let before = &text[..offset];
            let expected = LineCol {
                line: before.matches('\n').count(),
                column: before.rsplit('\n').next().map_or(0, |line| line.chars().count()),
            };
            prop_assert_eq!(index.line_col_chars(&text, offset), expected);
            prop_assert_eq!(index.line_start(expected.line), Some(offset - before.rsplit('\n').next().map_or(0, str::len)));
            prop_assert_eq!(index.line_of(offset), expected.line);
        }

        #[test]
        fn lsp_lines_break_at_every_kind_of_line_end(text in texts()) {
            let index = LineIndex::with_lone_cr(&text);
            let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
            let lines = normalized.split('\n').count();
            prop_assert_eq!(index.line_start(lines - 1).is_some(), true);
            prop_assert_eq!(index.line_start(lines), None);
            for line in 0..lines {
                let start = index.line_start(line).unwrap_or(usize::MAX);
                prop_assert!(start == 0 || text[..start].ends_with(['\n', '\r']));
            }
        }
    }
}
