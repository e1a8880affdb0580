//! Byte offsets ↔ LSP positions, in the negotiated encoding. Everything below the adapter speaks
//! bytes; this file is the only place that knows UTF-16 code units. Out-of-range positions are
//! clamped (LSP: a character past the line's end means the end of the line), never a panic.

use ropey::{Rope, RopeSlice};
use tower_lsp_server::ls_types::{Position, Range};

use hsl_facts::ByteRange;
use hsl_text::{LineIndex, clamp_to_boundary};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The byte length of a line without its terminator (`\n`, `\r\n` or `\r`).
fn content_bytes(line: RopeSlice<'_>) -> usize {
    let len = line.len_bytes();
    let mut end = len;
    if end > 0 && line.byte(end - 1) == b'\n' {
        end -= 1;
    }
    if end > 0 && line.byte(end - 1) == b'\r' {
        end -= 1;
    }
    end
}

/// The byte offset of an LSP position, clamped into the text.
pub fn offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line_index = position.line as usize;
    if line_index >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line_index);
    let line = rope.line(line_index);
    let content = content_bytes(line);
    let character = position.character as usize;
    let in_line = match encoding {
        Encoding::Utf8 => {
            let byte = character.min(content);
            // Back to a character boundary if the client pointed inside a character.
            line.char_to_byte(line.byte_to_char(byte))
        }
        Encoding::Utf16 => {
            let content_chars = line.byte_to_char(content);
            let content_units = line.char_to_utf16_cu(content_chars);
            let units = character.min(content_units);
            line.char_to_byte(line.utf16_cu_to_char(units))
        }
    };
    line_start + in_line
}

/// The LSP position of a byte offset (clamped into the text, and back to a char boundary).
pub fn position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line_index = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line_index);
    let character = match encoding {
        Encoding::Utf8 => {
            let char_index = rope.byte_to_char(offset);
            rope.char_to_byte(char_index) - line_start
        }
        Encoding::Utf16 => {
            let char_index = rope.byte_to_char(offset);
            let line_char = rope.line_to_char(line_index);
            rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_char)
        }
    };
    Position::new(
        u32::try_from(line_index).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

/// The LSP range of a byte range.
pub fn range(rope: &Rope, bytes: &ByteRange, encoding: Encoding) -> Range {
    Range::new(
        position(rope, bytes.start, encoding),
        position(rope, bytes.end.max(bytes.start), encoding),
    )
}

/// The byte range of an LSP range (start and end ordered).
pub fn byte_range(rope: &Rope, range: Range, encoding: Encoding) -> ByteRange {
    let start = offset(rope, range.start, encoding);
    let end = offset(rope, range.end, encoding);
    start.min(end)..start.max(end)
}

/// The LSP position of a byte offset of `text`, through `index` (built with
/// [`LineIndex::with_lone_cr`] from `text`): binary searches only, where the rope walks its
/// tree several times per position (every diagnostic of a document is converted at once),
/// and never a scan of the line (a one-line bundle with thousands of findings made that
/// quadratic). Clamped into the text and back to a char boundary, like [`position`].
pub fn position_in(index: &LineIndex, text: &str, offset: usize, encoding: Encoding) -> Position {
    let offset = clamp_to_boundary(text, offset);
    let line = index.line_of(offset);
    let start = index.line_start(line).unwrap_or(0).min(offset);
    let character = match encoding {
        Encoding::Utf8 => offset - start,
        Encoding::Utf16 => index.utf16_between(start, offset),
    };
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

/// The LSP range of a byte range of `text`, through `index` (see [`position_in`]).
pub fn range_in(index: &LineIndex, text: &str, bytes: &ByteRange, encoding: Encoding) -> Range {
    Range::new(
        position_in(index, text, bytes.start, encoding),
        position_in(index, text, bytes.end.max(bytes.start), encoding),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line index answers exactly what the rope answers, at every offset.
    #[test]
    fn line_index_agrees_with_the_rope() {
        for text in [
            "",
            "a\né🚀 302\r\nx",
            "a\rb\r\n\r\n\nc",
            "🚀x\n",
            "ab\r\ncd\r",
        ] {
            let rope = Rope::from_str(text);
            let index = LineIndex::with_lone_cr(text);
            for offset in 0..=text.len() + 2 {
                for encoding in [Encoding::Utf8, Encoding::Utf16] {
                    assert_eq!(
                        position_in(&index, text, offset, encoding),
                        position(&rope, offset, encoding),
                        "{text:?} at {offset} in {encoding:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf16_after_astral_and_accents() {
        let rope = Rope::from_str("a\né🚀 302\r\nx");
        let at = "a\né🚀 ".len();
        // é = 1 unit, 🚀 = 2 units, space = 1.
        assert_eq!(position(&rope, at, Encoding::Utf16), Position::new(1, 4));
        assert_eq!(offset(&rope, Position::new(1, 4), Encoding::Utf16), at);
        // é = 2 bytes, 🚀 = 4 bytes, space = 1.
        assert_eq!(position(&rope, at, Encoding::Utf8), Position::new(1, 7));
        assert_eq!(offset(&rope, Position::new(1, 7), Encoding::Utf8), at);
    }

    #[test]
    fn out_of_range_clamps() {
        let rope = Rope::from_str("ab\r\ncd");
        assert_eq!(offset(&rope, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&rope, Position::new(0, 99), Encoding::Utf8), 2);
        assert_eq!(offset(&rope, Position::new(9, 0), Encoding::Utf16), 6);
        assert_eq!(position(&rope, 99, Encoding::Utf16), Position::new(1, 2));
        // Inside the surrogate pair / inside a multi-byte char: back to its start.
        let rope = Rope::from_str("🚀x");
        assert_eq!(offset(&rope, Position::new(0, 1), Encoding::Utf16), 0);
        assert_eq!(offset(&rope, Position::new(0, 2), Encoding::Utf8), 0);
        assert_eq!(position(&rope, 2, Encoding::Utf16), Position::new(0, 0));
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let rope = Rope::from_str("a\rb");
        assert_eq!(offset(&rope, Position::new(1, 0), Encoding::Utf16), 2);
        assert_eq!(position(&rope, 2, Encoding::Utf8), Position::new(1, 0));
    }
}
