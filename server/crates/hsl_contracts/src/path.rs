//! Path templates in one comparable form, whichever router or document spelled them.
//!
//! `/users/:id` (Express, Koa, Hono, Fastify, axum 0.7), `/users/{userId}` (OpenAPI, axum 0.8,
//! actix-web), `/users/<id>` (Rocket) are the same route: a literal segment and a parameter.
//! Parameter names are kept for display and for the writer, but two templates are equal when
//! their literals are equal and their parameters sit at the same places, as OpenAPI itself
//! treats `/users/{id}` and `/users/{userId}` as one path.
//!
//! Choices, on purpose:
//! - Empty segments do not count: a trailing slash, a doubled slash and the root's lone slash
//!   make no difference (`/users/` ≡ `/users`, as Express routes by default).
//! - Literals compare exactly, case included.
//! - A wildcard (`*`, `*rest`, `{*rest}`, `<path..>`, `:path*`, `{tail:.*}`) is its own kind of
//!   part: it equals only a wildcard at the same place. OpenAPI has no wildcard, so a catch-all
//!   route never matches a documented operation, and a route without a contract is never
//!   reported.
//! - Router modifiers are read but not modelled: `:id?` (optional) and `:id(\\d+)` (a pattern)
//!   are parameters like `:id`.

use std::fmt;
use std::hash::{Hash, Hasher};

/// A route or operation path as segments of literals and parameters.
///
/// Equality and hashing ignore parameter names (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PathTemplate {
    segments: Vec<Segment>,
}

/// One `/`-separated piece of a path. Most have one part; `{id}.json` or `:from-:to` have
/// several.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Segment {
    pub parts: Vec<Part>,
}

/// Literal text, a parameter or a wildcard inside a segment.
#[derive(Clone, Debug)]
pub enum Part {
    Literal(String),
    /// A parameter with its name as written (empty when the router gives none).
    Parameter(String),
    /// The rest of the path, whatever it holds, with its name (empty when unnamed).
    Wildcard(String),
}

impl PartialEq for Part {
    /// Literals by text; a parameter equals any parameter, a wildcard any wildcard.
    fn eq(&self, other: &Part) -> bool {
        match (self, other) {
            (Part::Literal(a), Part::Literal(b)) => a == b,
            (Part::Parameter(_), Part::Parameter(_)) | (Part::Wildcard(_), Part::Wildcard(_)) => {
                true
            }
            _ => false,
        }
    }
}

impl Eq for Part {}

impl Hash for Part {
    /// Consistent with equality: names of parameters and wildcards are left out.
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Part::Literal(text) => {
                state.write_u8(0);
                text.hash(state);
            }
            Part::Parameter(_) => state.write_u8(1),
            Part::Wildcard(_) => state.write_u8(2),
        }
    }
}

impl PathTemplate {
    /// Reads an OpenAPI path key: only `{name}` is a parameter; every other character is
    /// literal (a `:` in `/things:batchGet` is part of the name, as OpenAPI reads it).
    pub fn from_openapi(path: &str) -> PathTemplate {
        let segments = split_segments(path).map(openapi_segment).collect();
        PathTemplate { segments }
    }

    /// Reads a route path as a router in code spells it, in any of the syntaxes the project
    /// supports: `:id`, `{id}`, `<id>`, their wildcards and their modifiers.
    pub fn from_route(path: &str) -> PathTemplate {
        let segments = split_segments(path).map(route_segment).collect();
        PathTemplate { segments }
    }

    /// The template of a route mounted under a prefix: a router's mount point or a server's
    /// base path followed by the route's own path.
    pub fn join(&self, rest: &PathTemplate) -> PathTemplate {
        let segments = self
            .segments
            .iter()
            .chain(&rest.segments)
            .cloned()
            .collect();
        PathTemplate { segments }
    }

    /// The segments in order; the root path has none.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether the path has no segment at all (`/`, or an empty base path).
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// Whether some part matches the rest of the path: such a route matches no OpenAPI
    /// operation.
    pub fn has_wildcard(&self) -> bool {
        self.parts().any(|part| matches!(part, Part::Wildcard(_)))
    }

    /// Every part, segment after segment.
    pub fn parts(&self) -> impl Iterator<Item = &Part> {
        self.segments.iter().flat_map(|segment| &segment.parts)
    }

    /// The path that names one item of the collection this path names: the path plus one
    /// parameter (`/roles` → `/roles/{id}`).
    pub fn item(&self) -> PathTemplate {
        let mut segments = self.segments.clone();
        segments.push(Segment {
            parts: vec![Part::Parameter(String::new())],
        });
        PathTemplate { segments }
    }

    /// The same path with its last word in the other number, as REST routes often name a
    /// collection and its items (`/roles` and `/role/{id}`): `/roles` → `/role`, `/role` →
    /// `/roles`. `None` when the last segment is not one literal word.
    pub fn other_number(&self) -> Option<PathTemplate> {
        let (_, parents) = self.segments.split_last()?;
        let mut segments = parents.to_vec();
        segments.push(Segment {
            parts: vec![Part::Literal(self.last_word_in_other_number()?)],
        });
        Some(PathTemplate { segments })
    }

    /// The path that names one item of this collection under its word in the other number,
    /// as some APIs nest an item (`/tokens` → `/tokens/token/{id}`). `None` when the last
    /// segment is not one literal word.
    pub fn item_under_other_number(&self) -> Option<PathTemplate> {
        let mut segments = self.segments.clone();
        segments.push(Segment {
            parts: vec![Part::Literal(self.last_word_in_other_number()?)],
        });
        segments.push(Segment {
            parts: vec![Part::Parameter(String::new())],
        });
        Some(PathTemplate { segments })
    }

    /// Whether the last segment is one parameter that names another thing than the word
    /// before it (`/post-tags/{post_id}` lists a post's tags, `/user-tags/{userId}` a user's):
    /// such a route reads a group under its parent's key, not one item of the collection. A
    /// name without a qualifier (`{id}`, `{slug}`) or whose qualifier is that word in either
    /// number or shortened (`/posts/{postId}`, `/organizations/{orgId}`, `/users/{username}`)
    /// names the item.
    pub fn keyed_by_another_thing(&self) -> bool {
        let [.., parent, last] = self.segments.as_slice() else {
            return false;
        };
        let ([Part::Literal(collection)], [Part::Parameter(key)]) =
            (parent.parts.as_slice(), last.parts.as_slice())
        else {
            return false;
        };
        let Some(word) = words(collection).pop() else {
            return false;
        };
        let mut key_words = words(key);
        let Some(suffix) = key_words.pop() else {
            return false;
        };
        let Some(qualifier) = key_words.pop() else {
            return false;
        };
        KEY_SUFFIXES.contains(&suffix.as_str()) && !same_thing(&qualifier, &word)
    }

    /// The last segment's word in the other number (`roles` → `role`, `role` → `roles`);
    /// `None` when that segment is not one literal word.
    fn last_word_in_other_number(&self) -> Option<String> {
        let [Part::Literal(word)] = self.segments.last()?.parts.as_slice() else {
            return None;
        };
        match word.strip_suffix('s') {
            Some("") => None,
            Some(singular) => Some(singular.to_string()),
            None => Some(format!("{word}s")),
        }
    }
}

/// The last words of a parameter name that say it is a key (`post_id`, `tagSlug`).
const KEY_SUFFIXES: &[&str] = &["id", "ids", "uuid", "guid", "slug", "name", "key", "code"];

/// The lower-case words of a path literal or a parameter name, split at `-`, `_`, `.` and
/// lower-to-upper case changes (`post-tags`, `post_id`, `postId`).
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        let boundary = !c.is_alphanumeric() || (c.is_uppercase() && previous_lower);
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether a key's qualifier and a collection's word name one thing: equal up to a plural `s`,
/// or one the start of the other (`org` and `organizations`, `user` and `username`).
fn same_thing(qualifier: &str, word: &str) -> bool {
    qualifier.starts_with(word) || word.starts_with(qualifier)
}

impl fmt::Display for PathTemplate {
    /// OpenAPI's spelling: `/users/{id}`; a wildcard shows as `{*name}`; the root as `/`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.segments {
            f.write_str("/")?;
            for part in &segment.parts {
                match part {
                    Part::Literal(text) => f.write_str(text)?,
                    Part::Parameter(name) => write!(f, "{{{name}}}")?,
                    Part::Wildcard(name) => write!(f, "{{*{name}}}")?,
                }
            }
        }
        Ok(())
    }
}

fn split_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

fn openapi_segment(text: &str) -> Segment {
    let mut parts = Parts::default();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '{' {
            let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
            parts.push(Part::Parameter(name));
        } else {
            parts.literal(c);
        }
    }
    parts.into_segment()
}

fn route_segment(text: &str) -> Segment {
    let mut parts = Parts::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => parts.push(braced(&mut chars)),
            '<' => parts.push(angled(&mut chars)),
            '*' => parts.push(Part::Wildcard(name(&mut chars))),
            '(' => parts.push(match takes_the_rest(&balanced(&mut chars, '(', ')')) {
                true => Part::Wildcard(String::new()),
                false => Part::Parameter(String::new()),
            }),
            ':' => match colon(&mut chars) {
                Some(part) => parts.push(part),
                None => parts.literal(':'),
            },
            _ => parts.literal(c),
        }
    }
    parts.into_segment()
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// `{id}`, `{id:\d+}` (actix-web), `{*rest}` (axum 0.8), `{tail:.*}` (a pattern that takes the
/// rest of the path).
fn braced(chars: &mut Chars<'_>) -> Part {
    let inner = balanced(chars, '{', '}');
    if let Some(rest) = inner.strip_prefix('*') {
        return Part::Wildcard(rest.to_string());
    }
    match inner.split_once(':') {
        Some((name, pattern)) if takes_the_rest(pattern) => Part::Wildcard(name.to_string()),
        Some((name, _)) => Part::Parameter(name.to_string()),
        None => Part::Parameter(inner),
    }
}

/// Rocket: `<id>`, and `<path..>` for the rest of the path.
fn angled(chars: &mut Chars<'_>) -> Part {
    let inner: String = chars.by_ref().take_while(|&c| c != '>').collect();
    match inner.strip_suffix("..") {
        Some(name) => Part::Wildcard(name.to_string()),
        None => Part::Parameter(inner),
    }
}

/// `:id`, with an optional pattern `(\\d+)` (Express) or `{[0-9]+}` (Hono) and a modifier:
/// `?` keeps it a parameter, `*` or `+` make it take the rest of the path. `None` when no name
/// follows the colon: the colon is then literal.
fn colon(chars: &mut Chars<'_>) -> Option<Part> {
    let name = name(chars);
    if name.is_empty() {
        return None;
    }
    let mut wildcard = false;
    match chars.peek() {
        Some('(') => {
            chars.next();
            wildcard = takes_the_rest(&balanced(chars, '(', ')'));
        }
        Some('{') => {
            chars.next();
            wildcard = takes_the_rest(&balanced(chars, '{', '}'));
        }
        _ => {}
    }
    match chars.peek() {
        Some('?') => {
            chars.next();
        }
        Some('*' | '+') => {
            chars.next();
            wildcard = true;
        }
        _ => {}
    }
    Some(match wildcard {
        true => Part::Wildcard(name),
        false => Part::Parameter(name),
    })
}

/// A parameter name: letters, digits, `_` and `$`, as the JavaScript routers accept.
fn name(chars: &mut Chars<'_>) -> String {
    let mut name = String::new();
    while let Some(&c) = chars.peek() {
        if !(c.is_alphanumeric() || c == '_' || c == '$') {
            break;
        }
        name.push(c);
        chars.next();
    }
    name
}

/// The text up to the closer that matches an opener already read, nested pairs included; the
/// closer is consumed, an unclosed group takes the rest of the segment.
fn balanced(chars: &mut Chars<'_>, open: char, close: char) -> String {
    let mut depth = 1usize;
    let mut inner = String::new();
    for c in chars.by_ref() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                break;
            }
        }
        inner.push(c);
    }
    inner
}

/// Whether a parameter's pattern matches across slashes (`.*`, `.+`, `(.*)`).
fn takes_the_rest(pattern: &str) -> bool {
    pattern.contains(".*") || pattern.contains(".+")
}

/// Gathers parts, merging adjacent literal characters into one literal.
#[derive(Default)]
struct Parts {
    parts: Vec<Part>,
}

impl Parts {
    fn literal(&mut self, c: char) {
        if let Some(Part::Literal(text)) = self.parts.last_mut() {
            text.push(c);
            return;
        }
        self.parts.push(Part::Literal(c.to_string()));
    }

    fn push(&mut self, part: Part) {
        self.parts.push(part);
    }

    fn into_segment(self) -> Segment {
        Segment { parts: self.parts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(text: &str) -> PathTemplate {
        PathTemplate::from_route(text)
    }

    #[test]
    fn a_key_of_another_thing_is_told_from_an_item_key() {
        for parent_keyed in [
            "/post-tags/:post_id",
            "/user-tags/{userId}",
            "/api/invoice_lines/<invoice_id>",
        ] {
            assert!(
                route(parent_keyed).keyed_by_another_thing(),
                "{parent_keyed}"
            );
        }
        for item in [
            "/posts/:postId",
            "/post/:post_id",
            "/user-chapter/:chapter_id",
            "/organizations/{orgId}",
            "/users/:username",
            "/items/:id",
            "/items/:slug",
            "/tags/:tag",
            "/users/:userId/:postId",
            "/items",
        ] {
            assert!(!route(item).keyed_by_another_thing(), "{item}");
        }
    }

    fn openapi(text: &str) -> PathTemplate {
        PathTemplate::from_openapi(text)
    }

    #[test]
    fn colon_braces_and_angles_are_one_parameter_whatever_its_name() {
        let document = openapi("/users/{userId}");
        for spelling in [
            "/users/:id",
            "/users/{id}",
            "/users/<id>",
            "/users/:id(\\d+)",
        ] {
            assert_eq!(route(spelling), document, "{spelling}");
        }
        assert_eq!(route("/users/:id?"), document);
        assert_eq!(route("/users/:id{[0-9]+}"), document);
        assert_eq!(route("/users/{id:\\d+}"), document);
    }

    #[test]
    fn parameter_names_are_kept_for_display() {
        assert_eq!(
            route("/users/:id/posts/<post>").to_string(),
            "/users/{id}/posts/{post}"
        );
        assert_eq!(openapi("/users/{userId}").to_string(), "/users/{userId}");
    }

    #[test]
    fn an_item_nests_under_the_collection_word_in_the_other_number() {
        let nested = route("/-/npm/v1/tokens").item_under_other_number();
        assert_eq!(nested, Some(route("/-/npm/v1/tokens/token/:uuid")));
        assert_eq!(
            route("/post").item_under_other_number(),
            Some(route("/post/posts/:id"))
        );
        assert_eq!(route("/users/:id").item_under_other_number(), None);
        assert_eq!(route("/s").item_under_other_number(), None);
    }

    #[test]
    fn a_literal_is_not_a_parameter() {
        assert_ne!(route("/users/me"), openapi("/users/{id}"));
        assert_ne!(route("/users/:id"), openapi("/users"));
        assert_ne!(route("/Users"), openapi("/users"));
    }

    #[test]
    fn trailing_and_doubled_slashes_make_no_difference() {
        assert_eq!(route("/users/"), openapi("/users"));
        assert_eq!(route("//users//:id"), openapi("/users/{id}"));
        assert!(route("/").is_root());
        assert_eq!(route("/").to_string(), "/");
        assert_eq!(route(""), openapi("/"));
    }

    #[test]
    fn wildcards_in_every_spelling_equal_only_a_wildcard() {
        for spelling in [
            "/files/*",
            "/files/*rest",
            "/files/{*rest}",
            "/files/<path..>",
            "/files/:path*",
            "/files/{tail:.*}",
            "/files/(.*)",
        ] {
            let template = route(spelling);
            assert!(template.has_wildcard(), "{spelling}");
            assert_eq!(template, route("/files/*"), "{spelling}");
            assert_ne!(template, openapi("/files/{name}"), "{spelling}");
        }
    }

    #[test]
    fn openapi_reads_only_braces_as_parameters() {
        let custom_method = openapi("/things:batchGet");
        assert_eq!(custom_method.to_string(), "/things:batchGet");
        assert!(matches!(
            custom_method.segments()[0].parts.as_slice(),
            [Part::Literal(_)]
        ));
        assert!(!openapi("/files/*").has_wildcard());
    }

    #[test]
    fn a_segment_may_mix_literals_and_parameters() {
        assert_eq!(route("/files/:name.json"), openapi("/files/{file}.json"));
        assert_ne!(route("/files/:name.json"), openapi("/files/{file}.xml"));
        assert_eq!(route("/flights/:from-:to"), openapi("/flights/{a}-{b}"));
    }

    #[test]
    fn a_colon_without_a_name_is_literal() {
        assert_eq!(route("/a:/b").to_string(), "/a:/b");
    }

    #[test]
    fn join_puts_a_prefix_before_a_route() {
        let joined = route("/api/").join(&route("/users/:id"));
        assert_eq!(joined, openapi("/api/users/{id}"));
        assert_eq!(route("/").join(&route("/users")), openapi("/users"));
        assert_eq!(route("/api").join(&route("/")), openapi("/api"));
    }

    #[test]
    fn equal_templates_hash_alike() {
        use std::collections::HashSet;
        let set: HashSet<PathTemplate> = [route("/users/:id"), openapi("/users/{userId}")].into();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn non_ascii_literals_survive() {
        assert_eq!(route("/café/:id").to_string(), "/café/{id}");
        assert_eq!(route("/café/:id"), openapi("/café/{x}"));
    }
}
