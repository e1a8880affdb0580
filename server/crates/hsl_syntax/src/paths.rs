//! Whether two places in a function lie on paths that exclude each other: the two branches of
//! an `if`, two arms of a `match`, two cases of a `switch` the first of which does not fall
//! through. A response's headers are complete per path: what happens to the response object on
//! another branch (handed to a helper, given a header) cannot add a header to it.

use tree_sitter::Node;

use crate::node_util::{Parents, named_children};

/// How a language writes branches that exclude each other.
pub(crate) struct Branching {
    /// A node with two branches in two fields (`if_statement`: `consequence`, `alternative`).
    pub two_way: &'static [(&'static str, &'static str, &'static str)],
    /// A list whose children of the given kinds are alternatives (`match_block` of
    /// `match_arm`s, `switch_body` of `switch_case`s).
    pub arm_lists: &'static [(&'static str, &'static [&'static str])],
    /// Statements that end an arm; when non-empty an arm that does not end with one falls
    /// through into the next (`switch`), so it excludes nothing after it.
    pub jumps: &'static [&'static str],
    /// Blocks (`statement_block`) and the statements that leave the function from their end
    /// (`return_statement`, `throw_statement`; the expression inside a statement counts too):
    /// what follows such a block is on another path than the block's inside.
    pub blocks: &'static [&'static str],
    pub exits: &'static [&'static str],
    /// Functions and closures: a `return` leaves only the nearest one.
    pub functions: &'static [&'static str],
}

/// Whether `a` and `b` are on paths of which at most one runs.
pub(crate) fn exclusive<'t>(
    parents: &Parents<'t>,
    branching: &Branching,
    a: Node<'t>,
    b: Node<'t>,
) -> bool {
    let chain_a: Vec<Node<'t>> = std::iter::once(a).chain(parents.ancestors(a)).collect();
    if returns_before(branching, &chain_a, b) {
        return true;
    }
    let chain_b: Vec<Node<'t>> = std::iter::once(b).chain(parents.ancestors(b)).collect();
    if returns_before(branching, &chain_b, a) {
        return true;
    }
    let mut below_b = b;
    for ancestor in std::iter::once(b).chain(parents.ancestors(b)) {
        if let Some(at) = chain_a.iter().position(|node| node.id() == ancestor.id()) {
            let (Some(index), true) = (at.checked_sub(1), ancestor.id() != b.id()) else {
                return false;
            };
            let Some(below_a) = chain_a.get(index) else {
                return false;
            };
            return splits(branching, ancestor, *below_a, below_b);
        }
        below_b = ancestor;
    }
    false
}

/// Whether `common`, the nearest node holding both places, sends them down different branches
/// through its children `x` and `y`.
fn splits(branching: &Branching, common: Node<'_>, x: Node<'_>, y: Node<'_>) -> bool {
    if x.id() == y.id() {
        return false;
    }
    let field_is = |field: &str, node: Node<'_>| {
        common
            .child_by_field_name(field)
            .is_some_and(|child| child.id() == node.id())
    };
    for (kind, one, other) in branching.two_way {
        if common.kind() == *kind {
            return (field_is(one, x) && field_is(other, y))
                || (field_is(other, x) && field_is(one, y));
        }
    }
    for (kind, arms) in branching.arm_lists {
        if common.kind() != *kind || !arms.contains(&x.kind()) || !arms.contains(&y.kind()) {
            continue;
        }
        if branching.jumps.is_empty() {
            return true;
        }
        let earlier = if x.start_byte() < y.start_byte() {
            x
        } else {
            y
        };
        return named_children(earlier)
            .last()
            .is_some_and(|last| branching.jumps.contains(&last.kind()));
    }
    false
}

/// Whether one place (whose ancestors, itself first, are `chain`) is inside a block that leaves
/// the function at its end, and `other` comes after that block, outside it.
fn returns_before(branching: &Branching, chain: &[Node<'_>], other: Node<'_>) -> bool {
    // Blocks inside the nearest function, not its body.
    let inside: Vec<&Node<'_>> = chain
        .iter()
        .skip(1)
        .take_while(|node| !branching.functions.contains(&node.kind()))
        .collect();
    let Some((_, blocks)) = inside.split_last() else {
        return false;
    };
    blocks.iter().any(|block| {
        branching.blocks.contains(&block.kind())
            && other.start_byte() >= block.end_byte()
            && ends_with_exit(branching, **block)
    })
}

/// Whether a block's last statement leaves the function.
fn ends_with_exit(branching: &Branching, block: Node<'_>) -> bool {
    let Some(last) = named_children(block).last().copied() else {
        return false;
    };
    branching.exits.contains(&last.kind())
        || named_children(last)
            .first()
            .is_some_and(|inner| branching.exits.contains(&inner.kind()))
}
