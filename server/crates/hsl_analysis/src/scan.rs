//! What a file's bytes may hold, told without parsing it: the prefilter that decides which
//! files are parsed at all.
//!
//! A file is parsed for its status sites when it may hold one, a project helper, or a call
//! that sends a status it is given ([`Scan::Status`]); it may register a route when it holds a
//! route literal ([`Scan::Routes`]). The scan errs on the side of parsing: every check below
//! only rules a file out where the extractors could not find anything in it.
//!
//! 1. One pass of an Aho-Corasick automaton over the literals of the file's language
//!    (`hsl_tables::status_literals_for`, `route_literals_for`). A literal that starts or ends
//!    with an identifier character counts only where it is a whole word at that end
//!    (`Response(` is not `StepResponse(`, `.status` is not `.statusText`); a Rust body
//!    wrapper (`Json(`) counts only where it is not called as a method (`.json()`).
//! 2. Only when that finds no plain literal, one pass over the identifiers
//!    ([`crate::tokens`]): a response member (`.json(`) counts in a file that starts a chain
//!    from a response object (`res.`, `ctx?.`), and a call named for an error with a number
//!    between 100 and 999 among its arguments (`new Parse.Error(143, ..)`) sends that status.

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::tokens::{self, is_word_byte};
use hsl_facts::Family;
use hsl_tables::{route_literals_for, status_literals_for};

/// What a file may hold, by what its bytes contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scan {
    /// A status site, a project helper, or a call that sends a status: parse it.
    Status,
    /// No status, but a route registration: parse it when it names a handler that needs one.
    Routes,
    /// Neither.
    Nothing,
}

/// The literal scanners of every language family, built once per run.
pub struct Scanner {
    js: FamilyScanner,
    rust: FamilyScanner,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl Scanner {
    /// Compiles the literals of every table.
    pub fn new() -> Scanner {
        Scanner {
            js: FamilyScanner::new(Family::JavaScript),
            rust: FamilyScanner::new(Family::Rust),
        }
    }

    /// What a file of `family` with these bytes may hold.
    pub fn scan(&self, family: Family, bytes: &[u8]) -> Scan {
        match family {
            Family::JavaScript => self.js.scan(bytes),
            Family::Rust => self.rust.scan(bytes),
        }
    }
}

/// What a literal means when it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Meaning {
    /// A status site on its own.
    Plain,
    /// A status site where it is not called as a method (`Json(x)`, not `res.json()`).
    BareCall,
    /// A response member: a status site in a file that names a response object.
    Member,
    /// A route registration.
    Route,
}

/// One literal: its meaning, and whether each end must be a word boundary.
#[derive(Clone, Copy, Debug)]
struct Literal {
    meaning: Meaning,
    whole_start: bool,
    whole_end: bool,
}

/// The scanner of one family's tables.
struct FamilyScanner {
    matcher: Option<AhoCorasick>,
    /// By pattern id.
    literals: Vec<Literal>,
    /// The names a response object's chain starts from.
    roots: Vec<Vec<u8>>,
}

impl FamilyScanner {
    fn new(family: Family) -> FamilyScanner {
        let status = status_literals_for(family);
        let mut patterns: Vec<String> = Vec::new();
        let mut literals: Vec<Literal> = Vec::new();
        let groups = [
            (status.plain, Meaning::Plain),
            (status.bare_calls, Meaning::BareCall),
            (status.members, Meaning::Member),
            (route_literals_for(family), Meaning::Route),
        ];
        for (list, meaning) in groups {
            for literal in list {
                let bytes = literal.as_bytes();
                literals.push(Literal {
                    meaning,
                    whole_start: bytes.first().is_some_and(|b| is_word_byte(*b)),
                    whole_end: bytes.last().is_some_and(|b| is_word_byte(*b)),
                });
                patterns.push(literal);
            }
        }
        // A DFA: a fixed set of a few hundred literals that every file is scanned for, where it
        // scans about twice as fast as the NFA the builder would pick.
        let matcher = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .ok();
        FamilyScanner {
            matcher,
            literals,
            roots: status.roots.into_iter().map(String::into_bytes).collect(),
        }
    }

    fn scan(&self, bytes: &[u8]) -> Scan {
        let Some(matcher) = &self.matcher else {
            return Scan::Status;
        };
        let mut member = false;
        let mut routes = false;
        for found in matcher.find_overlapping_iter(bytes) {
            let Some(literal) = self.literals.get(found.pattern().as_usize()) else {
                continue;
            };
            if !whole(bytes, found.start(), found.end(), literal) {
                continue;
            }
            match literal.meaning {
                Meaning::Plain => return Scan::Status,
                Meaning::BareCall if !after_dot(bytes, found.start()) => return Scan::Status,
                Meaning::BareCall => {}
                Meaning::Member => member = true,
                Meaning::Route => routes = true,
            }
        }
        let look = tokens::look(bytes, if member { &self.roots } else { &[] });
        if (member && look.response_root) || look.status_call {
            Scan::Status
        } else if routes {
            Scan::Routes
        } else {
            Scan::Nothing
        }
    }
}

/// Whether a match stands where the literal needs a word boundary: a byte before its first
/// (after its last) character that could continue a word rules it out. Bytes of non-ASCII
/// characters never do (a no-break space is not part of a word), so the check only ever rules
/// out what surely is a longer word.
fn whole(bytes: &[u8], start: usize, end: usize, literal: &Literal) -> bool {
    let before = start
        .checked_sub(1)
        .and_then(|at| bytes.get(at))
        .is_some_and(|b| is_word_byte(*b));
    let after = bytes.get(end).is_some_and(|b| is_word_byte(*b));
    !(literal.whole_start && before || literal.whole_end && after)
}

/// Whether the match at `start` is called as a method: a `.` (spaces and line breaks aside)
/// stands before it.
fn after_dot(bytes: &[u8], start: usize) -> bool {
    let before = bytes.get(..start).unwrap_or_default();
    before
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .is_some_and(|b| *b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(text: &str) -> Scan {
        Scanner::new().scan(Family::JavaScript, text.as_bytes())
    }

    fn rust(text: &str) -> Scan {
        Scanner::new().scan(Family::Rust, text.as_bytes())
    }

    #[test]
    fn a_plain_literal_is_enough() {
        assert_eq!(js("throw new NotFoundException('x')"), Scan::Status);
        assert_eq!(rust("(StatusCode::CREATED, body)"), Scan::Status);
        assert_eq!(rust("HttpResponse::Ok().finish()"), Scan::Status);
    }

    #[test]
    fn a_literal_inside_a_longer_word_is_not() {
        assert_eq!(js("return new StepResponse(x)"), Scan::Nothing);
        assert_eq!(js("if (order.statusText) {}"), Scan::Nothing);
        assert_eq!(rust("use my_error::Kind;"), Scan::Nothing);
    }

    #[test]
    fn a_response_member_needs_a_response_object() {
        assert_eq!(js("res.json({ ok: true })"), Scan::Status);
        assert_eq!(js("res\n  .status(404)\n  .end()"), Scan::Status);
        assert_eq!(js("ctx?.throw(401)"), Scan::Status);
        assert_eq!(
            js("const body = await fetch(u).then((r) => r.json())"),
            Scan::Nothing
        );
        assert_eq!(js("req.res.json(x)"), Scan::Nothing);
        // Koa 1: in a generator, `this` is the context.
        assert_eq!(js("function* h() { this.body = x; }"), Scan::Status);
    }

    #[test]
    fn a_member_literal_of_javascript_is_nothing_in_rust() {
        assert_eq!(rust("let v = res.json(x);"), Scan::Nothing);
    }

    #[test]
    fn an_error_class_with_a_status_is_read() {
        let class =
            "class E extends Error { constructor(m, s) { super(m); this.statusCode = s; } }";
        assert_eq!(js(class), Scan::Status);
    }

    #[test]
    fn a_call_named_for_an_error_with_a_status_number_is_read() {
        assert_eq!(
            js("throw new Parse.Error(143, 'no such function');"),
            Scan::Status
        );
        assert_eq!(js("next(createError(')', 404))"), Scan::Status);
        assert_eq!(rust("return Err(AppError::new(401));"), Scan::Status);
        assert_eq!(js("throw new Error('retry in 300 ms')"), Scan::Nothing);
        assert_eq!(js("paginate(items, 100)"), Scan::Nothing);
    }

    #[test]
    fn a_route_attribute_is_a_handler_with_a_status() {
        // No status word: the handler's error type answers what its `?` lets out.
        let quiet =
            "#[post(\"/upload\")]\nasync fn upload() -> Result<String, Failure> { Ok(save()?) }";
        assert_eq!(rust(quiet), Scan::Status);
        assert_eq!(
            rust("#[route(\"/x\", method = \"GET\")]\nfn x() {}"),
            Scan::Status
        );
        assert_eq!(rust("#[derive(Debug)]\nstruct Upload;"), Scan::Nothing);
    }

    #[test]
    fn a_bare_body_wrapper_sends_its_implicit_status() {
        assert_eq!(
            rust("async fn list() -> Json<Vec<Tag>> { Json(all().await) }"),
            Scan::Status
        );
        assert_eq!(rust("Ok(warp::reply::json(&items))"), Scan::Status);
        assert_eq!(rust("struct PrettyJson(Value);"), Scan::Nothing);
        assert_eq!(js("return Json(items)"), Scan::Nothing);
        assert_eq!(
            rust("let tags: Vec<Tag> = client.get(u).send().await?.json().await?;"),
            Scan::Nothing
        );
    }

    #[test]
    fn a_number_handed_to_a_call_named_for_nothing_is_left_to_the_helper_step() {
        // `fail(reply, 422, ..)` sends 422 only if the project's `fail` is a helper that sends
        // its argument; the run reads the callers of the helpers it found again, by name, so
        // the scanner need not parse every file that passes a number beside a reply.
        let route =
            "fastify.post('/tags', async (request, reply) => fail(reply, 422, 'no label'));";
        assert_eq!(js(route), Scan::Routes);
    }

    #[test]
    fn routes_are_told_apart_from_status_sites() {
        assert_eq!(js("router.post('/users', users.create);"), Scan::Routes);
        assert_eq!(rust("Router::new().route(\"/\", get(list))"), Scan::Routes);
    }
}
