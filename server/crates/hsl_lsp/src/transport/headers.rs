//! Header lines and blocks as bytes: what starts a frame, and where the next one starts.
//! A header line that starts frames (`Content-Length:` with digits, `Content-Type:` with a
//! plain value, each up to a raw line end) cannot occur inside valid JSON text, whose strings
//! hold no raw line ends; that is what lets the framing find frames again after a wrong length.

/// A header block longer than this is not one.
const MAX_HEADER_BLOCK: usize = 8 * 1024;
/// The longest header line recognised when looking for the next frame.
pub const MAX_HEADER_LINE: usize = 256;

/// A header block at the front of the input.
pub enum Block {
    /// Its length in bytes, and the `Content-Length` it declared (if a valid one).
    Complete {
        len: usize,
        length: Option<usize>,
    },
    NeedMore,
}

/// One header line at the front of some bytes.
pub enum HeaderLine {
    /// A recognised header line, with its line end.
    Line,
    NeedMore,
    Not,
}

/// The header block at the front of `bytes`: header lines up to an empty line. A line that is
/// not a header ends the block too (a client that forgot the empty line).
pub fn header_block(bytes: &[u8]) -> Block {
    let mut at = 0;
    let mut length = None;
    loop {
        let rest = bytes.get(at..).unwrap_or(&[]);
        let Some(newline) = rest.iter().position(|byte| *byte == b'\n') else {
            if rest.len() > MAX_HEADER_BLOCK {
                return Block::Complete { len: at, length };
            }
            return Block::NeedMore;
        };
        let line = rest.get(..newline).unwrap_or(&[]);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return Block::Complete {
                len: at + newline + 1,
                length,
            };
        }
        let Some((name, value)) = split_header(line) else {
            return Block::Complete { len: at, length };
        };
        if name.eq_ignore_ascii_case(b"content-length") {
            length = parse_length(value);
        }
        at += newline + 1;
        if at > MAX_HEADER_BLOCK {
            return Block::Complete { len: at, length };
        }
    }
}

/// A header line's name and value, if it is one (`Name: value`, the name a token).
fn split_header(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().position(|byte| *byte == b':')?;
    let (name, value) = line.split_at(colon);
    let token = !name.is_empty()
        && name
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-' || *byte == b'_');
    token.then(|| (name, value.get(1..).unwrap_or(&[])))
}

fn parse_length(value: &[u8]) -> Option<usize> {
    let value = value.trim_ascii();
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// A header name that starts frames, the bytes its value may hold, and whether the value is
/// a length.
struct FrameHeader {
    name: &'static [u8],
    allowed: fn(u8) -> bool,
    is_length: bool,
}

const FRAME_HEADERS: [FrameHeader; 2] = [
    FrameHeader {
        name: b"content-length:",
        allowed: |byte| byte.is_ascii_digit() || byte == b' ' || byte == b'\t',
        is_length: true,
    },
    FrameHeader {
        name: b"content-type:",
        allowed: |byte| (b' '..=b'~').contains(&byte) && !b"\"{}[]\\".contains(&byte),
        is_length: false,
    },
];

/// Whether `bytes` start with a header line that begins frames: `Content-Length:` with digits,
/// or `Content-Type:` with a value no JSON text could hold, each up to a raw line end.
pub fn header_line(bytes: &[u8]) -> HeaderLine {
    let mut verdict = HeaderLine::Not;
    for header in &FRAME_HEADERS {
        let name = header.name;
        let known = bytes.len().min(name.len());
        let (Some(front), Some(expected)) = (bytes.get(..known), name.get(..known)) else {
            continue;
        };
        if !front.eq_ignore_ascii_case(expected) {
            continue;
        }
        let rest = bytes.get(name.len()..).unwrap_or(&[]);
        match header_value(rest, header.allowed) {
            Some(Some(value)) if !header.is_length || parse_length(value).is_some() => {
                return HeaderLine::Line;
            }
            Some(Some(_)) | None => {}
            Some(None) => verdict = HeaderLine::NeedMore,
        }
    }
    verdict
}

/// A header value up to its line end: `None` when a byte no such value holds comes first,
/// `Some(None)` when the line end has not arrived yet.
fn header_value(rest: &[u8], allowed: fn(u8) -> bool) -> Option<Option<&[u8]>> {
    for (i, byte) in rest.iter().enumerate() {
        if i > MAX_HEADER_LINE {
            return None;
        }
        match byte {
            b'\n' => {
                let value = rest.get(..i).unwrap_or(&[]);
                return Some(Some(value.strip_suffix(b"\r").unwrap_or(value)));
            }
            b'\r' => {
                if rest.get(i + 1).is_some_and(|next| *next != b'\n') {
                    return None;
                }
            }
            byte if allowed(*byte) => {}
            _ => return None,
        }
    }
    Some(None)
}

/// The offset of the first header line in `bytes` at or after `from`; else the offset from
/// which a later search must look again (a header may be starting there, incomplete).
pub fn find_header(bytes: &[u8], from: usize) -> Result<usize, usize> {
    let mut rescan = None;
    let tail = bytes.get(from..).unwrap_or(&[]);
    for (i, byte) in tail.iter().enumerate() {
        if *byte | 0x20 != b'c' {
            continue;
        }
        let at = from + i;
        match header_line(bytes.get(at..).unwrap_or(&[])) {
            HeaderLine::Line => return Ok(at),
            HeaderLine::NeedMore => {
                rescan.get_or_insert(at);
            }
            HeaderLine::Not => {}
        }
    }
    Err(rescan.unwrap_or(bytes.len().max(from)))
}
