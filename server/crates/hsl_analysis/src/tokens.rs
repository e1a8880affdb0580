//! One pass over a file's words, without parsing: whether it starts a chain from a response
//! object, whether it calls something named for an error with a status number, and the names
//! it calls or mentions (what a later step looks a helper's or a handler's name up in).
//!
//! Words are runs of ASCII letters, digits, `_`, `$` and any non-ASCII byte; strings and
//! comments are read as code, which can only make a file look like it holds more than it does.

use hsl_workspace::STATUS_CALL_WORDS;

/// Whether a byte may continue an identifier in every language we read (ASCII only: a byte of a
/// non-ASCII character is never taken to continue a word, see `scan::whole`).
pub fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

/// Whether a byte starts or continues a word when the text is cut into words.
fn in_word(byte: u8) -> bool {
    is_word_byte(byte) || byte >= 0x80
}

/// What [`look`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Look {
    /// One of the roots starts a member chain (`res.`, `ctx ?.`), not as a property (`a.res.`).
    pub response_root: bool,
    /// A call whose callee path has a word of [`STATUS_CALL_WORDS`] takes a number between 100
    /// and 999 (`new ApiError("x", 401)`, `Parse.Error(143, ..)`), or a type is written with
    /// such a number as its first argument (`Sent<201, Item>`, a status type of the project).
    pub status_call: bool,
}

/// Looks for a response root among `roots` (none: not looked for) and for a status call;
/// stops at the first of either.
pub fn look(bytes: &[u8], roots: &[Vec<u8>]) -> Look {
    let mut found = Look::default();
    let mut path_start: Option<usize> = None;
    let mut connected = false;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if in_word(byte) && !byte.is_ascii_digit() {
            let start = at;
            at = word_end(bytes, at);
            if !(connected && path_start.is_some()) {
                path_start = Some(start);
            }
            connected = false;
            let word = bytes.get(start..at).unwrap_or_default();
            if !roots.is_empty() && is_root(bytes, start, at, word, roots) {
                found.response_root = true;
                return found;
            }
            if bytes.get(at) == Some(&b'<') && status_type_argument(bytes, at + 1) {
                found.status_call = true;
                return found;
            }
            let next = skip_space(bytes, at);
            if bytes.get(next) == Some(&b'(') {
                let path = path_start.and_then(|from| bytes.get(from..at));
                if path.is_some_and(names_an_error) && status_number_in_arguments(bytes, next) {
                    found.status_call = true;
                    return found;
                }
            }
            continue;
        }
        match byte {
            b'0'..=b'9' => {
                at = word_end(bytes, at);
                path_start = None;
                connected = false;
                continue;
            }
            b'.' if bytes.get(at + 1) != Some(&b'.') => connected = path_start.is_some(),
            b'?' if bytes.get(at + 1) == Some(&b'.') => {
                connected = path_start.is_some();
                at += 1;
            }
            b':' if bytes.get(at + 1) == Some(&b':') => {
                connected = path_start.is_some();
                at += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                path_start = None;
                connected = false;
            }
        }
        at += 1;
    }
    found
}

/// The end of the word that starts at `at`.
fn word_end(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| in_word(*b)) {
        at += 1;
    }
    at
}

/// The first offset at or after `at` that is not a space, tab or line break.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        at += 1;
    }
    at
}

/// Whether the word at `start..end` is one of `roots` starting a member chain: not itself a
/// property (no `.` before it) and followed by `.` or `?.`.
fn is_root(bytes: &[u8], start: usize, end: usize, word: &[u8], roots: &[Vec<u8>]) -> bool {
    if !roots.iter().any(|root| root.as_slice() == word) {
        return false;
    }
    let before = bytes.get(..start).unwrap_or_default();
    let property = before
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .is_some_and(|b| *b == b'.');
    if property {
        return false;
    }
    let next = skip_space(bytes, end);
    match bytes.get(next) {
        Some(b'.') => true,
        Some(b'?') => bytes.get(next + 1) == Some(&b'.'),
        _ => false,
    }
}

/// Whether a callee path (`Parse.Error`, `errors.unauthorized`) has a word a call sending its
/// status argument is named for.
fn names_an_error(path: &[u8]) -> bool {
    let lower = path.to_ascii_lowercase();
    STATUS_CALL_WORDS
        .iter()
        .flat_map(|words| words.iter())
        .any(|word| lower.windows(word.len()).any(|w| w == word.as_bytes()))
}

/// Whether the arguments of the call whose `(` is at `open` hold a whole number between 100
/// and 999. Strings are skipped (a `)` in one does not end the call); a call never closed is
/// taken to hold one.
fn status_number_in_arguments(bytes: &[u8], open: usize) -> bool {
    let mut depth = 0usize;
    let mut at = open;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            b'"' | b'\'' | b'`' => {
                at = string_end(bytes, at);
                continue;
            }
            b'1'..=b'9'
                if !bytes
                    .get(at.wrapping_sub(1))
                    .is_some_and(|b| in_word(*b) || *b == b'.') =>
            {
                if is_status_number(bytes, at) {
                    return true;
                }
                at = word_end(bytes, at);
                continue;
            }
            b if in_word(b) => {
                at = word_end(bytes, at);
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    true
}

/// How far into a type's arguments [`status_type_argument`] looks for a status.
const TYPE_ARGUMENTS_READ: usize = 160;

/// Whether one of the type arguments that start at `at` (just after `Name<`) is a status number
/// standing alone, `201` before a `,` or the closing `>` (`Sent<201, Item>`, `Typed<Item,
/// 201>`), not a comparison (`n<300 &&`). Only the first [`TYPE_ARGUMENTS_READ`] bytes are
/// read, so that a run of comparisons (minified code) costs no more than a pass.
fn status_type_argument(bytes: &[u8], mut at: usize) -> bool {
    let end = at.saturating_add(TYPE_ARGUMENTS_READ);
    let mut depth = 0usize;
    let mut argument_start = true;
    while let Some(&byte) = bytes.get(at).filter(|_| at < end) {
        if argument_start {
            at = skip_space(bytes, at);
            argument_start = false;
            if is_status_number(bytes, at) {
                let after = skip_space(bytes, word_end(bytes, at));
                if matches!(bytes.get(after), Some(b',' | b'>')) {
                    return true;
                }
            }
            continue;
        }
        match byte {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' | b')' | b']' if depth == 0 => return false,
            b'>' | b')' | b']' => depth -= 1,
            b',' if depth == 0 => argument_start = true,
            b';' | b'{' | b'}' => return false,
            _ => {}
        }
        at += 1;
    }
    false
}

/// Whether three digits start at `at` and nothing that continues a number follows them
/// (a type suffix such as `u16` may).
fn is_status_number(bytes: &[u8], at: usize) -> bool {
    let digits = bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let after = bytes.get(at + digits);
    let decimal = after == Some(&b'.')
        && bytes
            .get(at + digits + 1)
            .is_some_and(|b| b.is_ascii_digit());
    digits == 3 && !decimal && after.is_none_or(|b| *b != b'_')
}

/// The offset just after the string that starts at `at`: a `'` or `"` string ends at its
/// closing quote or at the end of its line (a Rust lifetime has no closing quote), a template
/// literal at its closing backtick.
fn string_end(bytes: &[u8], at: usize) -> usize {
    let Some(&quote) = bytes.get(at) else {
        return at + 1;
    };
    let mut next = at + 1;
    while let Some(&byte) = bytes.get(next) {
        if byte == b'\\' {
            next += 2;
            continue;
        }
        if byte == quote {
            return next + 1;
        }
        if byte == b'\n' && quote != b'`' {
            return next;
        }
        next += 1;
    }
    next
}

/// The names a file calls and, when asked, every word it has, as hashes
/// ([`name_hash`]), sorted: what is kept of a file the first pass did not parse, to find out
/// later whether it calls a project helper or names a handler.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    calls: Vec<u32>,
    words: Vec<u32>,
}

impl Names {
    /// The names of `bytes`; every word too when `words`.
    pub fn of(bytes: &[u8], words: bool) -> Names {
        let mut names = Names::default();
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            if !in_word(byte) {
                at += 1;
                continue;
            }
            let start = at;
            at = word_end(bytes, at);
            if byte.is_ascii_digit() {
                continue;
            }
            let word = bytes.get(start..at).unwrap_or_default();
            let hash = hash_bytes(word);
            if words {
                names.words.push(hash);
            }
            let next = skip_space(bytes, at);
            if bytes.get(next) == Some(&b'(') {
                names.calls.push(hash);
            }
            // A Rust macro invocation (`deny!(..)`, `deny! { .. }`) calls the helper `deny!`.
            if bytes.get(next) == Some(&b'!')
                && matches!(
                    bytes.get(skip_space(bytes, next + 1)),
                    Some(b'(' | b'[' | b'{')
                )
            {
                names.calls.push(hash_bytes(&[word, b"!"].concat()));
            }
        }
        for list in [&mut names.calls, &mut names.words] {
            list.sort_unstable();
            list.dedup();
            list.shrink_to_fit();
        }
        names
    }

    /// Whether the file may call one of `names` (hashes, sorted or not).
    pub fn calls_any(&self, names: &[u32]) -> bool {
        names
            .iter()
            .any(|name| self.calls.binary_search(name).is_ok())
    }

    /// Whether the file may name one of `names` (asked of files read with every word).
    pub fn names_any(&self, names: &[u32]) -> bool {
        names
            .iter()
            .any(|name| self.words.binary_search(name).is_ok())
    }

    /// The bytes the hashes take.
    pub fn size(&self) -> usize {
        (self.calls.capacity() + self.words.capacity()) * std::mem::size_of::<u32>()
    }
}

/// The hash [`Names`] keeps of a name.
pub fn name_hash(name: &str) -> u32 {
    hash_bytes(name.as_bytes())
}

/// FNV-1a, 32 bits: two names with one hash only cost a file parsed for nothing.
fn hash_bytes(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_calls_and_words() {
        let names = Names::of(
            b"import { create } from './h';\nrouter.post('/x', create);\nlist ()",
            true,
        );
        assert!(names.calls_any(&[name_hash("post"), name_hash("nothing")]));
        assert!(names.calls_any(&[name_hash("list")]));
        assert!(!names.calls_any(&[name_hash("create")]));
        assert!(names.names_any(&[name_hash("create")]));
        assert!(!names.names_any(&[name_hash("crea")]));
    }

    #[test]
    fn a_macro_invocation_calls_the_macro() {
        let names = Names::of(
            b"err_code!(\"slow down\", 429);\ndeny! { x }\nlet a = b != (c);",
            false,
        );
        assert!(names.calls_any(&[name_hash("err_code!")]));
        assert!(names.calls_any(&[name_hash("deny!")]));
        assert!(!names.calls_any(&[name_hash("b!")]));
        assert!(!names.calls_any(&[name_hash("err_code")]));
    }

    #[test]
    fn a_root_must_start_a_chain() {
        let roots = vec![b"res".to_vec()];
        assert!(look(b"res .json(x)", &roots).response_root);
        assert!(look(b"res?.json(x)", &roots).response_root);
        assert!(!look(b"req.res.json(x)", &roots).response_root);
        assert!(!look(b"const res = 1;", &roots).response_root);
    }

    #[test]
    fn numbers_in_strings_are_not_arguments() {
        assert!(!look(b"throw new Error(\"took 300 ms\")", &[]).status_call);
        assert!(look(b"throw new HttpError(\"x\", 418)", &[]).status_call);
        assert!(!look(b"throw new HttpError(\"x\", 4180)", &[]).status_call);
        assert!(!look(b"throw new HttpError(\"x\", 4.18)", &[]).status_call);
        assert!(look(b"Err(ApiError::new(404u16))", &[]).status_call);
    }

    #[test]
    fn a_status_among_type_arguments_is_a_status_type() {
        assert!(look(b"-> Result<Sent<201, Item>, E>", &[]).status_call);
        assert!(look(b"-> Typed<Item, 202>", &[]).status_call);
        assert!(!look(b"if n<300 && ok {}", &[]).status_call);
        assert!(!look(b"let v: ArrayVec<u8, 4096> = x;", &[]).status_call);
        assert!(!look(b"Vec<Option<u8>>", &[]).status_call);
    }

    #[test]
    fn every_word_a_call_sends_its_status_by_is_looked_for() {
        let words = hsl_workspace::RESPONSE_CALL_WORDS
            .iter()
            .chain(hsl_workspace::ERROR_CALL_WORDS);
        for word in words {
            let call = format!("return make_{word}_now(\"x\", 404)");
            assert!(look(call.as_bytes(), &[]).status_call, "{word}");
        }
    }
}
