//! What a condition on the way to a response tests, as the syntax layer read it.
//!
//! Rules ask questions of these values ("is a credential proven missing here?", "does the
//! branch compare the signed-in user with a record's owner?") and never look at source text:
//! the same question then works for every language whose syntax module fills them in, and a
//! condition no language module understood is an [`Test::Opaque`] that proves nothing.

use crate::ByteRange;

/// One test on the way to a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// Where the tested expression is (an `if` condition, a `match` scrutinee, the value of an
    /// `if let` or `let … else`, the receiver of `.ok_or(..)`).
    pub range: ByteRange,
    /// What the expression tests.
    pub test: Test,
    /// Whether the response is on the branch where the test fails: an `else`, the code after an
    /// early-return guard, the block of a `let … else`.
    pub negated: bool,
    /// The names, strings and calls of the tested expression and of its pattern, for matching
    /// vocabularies (permission words, error kinds) whatever the test's shape.
    pub words: Words,
}

impl Condition {
    /// Whether the test holds where the response is sent.
    pub fn holds(&self) -> bool {
        !self.negated
    }
}

/// A test as a formula over the few shapes rules reason about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Test {
    /// Every part holds: `a && b`, a Rust `let` chain.
    All(Vec<Test>),
    /// At least one part holds: `a || b`.
    Any(Vec<Test>),
    /// The inner test fails: `!a`; also `x.is_none()`, read as "not present".
    Not(Box<Test>),
    /// A value is there: truthy in JavaScript (`if (token)`), `x.is_some()`, `x.is_ok()`, a
    /// boolean field or call (`user.isAdmin`, `isOwner(user, post)`).
    Present(Operand),
    /// Two values compared: `a === b`, `user.id != post.owner_id`, `x == null`.
    Compare {
        left: Operand,
        op: Comparison,
        right: Operand,
    },
    /// A value matched against a pattern: a `match` arm, `if let`, `let … else`.
    Matches { value: Operand, pattern: Pattern },
    /// A shape the syntax does not model (arithmetic, a closure): it proves nothing, though
    /// its [`Words`] still count.
    Opaque,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// One side of a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    /// A value reached from a name.
    Path(Path),
    /// A literal value.
    Literal(Literal),
    /// An expression the syntax does not model.
    Other,
}

impl Operand {
    /// The path, when the operand is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Operand::Path(path) => Some(path),
            Operand::Literal(_) | Operand::Other => None,
        }
    }

    /// Whether the operand is a literal that means "nothing": `null`, `undefined`, `None`.
    pub fn is_null(&self) -> bool {
        matches!(self, Operand::Literal(Literal::Null))
    }
}

/// A literal value in a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// `null`, `undefined`, Rust's `None`.
    Null,
    Bool(bool),
    /// A number as written.
    Number(String),
    /// A string's contents.
    String(String),
}

/// A value reached from a name, step by step: `req.headers.authorization`,
/// `headers.get(AUTHORIZATION)`, `isAdmin(user)`, `req.headers["x-token"]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path {
    pub steps: Vec<Step>,
}

/// One step of a [`Path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A name: a variable, a field or method, a module path segment (`header::AUTHORIZATION`
    /// is two names).
    Name(String),
    /// A call of what the steps before it name, with its arguments.
    Call(Vec<Operand>),
    /// An index into the value before it: `headers["authorization"]`.
    Index(Box<Operand>),
}

impl Path {
    /// A path of plain names, for tests and synthesised values.
    pub fn of_names(names: &[&str]) -> Path {
        Path {
            steps: names
                .iter()
                .map(|name| Step::Name((*name).to_string()))
                .collect(),
        }
    }

    /// The names of the path in order, calls and indexes left out.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|step| match step {
            Step::Name(name) => Some(name.as_str()),
            Step::Call(_) | Step::Index(_) => None,
        })
    }

    /// The names of the functions the path calls: `verify` in `jwt.verify(t, k)`.
    pub fn called_names(&self) -> impl Iterator<Item = &str> {
        self.steps.windows(2).filter_map(|pair| match pair {
            [Step::Name(name), Step::Call(_)] => Some(name.as_str()),
            _ => None,
        })
    }
}

/// A pattern a value is matched against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub kind: PatternKind,
    /// Whether the pattern takes every value of its kind, whatever the variant holds: `Err(_)`,
    /// `Err(e)`, `Some(..)`, `None`; not `Err(Error::NotFound)`.
    pub takes_all: bool,
    /// The names in the pattern (`sqlx`, `Error`, `RowNotFound`, a binding `e`).
    pub names: Vec<String>,
    /// The name the pattern binds the variant's content to: `e` in `Err(e)`.
    pub binding: Option<String>,
}

/// What a pattern accepts, as far as rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternKind {
    /// `Some(..)`: the value is present.
    Some,
    /// `None`: the value is absent.
    None,
    /// `Ok(..)`: the operation succeeded.
    Ok,
    /// `Err(..)`: the operation failed.
    Err,
    /// Any other pattern (an enum variant, a literal, `_`).
    Other,
}

impl Pattern {
    /// A pattern of one kind with no names, for patterns the code implies (`.ok_or(..)` handles
    /// `None`, `.map_err(..)` handles `Err(_)`).
    pub fn implied(kind: PatternKind) -> Pattern {
        Pattern {
            kind,
            takes_all: true,
            names: Vec::new(),
            binding: None,
        }
    }
}

/// The words of an expression: every name (variables, fields, methods, path segments), the
/// contents of every string literal, and the names of the functions it calls, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words {
    pub names: Vec<String>,
    pub strings: Vec<String>,
    pub calls: Vec<String>,
}

impl Words {
    /// Whether one of `words` is a name here, compared without regard to ASCII case.
    pub fn has_name(&self, words: &[String]) -> bool {
        self.names
            .iter()
            .any(|name| words.iter().any(|word| word.eq_ignore_ascii_case(name)))
    }

    /// Whether one of `names` is called here (exact spelling).
    pub fn calls_any(&self, names: &[String]) -> bool {
        self.calls.iter().any(|call| names.contains(call))
    }

    /// Whether the names run through `sequence` in order, one after another: `process.env`
    /// in `process.env.JWT_SECRET`, `env::var` in `std::env::var("X")`.
    pub fn has_sequence(&self, sequence: &[&str]) -> bool {
        !sequence.is_empty()
            && self.names.windows(sequence.len()).any(|window| {
                window
                    .iter()
                    .zip(sequence)
                    .all(|(name, want)| name.as_str() == *want)
            })
    }

    /// Adds another expression's words.
    pub fn extend(&mut self, other: Words) {
        self.names.extend(other.names);
        self.strings.extend(other.strings);
        self.calls.extend(other.calls);
    }
}

/// A failure handler enclosing a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The whole `catch` clause, `.catch(..)` callback, `Err` arm or `else` block.
    pub range: ByteRange,
    /// The name the error is bound to (`err` in `catch (err)`, `e` in `Err(e)`).
    pub binding: Option<String>,
    /// The `Err(..)` pattern (`Err(sqlx::Error::RowNotFound)`); `None` for a `catch`.
    pub pattern: Option<Pattern>,
    /// What failed: the `try` block, or the matched expression.
    pub tried: Option<ByteRange>,
    /// The words of what failed (the calls in the `try` block: `jwt.verify`).
    pub tried_words: Words,
}
