//! A bound on how deep the extractors' recursive readings go, whatever the input's nesting.
//!
//! Tree-sitter builds trees of any depth without recursion, and a file nested twenty thousand
//! levels deep (`m!((((…))))`, `f(f(f(…)))`) is 40 KB of text. A reading that recursed once per
//! level would overflow the thread's stack, which aborts the process: the server with every
//! open document, or a whole `check` run. Walks that visit every node of a subtree iterate
//! instead ([`descendants`]); readings that follow an expression's structure (a body through its
//! wrappers, a condition through its operators, a header through its tuples) take a
//! [`Nesting`] guard on entry and, past [`MAX_NESTING`] levels of all of them together, give up
//! as they do on a shape they do not know: what they return then claims nothing.

use std::cell::Cell;

use tree_sitter::Node;

/// How many structural readings may be under way at once on one thread. Real handler code nests
/// a response a handful of levels (`Ok((StatusCode::FOUND, Json(json!({..}))))`); debug builds
/// spend a few kilobytes of stack per level.
pub const MAX_NESTING: usize = 64;

thread_local! {
    static NESTING: Cell<usize> = const { Cell::new(0) };
}

/// One level of structural reading, held for as long as the reading of that level lasts.
#[must_use]
pub struct Nesting(());

impl Nesting {
    /// Enters one more level; `None` past [`MAX_NESTING`], when the caller must not recurse.
    pub fn enter() -> Option<Nesting> {
        NESTING.with(|depth| {
            let now = depth.get();
            (now < MAX_NESTING).then(|| {
                depth.set(now + 1);
                Nesting(())
            })
        })
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        NESTING.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// Every node under `node` (not `node` itself) in source order, each before its children,
/// without recursion. `descend` says whether to look inside a node: a node it refuses is listed,
/// its children are not.
pub fn descendants<'t>(node: Node<'t>, descend: impl Fn(Node<'t>) -> bool) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return found;
    }
    loop {
        let current = cursor.node();
        found.push(current);
        if descend(current) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() || cursor.node().id() == node.id() {
                return found;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_facts::Language;

    #[test]
    fn nesting_is_bounded_and_released() {
        fn dive(levels: usize) -> usize {
            match Nesting::enter() {
                Some(_level) if levels > 0 => 1 + dive(levels - 1),
                Some(_) => 1,
                None => 0,
            }
        }
        assert_eq!(dive(10), 11);
        assert_eq!(dive(10_000), MAX_NESTING);
        // Every guard was dropped: the next reading starts from the top again.
        assert_eq!(dive(10), 11);
    }

    /// The same nodes, in the same order, as a recursive walk over the children.
    #[test]
    fn descendants_are_a_preorder_walk() {
        fn recursive<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>, skip: &str) {
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                out.push(child);
                if child.kind() != skip {
                    recursive(child, out, skip);
                }
            }
        }
        let source = "fn f() { g(1, (2, 3)); let x = [a, b]; m!(a (b [c]) d); }\nstruct S;";
        let tree = crate::parse(Language::Rust, source).expect("tree");
        for skip in ["", "arguments", "token_tree", "function_item"] {
            for node in [tree.root_node(), tree.root_node().child(0).expect("item")] {
                let mut expected = Vec::new();
                recursive(node, &mut expected, skip);
                let ours = descendants(node, |n| n.kind() != skip);
                let ids = |nodes: &[Node<'_>]| nodes.iter().map(|n| n.id()).collect::<Vec<_>>();
                assert_eq!(ids(&ours), ids(&expected), "skipping {skip:?}");
            }
        }
        let leaf = tree
            .root_node()
            .descendant_for_byte_range(11, 12)
            .expect("a leaf");
        assert!(descendants(leaf, |_| true).is_empty());
    }
}
