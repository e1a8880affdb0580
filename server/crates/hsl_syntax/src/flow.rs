//! Where a status site sits in its handler's control flow, climbed once for every language: the
//! conditionals on the way from the site to its handler (with the side taken), the early-return
//! guards before it in each enclosing block, and the failure handler around it. A language says
//! which nodes branch and hold statements ([`ControlFlow`]), how a test becomes a condition, and
//! what its own constructs add (a `catch`, a `match` arm).

use tree_sitter::Node;

use crate::node_util::{Parents, named_children};
use hsl_facts::{ByteRange, Condition, Context, Failure};

/// A language's control flow as [`context_of`] reads it.
pub(crate) trait ControlFlow<'t> {
    /// Conditionals whose `condition` field holds the test and whose `alternative` field the
    /// side taken when it fails (`if`, a ternary).
    fn branch_kinds(&self) -> &'static [&'static str];

    /// Nodes whose children are statements run in order: an earlier statement that leaves when
    /// its test holds (an early-return guard) conditions the statements after it.
    fn block_kinds(&self) -> &'static [&'static str];

    /// What a conditional the site is inside adds: its test, on the `negated` side when the
    /// site is in the `alternative`; `child` is the conditional's child on the way to the site.
    fn branch(&self, flow: &mut Flow, condition: Node<'t>, negated: bool, child: Node<'t>);

    /// The condition an earlier statement of a block adds when it is an early-return guard.
    fn guard(&self, statement: Node<'t>) -> Option<Condition>;

    /// What any other ancestor adds (a `catch` clause, a `match` arm, a `let … else`).
    fn other(&self, flow: &mut Flow, ancestor: Node<'t>, child: Node<'t>);

    /// What the handler itself adds when it is a failure handler (a promise's `.catch(..)`
    /// callback that returns a `Response` is read as a handler of its own): the site is on
    /// that failure's path. None by default.
    fn handler_itself(&self, _flow: &mut Flow, _handler: Node<'t>) {}
}

/// A context being gathered, innermost first.
#[derive(Default)]
pub(crate) struct Flow {
    context: Context,
    /// The conditions met so far, innermost first.
    conditions: Vec<Condition>,
}

impl Flow {
    /// Adds the next condition outwards.
    pub fn condition(&mut self, condition: Condition) {
        self.conditions.push(condition);
    }

    /// The site is inside a `catch` (or a promise's `.catch(..)` callback); `failure` is the
    /// handler, kept when it is the innermost.
    pub fn in_catch(&mut self, failure: impl FnOnce() -> Failure) {
        self.context.in_catch = true;
        self.context.failure.get_or_insert_with(failure);
    }

    /// The site is on an error path (an `Err` arm, `if let Err`, `let Ok(..) else`,
    /// `.map_err(..)`); `failure` is its handler, kept when it is the innermost.
    pub fn in_err_arm(&mut self, failure: impl FnOnce() -> Failure) {
        self.context.in_err_arm = true;
        self.context.failure.get_or_insert_with(failure);
    }
}

/// Where the site `node` sits in the control flow of its handler (whose range is `handler`; the
/// whole file when `None`).
pub(crate) fn context_of<'t>(
    language: &impl ControlFlow<'t>,
    parents: &Parents<'t>,
    node: Node<'t>,
    handler: Option<ByteRange>,
) -> Context {
    let mut flow = Flow::default();
    let mut child = node;
    for ancestor in parents.ancestors(node) {
        if handler
            .as_ref()
            .is_some_and(|range| ancestor.byte_range() == *range)
        {
            language.handler_itself(&mut flow, ancestor);
            break;
        }
        let kind = ancestor.kind();
        if language.branch_kinds().contains(&kind) {
            branch(language, &mut flow, ancestor, child);
        } else if language.block_kinds().contains(&kind) {
            guards_before(language, &mut flow, ancestor, child);
        } else {
            language.other(&mut flow, ancestor, child);
        }
        child = ancestor;
    }
    flow.conditions.reverse();
    flow.context.branch_conditions = flow.conditions;
    flow.context
}

/// The test of a conditional whose branch (not whose test) holds `child`.
fn branch<'t>(language: &impl ControlFlow<'t>, flow: &mut Flow, branch: Node<'t>, child: Node<'t>) {
    let Some(condition) = branch.child_by_field_name("condition") else {
        return;
    };
    if condition.id() == child.id() {
        return;
    }
    let negated = branch
        .child_by_field_name("alternative")
        .is_some_and(|alternative| alternative.id() == child.id());
    language.branch(flow, condition, negated, child);
}

/// The early-return guards among the statements of `block` before `child`, in source order.
fn guards_before<'t>(
    language: &impl ControlFlow<'t>,
    flow: &mut Flow,
    block: Node<'t>,
    child: Node<'t>,
) {
    let mut guards: Vec<Condition> = named_children(block)
        .into_iter()
        .take_while(|sibling| sibling.end_byte() <= child.start_byte())
        .filter_map(|sibling| language.guard(sibling))
        .collect();
    // Innermost first: the guard nearest the site comes first.
    guards.reverse();
    flow.conditions.extend(guards);
}
