//! What a route's contract declares, beside the route itself: the workspace finds the routes,
//! the analysis layer matches them with the project's contracts (OpenAPI documents, in-code
//! declarations), and the contract rules read the result from here, knowing nothing of where
//! a contract was written or how it was parsed.

use crate::{ByteRange, HandlerId, Location, Method, Replacement};

/// A route served by a handler of the analysed file, and the operation its contract declares
/// for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteContract {
    pub method: Method,
    /// The whole path in OpenAPI's spelling (`/items/{id}`), for messages.
    pub path: String,
    /// The handler in this file that serves the route.
    pub handler: HandlerId,
    /// The response keys the operation declares, in the contract's order.
    pub declared: Vec<DeclaredKey>,
    /// Where the contract declares the operation, for related information.
    pub declared_at: Location,
    /// A description of the contract for messages: `spec/api.yaml`, `@ApiResponse`.
    pub source: String,
    /// Where each declared key is written, in the order of `declared` (empty when the
    /// contract does not say), for findings about one declared response.
    pub key_places: Vec<KeyPlace>,
    /// Where the route is registered (the registration, attribute or exported name), where a
    /// finding about a contract written in another file sits.
    pub registered_at: Location,
    /// The edits of this file that declare one more status (see
    /// [`DeclaredResponses::additions`]); empty for a contract written elsewhere.
    pub additions: Vec<Replacement>,
}

/// Where one key of a contract is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPlace {
    pub key: DeclaredKey,
    pub location: Location,
    /// How a message names the place: `spec/api.yaml:14`.
    pub label: String,
}

/// One response key of an operation: a code, a class (`4XX`) or `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeclaredKey {
    Code(u16),
    /// The class digit, 1 to 5.
    Class(u8),
    Default,
}

impl DeclaredKey {
    /// A key as a contract writes it in a string: `default`, a class (`4XX`, `4xx`) or a code
    /// (`201`); `None` for anything else.
    pub fn parse(written: &str) -> Option<DeclaredKey> {
        if written == "default" {
            return Some(DeclaredKey::Default);
        }
        let mut chars = written.chars();
        let (Some(class), Some(second), Some(third), None) =
            (chars.next(), chars.next(), chars.next(), chars.next())
        else {
            return None;
        };
        if matches!(second, 'X' | 'x') && matches!(third, 'X' | 'x') {
            let class = class.to_digit(10).filter(|digit| (1..=5).contains(digit))?;
            return u8::try_from(class).ok().map(DeclaredKey::Class);
        }
        written.parse().ok().map(DeclaredKey::Code)
    }
}

impl RouteContract {
    /// Whether the contract accounts for `code`: the code itself, its class, or `default`.
    pub fn covers(&self, code: u16) -> bool {
        self.declared.iter().any(|key| match key {
            DeclaredKey::Code(declared) => *declared == code,
            DeclaredKey::Class(class) => code / 100 == u16::from(*class),
            DeclaredKey::Default => true,
        })
    }

    /// The declared keys as a message lists them: `201, 4XX, default`.
    pub fn declared_list(&self) -> String {
        let keys: Vec<String> = self
            .declared
            .iter()
            .map(|key| match key {
                DeclaredKey::Code(code) => code.to_string(),
                DeclaredKey::Class(class) => format!("{class}XX"),
                DeclaredKey::Default => "default".to_string(),
            })
            .collect();
        if keys.is_empty() {
            "no status".to_string()
        } else {
            keys.join(", ")
        }
    }
}

/// A route a handler of the analysed file serves, with what the rest of the project's routes
/// say about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerRoute {
    pub handler: HandlerId,
    pub method: Method,
    /// The whole path in OpenAPI's spelling, for messages.
    pub path: String,
    /// Whether the project registers a route that reads back what this one creates: a `GET`,
    /// `PUT`, `PATCH` or `DELETE` on its path plus one parameter segment (`POST /items` and
    /// `GET /items/{id}`), its last word in either number (`POST /roles` and `GET /role/{id}`).
    pub item_route: bool,
}

/// The responses a handler's own code declares for it (NestJS `@ApiResponse({ status: 201 })`
/// and `@ApiNotFoundResponse()` on the method or its class): a contract written beside the
/// handler, which the analysis layer gives every route the handler serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredResponses {
    /// The declared keys, each once, in the order they are written.
    pub keys: Vec<DeclaredKey>,
    /// Where each key is written (the decorator, the schema's key, the utoipa entry), in the
    /// order of `keys`.
    pub key_ranges: Vec<ByteRange>,
    /// The first declaring decorator, where related information points.
    pub range: ByteRange,
    /// How the declaration is written, for messages: `@ApiResponse`.
    pub source: String,
    /// The edits that declare one more response in the contract's own idiom (a new
    /// `@ApiResponse(..)` line, a `schema.response` key, a utoipa entry); their texts hold
    /// `{code}` and `{description}`. Empty when the syntax sees no place for one.
    pub additions: Vec<Replacement>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_keys_are_default_classes_or_codes() {
        assert_eq!(DeclaredKey::parse("default"), Some(DeclaredKey::Default));
        assert_eq!(DeclaredKey::parse("4XX"), Some(DeclaredKey::Class(4)));
        assert_eq!(DeclaredKey::parse("5xx"), Some(DeclaredKey::Class(5)));
        assert_eq!(DeclaredKey::parse("201"), Some(DeclaredKey::Code(201)));
        assert_eq!(DeclaredKey::parse("6XX"), None);
        assert_eq!(DeclaredKey::parse("4XXX"), None);
        assert_eq!(DeclaredKey::parse("é"), None);
    }
}
