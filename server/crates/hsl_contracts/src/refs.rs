//! `$ref` inside one document: JSON pointers (`#/components/responses/NotFound`) resolved on
//! the tree, chains followed, cycles and dead ends reported rather than followed forever.
//!
//! A reference to another document (`common.yaml#/NotFound`, a URL) is not read: the caller
//! decides what that means for what it was reading.

use std::collections::HashMap;

use crate::model::Position;
use crate::tree::{NodeId, Tree};

/// A chain of references longer than this is reported as too long (a cycle is found earlier).
const MAX_HOPS: usize = 32;

/// Where following the `$ref`s of a node ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Followed {
    /// A node that is not a reference: the node itself when it had no `$ref`.
    Node(NodeId),
    /// A reference to another document; `at` is the `$ref` value.
    External { at: Position, reference: String },
    /// A reference that leads nowhere, or in a circle, with the message a user reads.
    Broken { at: Position, message: String },
}

/// Follows references in one tree, remembering each pointer it has resolved, so that a
/// document whose thousands of operations name the same few responses is read in linear time.
pub(crate) struct Resolver<'tree, 'text> {
    tree: &'tree Tree<'text>,
    resolved: HashMap<String, Result<NodeId, String>>,
}

impl<'tree, 'text> Resolver<'tree, 'text> {
    pub(crate) fn new(tree: &'tree Tree<'text>) -> Self {
        Resolver {
            tree,
            resolved: HashMap::new(),
        }
    }

    /// Follows `node`'s `$ref` (if it is a mapping with one), then its target's, until a node
    /// without one.
    pub(crate) fn follow(&mut self, node: NodeId) -> Followed {
        let mut current = node;
        let mut seen: Vec<NodeId> = Vec::new();
        for _ in 0..MAX_HOPS {
            let Some(reference) = self.reference_of(current) else {
                return Followed::Node(current);
            };
            let at = self.tree.position(reference);
            let Some(text) = self.tree.scalar(reference) else {
                let message = "`$ref` is not a string".to_string();
                return Followed::Broken { at, message };
            };
            if seen.contains(&reference) {
                let message = format!("`$ref: {text}` leads back to itself");
                return Followed::Broken { at, message };
            }
            seen.push(reference);
            let Some(fragment) = text.strip_prefix('#') else {
                let reference = text.to_string();
                return Followed::External { at, reference };
            };
            match self.resolve(text, fragment) {
                Ok(target) => current = target,
                Err(message) => return Followed::Broken { at, message },
            }
        }
        let at = self.tree.position(node);
        let message = format!("more than {MAX_HOPS} `$ref`s in a chain");
        Followed::Broken { at, message }
    }

    fn reference_of(&self, node: NodeId) -> Option<NodeId> {
        if !self.tree.is_mapping(node) {
            return None;
        }
        self.tree.get(node, "$ref")
    }

    fn resolve(&mut self, text: &str, fragment: &str) -> Result<NodeId, String> {
        if let Some(known) = self.resolved.get(text) {
            return known.clone();
        }
        let result = self.walk(text, fragment);
        self.resolved.insert(text.to_string(), result.clone());
        result
    }

    fn walk(&self, text: &str, fragment: &str) -> Result<NodeId, String> {
        let decoded = percent_decode(fragment);
        if decoded.is_empty() {
            return Ok(self.tree.root());
        }
        let Some(pointer) = decoded.strip_prefix('/') else {
            return Err(format!("`$ref: {text}` is not a JSON pointer (`#/…`)"));
        };
        let mut node = self.tree.root();
        let mut walked = String::from("#");
        for token in pointer.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            let Some(next) = self.step(node, &token) else {
                return Err(format!(
                    "`$ref: {text}` points nowhere: `{walked}` has no `{token}`"
                ));
            };
            walked.push('/');
            walked.push_str(&token);
            node = next;
        }
        Ok(node)
    }

    /// One pointer token: a key of a mapping or an index of a sequence.
    fn step(&self, node: NodeId, token: &str) -> Option<NodeId> {
        if let Some(items) = self.tree.items(node) {
            let index: usize = token.parse().ok()?;
            return items.get(index).copied();
        }
        self.tree.get(node, token)
    }
}

/// Decodes `%XX` escapes of a URI fragment (`#/paths/~1users~1%7Bid%7D`); a malformed escape
/// stays as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let escaped = match (byte, bytes.get(index + 1), bytes.get(index + 2)) {
            (b'%', Some(&high), Some(&low)) => hex(high).zip(hex(low)),
            _ => None,
        };
        match escaped {
            Some((high, low)) => {
                out.push(high * 16 + low);
                index += 3;
            }
            None => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::parse;

    const DOCUMENT: &str = r#"
paths:
  /users/{id}:
    get:
      responses:
        '404': {$ref: '#/components/responses/Missing'}
        '410': {$ref: '#/components/responses/Gone'}
        '500': {$ref: '#/components/responses/Loop'}
        '502': {$ref: 'shared.yaml#/Bad'}
        '503': {$ref: '#/paths/~1users~1%7Bid%7D/get/responses/404'}
        '504': {$ref: '#/list/1'}
        '505': {$ref: [a]}
components:
  responses:
    Missing: {description: no such user}
    Loop: {$ref: '#/components/responses/Loop'}
list: [a, {description: second}]
"#;

    fn response(tree: &Tree<'_>, code: &str) -> NodeId {
        let paths = tree.get(tree.root(), "paths").unwrap();
        let item = tree.get(paths, "/users/{id}").unwrap();
        let get = tree.get(item, "get").unwrap();
        let responses = tree.get(get, "responses").unwrap();
        tree.get(responses, code).unwrap()
    }

    fn described(tree: &Tree<'_>, followed: Followed) -> String {
        let Followed::Node(node) = followed else {
            panic!("{followed:?}");
        };
        let description = tree.get(node, "description").unwrap();
        tree.scalar(description).unwrap().to_string()
    }

    #[test]
    fn a_local_pointer_resolves_to_its_target() {
        let tree = parse(DOCUMENT).unwrap();
        let mut resolver = Resolver::new(&tree);
        let followed = resolver.follow(response(&tree, "404"));
        assert_eq!(described(&tree, followed), "no such user");
    }

    #[test]
    fn a_chain_through_an_escaped_pointer_is_followed() {
        let tree = parse(DOCUMENT).unwrap();
        let mut resolver = Resolver::new(&tree);
        let followed = resolver.follow(response(&tree, "503"));
        assert_eq!(described(&tree, followed), "no such user");
        let followed = resolver.follow(response(&tree, "504"));
        assert_eq!(described(&tree, followed), "second");
    }

    #[test]
    fn a_pointer_to_nothing_says_where_it_stopped_and_where_it_is() {
        let tree = parse(DOCUMENT).unwrap();
        let mut resolver = Resolver::new(&tree);
        let Followed::Broken { at, message } = resolver.follow(response(&tree, "410")) else {
            panic!("not broken");
        };
        assert_eq!(
            at,
            Position {
                line: 7,
                column: 23
            }
        );
        assert_eq!(
            message,
            "`$ref: #/components/responses/Gone` points nowhere: `#/components/responses` has no `Gone`"
        );
    }

    #[test]
    fn a_cycle_is_reported_not_followed() {
        let tree = parse(DOCUMENT).unwrap();
        let mut resolver = Resolver::new(&tree);
        let followed = resolver.follow(response(&tree, "500"));
        assert!(
            matches!(&followed, Followed::Broken { message, .. } if message.contains("back to itself")),
            "{followed:?}"
        );
    }

    #[test]
    fn another_document_is_not_read() {
        let tree = parse(DOCUMENT).unwrap();
        let mut resolver = Resolver::new(&tree);
        let followed = resolver.follow(response(&tree, "502"));
        assert!(
            matches!(&followed, Followed::External { reference, .. } if reference == "shared.yaml#/Bad"),
            "{followed:?}"
        );
    }

    #[test]
    fn a_ref_that_is_not_a_string_is_broken() {
        let tree = parse(DOCUMENT).unwrap();
        let mut resolver = Resolver::new(&tree);
        let followed = resolver.follow(response(&tree, "505"));
        assert!(matches!(followed, Followed::Broken { .. }), "{followed:?}");
    }

    #[test]
    fn a_node_without_ref_is_itself() {
        let tree = parse(DOCUMENT).unwrap();
        let mut resolver = Resolver::new(&tree);
        assert_eq!(resolver.follow(tree.root()), Followed::Node(tree.root()));
    }

    #[test]
    fn percent_escapes_decode_and_bad_ones_stay() {
        assert_eq!(percent_decode("/a%7Bid%7D"), "/a{id}");
        assert_eq!(percent_decode("/a%zz%4"), "/a%zz%4");
        assert_eq!(percent_decode("/caf%C3%A9"), "/café");
    }
}
