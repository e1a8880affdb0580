//! Small helpers over tree-sitter nodes shared by the extractors.

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::Node;

/// The text of a node; empty when the range is not valid UTF-8 boundaries (never for a tree of
/// this text).
pub fn text<'a>(node: Node<'_>, source: &'a str) -> &'a str {
    source.get(node.byte_range()).unwrap_or("")
}

/// The named children of a node, collected (tree-sitter's iterator borrows a cursor).
pub fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|child| !child.is_extra())
        .collect()
}

/// The nodes under `root` (not `root` itself) of one of `kinds` spelled `name`, in source order:
/// the uses of a name in a scope. Subtrees `skip` refuses are not looked into (a parameter list,
/// a path whose segments name other things), nor are the nodes found.
pub fn uses_of<'t>(
    root: Node<'t>,
    name: &str,
    source: &str,
    kinds: &[&str],
    skip: impl Fn(Node<'t>) -> bool,
) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut stack: Vec<Node<'t>> = named_children(root).into_iter().rev().collect();
    while let Some(node) = stack.pop() {
        if skip(node) {
            continue;
        }
        if kinds.contains(&node.kind()) && text(node, source) == name {
            found.push(node);
            continue;
        }
        stack.extend(named_children(node).into_iter().rev());
    }
    found
}

/// How long a node may be for the first question about a node under it to learn all of its
/// parent links at once ([`Parents::learn_around`]).
const LEARN_WHOLE_BYTES: usize = 8 * 1024;

/// How many levels of a long statement are learned one at a time before the rest is learned
/// whole: a wrapping function's body is a few levels down, and a statement nested thousands of
/// levels deep must not cost its depth for every question.
const SHALLOW_LEVELS: usize = 12;

/// Parent links of one tree's nodes, learned on demand and remembered.
///
/// tree-sitter answers `Node::parent` by descending from the root, so walking a node's
/// ancestors one `parent()` at a time costs depth × breadth, and in a file of a thousand
/// top-level statements most of that is the root's children. Here one descent records the
/// whole path, the root's children are found by binary search, and later walks over the same
/// path are map lookups.
pub struct Parents<'t> {
    root: Node<'t>,
    /// The root's children in source order, for the binary search.
    top: Vec<Node<'t>>,
    known: RefCell<HashMap<usize, Node<'t>>>,
    /// The nodes whose whole subtree is in `known`.
    learned: RefCell<std::collections::HashSet<usize>>,
    /// The long nodes whose children (not their descendants) are in `known`.
    shallow: RefCell<std::collections::HashSet<usize>>,
    /// The answers of [`Parents::nearest`], by question and node.
    nearest_known: RefCell<HashMap<(&'static str, usize), Option<Node<'t>>>>,
}

impl<'t> Parents<'t> {
    pub fn new(root: Node<'t>) -> Parents<'t> {
        let mut cursor = root.walk();
        let top = root.children(&mut cursor).collect();
        Parents {
            root,
            top,
            known: RefCell::new(HashMap::new()),
            learned: RefCell::new(std::collections::HashSet::new()),
            shallow: RefCell::new(std::collections::HashSet::new()),
            nearest_known: RefCell::new(HashMap::new()),
        }
    }

    /// The tree's root.
    pub fn root(&self) -> Node<'t> {
        self.root
    }

    /// The node's parent; `None` for the root (and for a node of another tree).
    pub fn parent(&self, node: impl std::borrow::Borrow<Node<'t>>) -> Option<Node<'t>> {
        let node = *node.borrow();
        if node.id() == self.root.id() {
            return None;
        }
        if let Some(parent) = self.known.borrow().get(&node.id()) {
            return Some(*parent);
        }
        let top = self.top_child_containing(node);
        if let Some(top) = top {
            self.learn_around(top, node);
            if let Some(parent) = self.known.borrow().get(&node.id()) {
                return Some(*parent);
            }
        }
        let mut known = self.known.borrow_mut();
        let mut current = self.root;
        let mut next = top;
        loop {
            let child = match next.take() {
                Some(child) => child,
                None => current.child_with_descendant(node)?,
            };
            known.insert(child.id(), current);
            if child.id() == node.id() {
                return Some(current);
            }
            current = child;
        }
    }

    /// Records the parent links around `node`, under `top` (a child of the root): the first
    /// question about a statement learns all of its links in one walk, since descending from
    /// the root for each new node would cost the node's depth every time, quadratic over a
    /// statement nested thousands of levels deep. A long statement (one function wrapping a
    /// whole module or test file) is learned one level at a time down to the part of it that
    /// holds `node`, so that a question about one of its inner statements does not walk them
    /// all (`chunks::nested` reads them one at a time).
    fn learn_around(&self, top: Node<'t>, node: Node<'t>) {
        self.known.borrow_mut().insert(top.id(), self.root);
        let mut unit = top;
        for level in 0.. {
            if self.learned.borrow().contains(&unit.id()) {
                return;
            }
            if unit.byte_range().len() <= LEARN_WHOLE_BYTES || level == SHALLOW_LEVELS {
                self.learned.borrow_mut().insert(unit.id());
                self.learn(unit);
                return;
            }
            if self.shallow.borrow_mut().insert(unit.id()) {
                let mut known = self.known.borrow_mut();
                let mut cursor = unit.walk();
                for child in unit.children(&mut cursor) {
                    known.insert(child.id(), unit);
                }
            }
            match unit.child_with_descendant(node) {
                Some(child) if child.id() != node.id() => unit = child,
                _ => return,
            }
        }
    }

    /// Records the parent of every node under `unit`.
    fn learn(&self, unit: Node<'t>) {
        let mut known = self.known.borrow_mut();
        let mut stack = vec![unit];
        let mut cursor = unit.walk();
        while let Some(node) = stack.pop() {
            for child in node.children(&mut cursor) {
                known.insert(child.id(), node);
                stack.push(child);
            }
        }
    }

    /// The next named sibling of a node. For the root's children it is looked up in the
    /// remembered list: tree-sitter walks the parent's children from the first each time, which
    /// is quadratic over a file of thousands of top-level items.
    pub fn next_named_sibling(&self, node: Node<'t>) -> Option<Node<'t>> {
        let at = self
            .top
            .partition_point(|child| child.start_byte() < node.start_byte());
        match self.top.get(at) {
            Some(child) if child.id() == node.id() => self.top[at + 1..]
                .iter()
                .find(|next| next.is_named())
                .copied(),
            _ => node.next_named_sibling(),
        }
    }

    /// The first of `node` and its ancestors for which `test` holds. The answer is remembered,
    /// under `question`, for every node the climb passed: many climbs along one deep path (every
    /// call of `a.b(c.d(e.f(…)))`) then cost the path's length once, not once per call. `test`
    /// must depend on the node alone, the same way for every use of `question`.
    pub fn nearest(
        &self,
        question: &'static str,
        node: Node<'t>,
        test: impl Fn(Node<'t>) -> bool,
    ) -> Option<Node<'t>> {
        let mut passed = Vec::new();
        let mut current = Some(node);
        let found = loop {
            let Some(here) = current else {
                break None;
            };
            if let Some(known) = self.nearest_known.borrow().get(&(question, here.id())) {
                break *known;
            }
            if test(here) {
                break Some(here);
            }
            passed.push(here.id());
            current = self.parent(here);
        };
        let mut known = self.nearest_known.borrow_mut();
        for id in passed {
            known.insert((question, id), found);
        }
        found
    }

    /// The ancestors of a node, nearest first.
    pub fn ancestors(
        &self,
        node: impl std::borrow::Borrow<Node<'t>>,
    ) -> impl Iterator<Item = Node<'t>> + '_ {
        std::iter::successors(self.parent(node), move |node| self.parent(*node))
    }

    /// The root's child that contains `node`, when the byte ranges make it unambiguous.
    fn top_child_containing(&self, node: Node<'t>) -> Option<Node<'t>> {
        let (start, end) = (node.start_byte(), node.end_byte());
        let at = self.top.partition_point(|child| child.end_byte() <= start);
        let candidate = *self.top.get(at)?;
        let contains = candidate.start_byte() <= start && end <= candidate.end_byte();
        // A zero-width neighbour could also contain an empty node: leave those to tree-sitter.
        let unique = start != end
            && self
                .top
                .get(at + 1)
                .is_none_or(|next| next.start_byte() >= end);
        (contains && unique && candidate.start_byte() < candidate.end_byte()).then_some(candidate)
    }
}

/// Unquotes a string literal's text (`'a'`, `"a"`, `` `a` ``); `None` when it is not one or when a
/// template has substitutions.
pub fn string_value(node: Node<'_>, source: &str) -> Option<String> {
    match node.kind() {
        "string" | "string_literal" | "raw_string_literal" => {
            let raw = text(node, source);
            let inner = raw
                .trim_start_matches('r')
                .trim_start_matches('#')
                .trim_end_matches('#');
            let inner = inner.get(1..inner.len().saturating_sub(1))?;
            Some(inner.to_string())
        }
        "template_string" => {
            if named_children(node)
                .iter()
                .any(|child| child.kind() == "template_substitution")
            {
                return None;
            }
            let raw = text(node, source);
            Some(raw.get(1..raw.len().saturating_sub(1))?.to_string())
        }
        _ => None,
    }
}

/// Parses an integer literal (`302`, `302u16`, `3_02`); `None` for anything else.
pub fn integer_value(node: Node<'_>, source: &str) -> Option<u32> {
    if !matches!(node.kind(), "number" | "integer_literal") {
        return None;
    }
    let raw = text(node, source);
    let end = raw
        .find(|ch: char| !(ch.is_ascii_digit() || ch == '_'))
        .unwrap_or(raw.len());
    let (number, rest) = raw.split_at(end);
    if rest.starts_with(['.', 'e', 'E', 'x', 'X', 'o', 'b', 'n']) {
        return None;
    }
    number.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_facts::Language;

    /// Every node's remembered ancestors are tree-sitter's own, in any order of asking.
    #[test]
    fn next_named_siblings_agree_with_tree_sitter() {
        let source =
            "#[a]\n// c\n#[b]\nfn f() { g(); h(); }\nstruct S;\nmod m { #[x] fn i() {} }\n";
        let tree = super::super::parse(Language::Rust, source).expect("tree");
        let parents = Parents::new(tree.root_node());
        let mut stack = vec![tree.root_node()];
        let mut checked = 0;
        while let Some(node) = stack.pop() {
            assert_eq!(
                parents.next_named_sibling(node).map(|n| n.id()),
                node.next_named_sibling().map(|n| n.id()),
                "{}",
                node.kind()
            );
            checked += 1;
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        assert!(checked > 20);
    }

    #[test]
    fn parents_agree_with_tree_sitter() {
        let source = "const a = 1;\n;;\nfunction f(x) { if (x) { return g(x, `t${x}`); } }\nclass C { m() { return 1 } }\nlet b = [1, , 2];\n";
        let tree = super::super::parse(Language::JavaScript, source).expect("tree");
        let parents = Parents::new(tree.root_node());
        let mut nodes = Vec::new();
        let mut cursor = tree.walk();
        loop {
            nodes.push(cursor.node());
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break;
                }
            }
            if cursor.node().id() == tree.root_node().id() {
                break;
            }
        }
        assert!(nodes.len() > 50);
        for node in nodes.iter().rev().chain(nodes.iter()) {
            let ours: Vec<usize> = parents.ancestors(*node).map(|n| n.id()).collect();
            let theirs: Vec<usize> = std::iter::successors(node.parent(), |n| n.parent())
                .map(|n| n.id())
                .collect();
            assert_eq!(ours, theirs, "{}", node.kind());
        }
    }
}
