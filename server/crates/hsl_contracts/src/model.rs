//! The contract model: what an API says each operation answers, with where it says so.
//!
//! Language-neutral plain data. An OpenAPI document and an in-code declaration (a decorator, an
//! attribute) both become a [`Contract`]; the rules only ever see this model.

use std::fmt;
use std::path::PathBuf;

use hsl_facts::{ByteRange, Method};

use crate::path::PathTemplate;

/// Everything one source promises: an OpenAPI document, or the declarations of one code file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contract {
    /// Where the promises come from, for messages ("declared in spec/api.yaml:12:7").
    pub source: Source,
    /// Every operation the source declares, in the order it declares them.
    pub operations: Vec<Operation>,
}

/// The file a contract was read from and the place in it that starts the contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub file: PathBuf,
    /// The `openapi:`/`swagger:` field of a document, or the declaration in code.
    pub place: Place,
    pub format: Format,
}

/// The kind of source, so a message can say "OpenAPI 3.0" or "a decorator".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x (and later 3.x, read the same way).
    OpenApi31,
    /// Declarations in handler code (NestJS `@ApiResponse`, utoipa `#[utoipa::path]`, …).
    InCode,
}

/// Where something is said: a line and column of a document, or a byte range of a code file.
///
/// Documents are read by a YAML parser that counts lines and characters, not bytes; code facts
/// are byte ranges like every other fact of the project.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    InDocument(Position),
    InCode(ByteRange),
}

/// A position in a document: line and column both start at 1, the column counts characters
/// (Unicode scalar values), as an editor's status bar does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    /// The first character of a document: where file-level problems point.
    pub const START: Position = Position { line: 1, column: 1 };
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One method on one path, and the statuses its contract declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub method: Method,
    /// The path as the contract spells it (`/users/{userId}`), without any server base path.
    pub path: PathTemplate,
    /// Base paths of the servers that serve this operation (`/v1` from
    /// `servers: [{url: https://api.example.com/v1}]`), most specific level first. A route
    /// matches the operation with or without one of them: the app may mount its router under
    /// `/v1` itself, or a proxy may strip it.
    pub base_paths: Vec<PathTemplate>,
    /// The `operationId`, when there is one, for messages.
    pub operation_id: Option<String>,
    /// The declared statuses, in the order the contract lists them.
    pub responses: Vec<DeclaredStatus>,
    /// The method key (`get:`) or the declaration in code.
    pub place: Place,
}

/// One response key of an operation, with where it is declared.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DeclaredStatus {
    pub key: StatusKey,
    pub place: Place,
}

/// A response key: one code, a class of codes, or everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusKey {
    /// `"201"`, `201`.
    Code(u16),
    /// `"4XX"`, `'4xx'`: the class digit, 1 to 5.
    Range(u8),
    /// `default`: every code the other keys do not name.
    Default,
}

impl StatusKey {
    /// Reads a response key as OpenAPI spells it: a code from 100 to 599, a class `1XX`–`5XX`
    /// in either case, or `default`. Anything else is `None` (the caller says why).
    pub fn parse(text: &str) -> Option<StatusKey> {
        let text = text.trim();
        if text == "default" {
            return Some(StatusKey::Default);
        }
        let bytes = text.as_bytes();
        let [class @ b'1'..=b'5', second, third] = bytes else {
            return None;
        };
        let class = class - b'0';
        if second.eq_ignore_ascii_case(&b'x') && third.eq_ignore_ascii_case(&b'x') {
            return Some(StatusKey::Range(class));
        }
        if second.is_ascii_digit() && third.is_ascii_digit() {
            let code = u16::from(class) * 100 + u16::from(second - b'0') * 10;
            return Some(StatusKey::Code(code + u16::from(third - b'0')));
        }
        None
    }

    /// Whether a sent code falls under this key on its own (`default` says nothing alone: it
    /// covers what the other keys leave, see [`crate::covers`]).
    pub fn names(self, code: u16) -> bool {
        match self {
            StatusKey::Code(declared) => declared == code,
            StatusKey::Range(class) => code / 100 == u16::from(class),
            StatusKey::Default => false,
        }
    }
}

impl fmt::Display for StatusKey {
    /// The key as OpenAPI writes it: `404`, `4XX`, `default`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusKey::Code(code) => write!(f, "{code}"),
            StatusKey::Range(class) => write!(f, "{class}XX"),
            StatusKey::Default => f.write_str("default"),
        }
    }
}

/// A contract source that could not be read, or a part of it that was skipped: the message a
/// user sees, with its position. Reading never stops at the first one; the rest still loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        write!(f, "{file}:{}:{}: {}", self.line, self.column, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys_read_codes_ranges_in_either_case_and_default() {
        assert_eq!(StatusKey::parse("201"), Some(StatusKey::Code(201)));
        assert_eq!(StatusKey::parse("4XX"), Some(StatusKey::Range(4)));
        assert_eq!(StatusKey::parse("4xx"), Some(StatusKey::Range(4)));
        assert_eq!(StatusKey::parse("5xX"), Some(StatusKey::Range(5)));
        assert_eq!(StatusKey::parse("default"), Some(StatusKey::Default));
    }

    #[test]
    fn status_keys_outside_openapi_are_refused() {
        for text in [
            "600", "099", "6XX", "4X1", "20", "2000", "ok", "Default", "", "x-200",
        ] {
            assert_eq!(StatusKey::parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_range_names_its_class_and_default_names_nothing_alone() {
        assert!(StatusKey::Range(4).names(404));
        assert!(!StatusKey::Range(4).names(500));
        assert!(StatusKey::Code(201).names(201));
        assert!(!StatusKey::Default.names(201));
    }

    #[test]
    fn keys_print_as_openapi_writes_them() {
        assert_eq!(StatusKey::Range(4).to_string(), "4XX");
        assert_eq!(StatusKey::Code(418).to_string(), "418");
        assert_eq!(StatusKey::Default.to_string(), "default");
    }
}
