//! A YAML or JSON document as a compact tree with a position on every node.
//!
//! Built from the events of `saphyr-parser` (JSON is read as YAML 1.2, of which it is a
//! subset), with an explicit stack, so nesting depth costs heap, never the call stack (the
//! parser itself refuses nesting past a few hundred levels, with a position). Nodes
//! live in one vector; a plain or single-line scalar borrows its text from the document. An
//! alias is a node that points at its anchor's node, never a copy of it, so a document of
//! aliases of aliases ("billion laughs") stays the size of its text. Only the first document of
//! a stream is read.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};

use crate::model::Position;

/// Index of a node in its tree.
pub(crate) type NodeId = usize;

/// Merge keys (`<<: *base`) are followed this many levels deep, then ignored.
const MERGE_DEPTH: usize = 16;

/// A parsed document.
pub(crate) struct Tree<'text> {
    nodes: Vec<Node<'text>>,
    root: NodeId,
    /// Entries and items looked at so far. Aliases and merge keys let a small text make a
    /// reader look at the same large part again and again; the reader stops when this grows
    /// past a multiple of the node count, so reading stays linear in the document.
    work: Cell<u64>,
}

struct Node<'text> {
    value: Value<'text>,
    at: Position,
}

/// What a node holds.
pub(crate) enum Value<'text> {
    /// A scalar's text; `plain` when it was not quoted and not a block scalar (so `200` and
    /// `true` may be read as a number or a boolean).
    Scalar {
        text: Cow<'text, str>,
        plain: bool,
    },
    /// Key and value nodes, in document order.
    Mapping(Vec<(NodeId, NodeId)>),
    Sequence(Vec<NodeId>),
    /// `*name`: the node its anchor names.
    Alias(NodeId),
}

/// Text that is not YAML (or not JSON), with the parser's message and position.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub at: Position,
    pub message: String,
}

/// Parses the first document of `text`. An empty stream is a tree with one empty scalar.
pub(crate) fn parse(text: &str) -> Result<Tree<'_>, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(pair) => pair,
            Err(error) => {
                let message = error.info().to_string();
                let at = position(error.marker());
                return Err(SyntaxError { at, message });
            }
        };
        let at = position(&span.start);
        match event {
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                builder.add(Value::Scalar { text, plain }, at, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                builder.open(Value::Sequence(Vec::new()), at, anchor)
            }
            Event::MappingStart(anchor, _) => builder.open(Value::Mapping(Vec::new()), at, anchor),
            Event::SequenceEnd | Event::MappingEnd => builder.close(),
            Event::Alias(anchor) => {
                let Some(&target) = builder.anchors.get(&anchor) else {
                    let message = "an alias names no anchor defined before it".to_string();
                    return Err(SyntaxError { at, message });
                };
                builder.add(Value::Alias(target), at, 0);
            }
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => {}
        }
    }
    Ok(builder.finish())
}

fn position(marker: &Marker) -> Position {
    let line = u32::try_from(marker.line()).unwrap_or(u32::MAX);
    let column = u32::try_from(marker.col().saturating_add(1)).unwrap_or(u32::MAX);
    Position { line, column }
}

/// The entries of a mapping with merge keys, gathered once per look.
#[derive(Default)]
struct Merged {
    entries: Vec<(NodeId, NodeId)>,
    keys: HashSet<String>,
    visited: HashSet<NodeId>,
}

#[derive(Default)]
struct Builder<'text> {
    nodes: Vec<Node<'text>>,
    /// Open collections, innermost last, each with the key that waits for its value.
    stack: Vec<(NodeId, Option<NodeId>)>,
    anchors: HashMap<usize, NodeId>,
    root: Option<NodeId>,
}

impl<'text> Builder<'text> {
    fn add(&mut self, value: Value<'text>, at: Position, anchor: usize) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node { value, at });
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        self.attach(id);
        id
    }

    fn open(&mut self, value: Value<'text>, at: Position, anchor: usize) {
        let id = self.add(value, at, anchor);
        self.stack.push((id, None));
    }

    fn close(&mut self) {
        self.stack.pop();
    }

    fn attach(&mut self, id: NodeId) {
        let Some((parent, pending_key)) = self.stack.last_mut() else {
            self.root.get_or_insert(id);
            return;
        };
        match &mut self.nodes[*parent].value {
            Value::Sequence(items) => items.push(id),
            Value::Mapping(entries) => match pending_key.take() {
                Some(key) => entries.push((key, id)),
                None => *pending_key = Some(id),
            },
            Value::Scalar { .. } | Value::Alias(_) => {}
        }
    }

    fn finish(mut self) -> Tree<'text> {
        let root = match self.root {
            Some(root) => root,
            None => {
                let empty = Value::Scalar {
                    text: Cow::Borrowed(""),
                    plain: true,
                };
                self.nodes.push(Node {
                    value: empty,
                    at: Position::START,
                });
                self.nodes.len() - 1
            }
        };
        Tree {
            nodes: self.nodes,
            root,
            work: Cell::new(0),
        }
    }
}

impl<'text> Tree<'text> {
    /// The document's top node.
    pub(crate) fn root(&self) -> NodeId {
        self.root
    }

    /// Where the node is written (for an alias: where the alias is, not its anchor).
    pub(crate) fn position(&self, id: NodeId) -> Position {
        self.nodes.get(id).map_or(Position::START, |node| node.at)
    }

    /// What the node holds, through an alias.
    pub(crate) fn value(&self, id: NodeId) -> Option<&Value<'text>> {
        match &self.nodes.get(id)?.value {
            Value::Alias(target) => self.nodes.get(*target).map(|node| &node.value),
            value => Some(value),
        }
    }

    /// A scalar's text, through an alias.
    pub(crate) fn scalar(&self, id: NodeId) -> Option<&str> {
        match self.value(id)? {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Whether the node is a mapping, through an alias.
    pub(crate) fn is_mapping(&self, id: NodeId) -> bool {
        matches!(self.value(id), Some(Value::Mapping(_)))
    }

    /// A sequence's items, through an alias.
    pub(crate) fn items(&self, id: NodeId) -> Option<&[NodeId]> {
        match self.value(id)? {
            Value::Sequence(items) => {
                self.charge(items.len());
                Some(items)
            }
            _ => None,
        }
    }

    /// A mapping's entries, with those of its merge keys (`<<: *base`) after its own and
    /// without the keys it already has. Each merged mapping counts once, however often it is
    /// named, and merges nest [`MERGE_DEPTH`] levels at most.
    pub(crate) fn entries(&self, id: NodeId) -> Option<Cow<'_, [(NodeId, NodeId)]>> {
        let Value::Mapping(own) = self.value(id)? else {
            return None;
        };
        self.charge(own.len());
        if !own.iter().any(|(key, _)| self.is_merge_key(*key)) {
            return Some(Cow::Borrowed(own));
        }
        let mut merged = Merged::default();
        merged.visited.insert(self.target(id));
        self.merge_mapping(&mut merged, own, 0);
        Some(Cow::Owned(merged.entries))
    }

    /// The value of `key` in a mapping.
    pub(crate) fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entry(id, key).map(|(_, value)| value)
    }

    /// The key and value nodes of `key` in a mapping.
    pub(crate) fn entry(&self, id: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
        let entries = self.entries(id)?;
        entries
            .iter()
            .copied()
            .find(|(k, _)| self.scalar(*k) == Some(key))
    }

    /// How many entries and items have been looked at so far.
    pub(crate) fn work(&self) -> u64 {
        self.work.get()
    }

    /// Counts work done outside the tree's own walks (what a reader builds from it).
    pub(crate) fn charge(&self, amount: usize) {
        let amount = u64::try_from(amount).unwrap_or(u64::MAX);
        self.work.set(self.work.get().saturating_add(amount));
    }

    /// The node an alias names, or the node itself.
    fn target(&self, id: NodeId) -> NodeId {
        match self.nodes.get(id).map(|node| &node.value) {
            Some(Value::Alias(target)) => *target,
            _ => id,
        }
    }

    /// Adds a mapping's own entries whose keys are new, then those of its merge sources.
    fn merge_mapping(&self, merged: &mut Merged, own: &[(NodeId, NodeId)], depth: usize) {
        let mut sources = Vec::new();
        for &(key, value) in own {
            if self.is_merge_key(key) {
                sources.push(value);
                continue;
            }
            let text = self.scalar(key).unwrap_or_default().to_string();
            if merged.keys.insert(text) {
                merged.entries.push((key, value));
            }
        }
        if depth >= MERGE_DEPTH {
            return;
        }
        for source in sources {
            let listed = self.items(source).map(<[NodeId]>::to_vec);
            for source in listed.unwrap_or_else(|| vec![source]) {
                if !merged.visited.insert(self.target(source)) {
                    continue;
                }
                if let Some(Value::Mapping(entries)) = self.value(source) {
                    self.charge(entries.len());
                    self.merge_mapping(merged, entries, depth + 1);
                }
            }
        }
    }

    fn is_merge_key(&self, key: NodeId) -> bool {
        matches!(self.value(key), Some(Value::Scalar { text, plain: true }) if text == "<<")
    }

    /// The node count: what the text holds, and the measure of a reader's budget.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node as JSON, as a YAML 1.2 core-schema reader types plain scalars: for tests that
    /// compare a written document with the JSON schema it must follow.
    #[cfg(test)]
    pub(crate) fn to_json(&self, id: NodeId) -> serde_json::Value {
        use serde_json::Value as Json;
        match self.value(id) {
            Some(Value::Scalar { text, plain: true }) => match text.as_ref() {
                "true" => Json::Bool(true),
                "false" => Json::Bool(false),
                "null" | "~" | "" => Json::Null,
                other => serde_json::from_str::<serde_json::Number>(other)
                    .map_or_else(|_| Json::String(other.to_string()), Json::Number),
            },
            Some(Value::Scalar { text, plain: false }) => Json::String(text.to_string()),
            Some(Value::Sequence(items)) => {
                Json::Array(items.iter().map(|item| self.to_json(*item)).collect())
            }
            Some(Value::Mapping(_)) => {
                let entries = self.entries(id).unwrap_or_default();
                let object = entries.iter().map(|(key, value)| {
                    let key = self.scalar(*key).unwrap_or_default().to_string();
                    (key, self.to_json(*value))
                });
                Json::Object(object.collect())
            }
            Some(Value::Alias(_)) | None => Json::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    #[test]
    fn every_node_has_its_line_and_column() {
        let tree = parse("paths:\n  /users:\n    get: {}\n").unwrap();
        let paths = tree.get(tree.root(), "paths").unwrap();
        let (key, item) = tree.entry(paths, "/users").unwrap();
        assert_eq!(tree.position(key), at(2, 3));
        let (get, _) = tree.entry(item, "get").unwrap();
        assert_eq!(tree.position(get), at(3, 5));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let tree = parse("é: 1\nkey: [\"ü\", x]\n").unwrap();
        let list = tree.get(tree.root(), "key").unwrap();
        let items = tree.items(list).unwrap();
        assert_eq!(tree.position(items[1]), at(2, 12));
    }

    #[test]
    fn json_reads_as_yaml_tabs_included() {
        let text = "{\n\t\"paths\": {\n\t\t\"/a\": {\"get\": {}}\n\t}\n}\n";
        let tree = parse(text).unwrap();
        let paths = tree.get(tree.root(), "paths").unwrap();
        let (key, _) = tree.entry(paths, "/a").unwrap();
        assert_eq!(tree.position(key), at(3, 3));
    }

    #[test]
    fn invalid_yaml_is_an_error_with_its_position() {
        let error = parse("a: b\n c: d\n").err().unwrap();
        assert_eq!(error.at, at(2, 3));
        assert!(
            error.message.contains("mapping values"),
            "{}",
            error.message
        );
    }

    #[test]
    fn an_alias_points_at_its_anchor_without_copying_it() {
        let text = "a: &x {k: 1}\nb: *x\nc: [*x, *x, *x]\n";
        let tree = parse(text).unwrap();
        let b = tree.get(tree.root(), "b").unwrap();
        assert_eq!(tree.get(b, "k").and_then(|k| tree.scalar(k)), Some("1"));
        assert_eq!(tree.position(b), at(2, 4));
        assert_eq!(tree.len(), 12);
    }

    #[test]
    fn aliases_of_aliases_stay_the_size_of_the_text() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..20 {
            let previous = level - 1;
            let refs = vec![format!("*a{previous}"); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let tree = parse(&text).unwrap();
        assert!(tree.len() < 500, "{} nodes", tree.len());
    }

    #[test]
    fn merge_keys_add_the_entries_a_mapping_lacks() {
        let text = "base: &b {'404': {}, '500': {}}\nresponses:\n  <<: *b\n  '404': {description: mine}\n  '200': {}\n";
        let tree = parse(text).unwrap();
        let responses = tree.get(tree.root(), "responses").unwrap();
        let keys: Vec<&str> = tree
            .entries(responses)
            .unwrap()
            .iter()
            .filter_map(|(key, _)| tree.scalar(*key))
            .collect();
        assert_eq!(keys, ["404", "200", "500"]);
        let mine = tree.get(responses, "404").unwrap();
        assert!(tree.get(mine, "description").is_some());
    }

    #[test]
    fn only_the_first_document_of_a_stream_is_read() {
        let tree = parse("---\na: 1\n---\nb: 2\n").unwrap();
        assert!(tree.get(tree.root(), "a").is_some());
        assert!(tree.get(tree.root(), "b").is_none());
    }

    #[test]
    fn an_empty_text_is_one_empty_scalar() {
        let tree = parse("").unwrap();
        assert_eq!(tree.scalar(tree.root()), Some(""));
    }

    #[test]
    fn deep_nesting_is_read_up_to_the_parser_limit_then_refused_with_a_position() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let text = nested(200);
        let tree = parse(&text).unwrap();
        assert_eq!(tree.len(), 200);
        let error = parse(&nested(100_000)).err().unwrap();
        assert_eq!(error.at.line, 1);
        assert!(error.message.contains("recursion"), "{}", error.message);
    }
}
