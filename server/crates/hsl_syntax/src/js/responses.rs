//! Responses from steps: the statements of a block on one response object grouped until a call
//! finishes it, with the status that is sent, its headers, body, handler and context.

use tree_sitter::Node;

use super::contexts::context_of;
use super::effects::keep_earlier_statuses;
use super::{Effect, Extractor, FUNCTION_KINDS, HandlerAnchor, ResponseStep};
use crate::node_util::{Parents, named_children};
use hsl_facts::{
    Body, ByteRange, HandlerId, HeaderFact, Insertion, Replacement, Response, SiteRole, Spelling,
    StatusSite,
};

/// Every step of a statement, grouped into responses, with what the grouping says.
pub(super) struct StepIndex<'t> {
    pub steps: Vec<ResponseStep<'t>>,
    /// The groups of steps on one response, in order: indices of `steps`.
    pub groups: Vec<Vec<usize>>,
    /// The group each step belongs to.
    pub group_of: Vec<usize>,
    /// Whether each group's response is finished ([`group_finishes`]).
    pub finished: Vec<bool>,
    /// Indices of `steps` in source order, so a handler's steps are found by binary search
    /// rather than by scanning every step of the file for every response.
    by_start: Vec<usize>,
    /// Indices of the steps anchored to a function by a decorator (`@Header(..)`).
    pub decorated: Vec<usize>,
}

impl<'t> StepIndex<'t> {
    /// Groups the steps of each block by response object, in order, into responses that end at
    /// a finishing call (`res.json`, `res.end`).
    fn new(mut steps: Vec<ResponseStep<'t>>, parents: &Parents<'t>) -> StepIndex<'t> {
        // The steps of one block together, in order, and the blocks in the order of their first
        // step: a block is known by its node's id, an address, which must not decide the order
        // of the facts (it differs from one run to the next).
        let mut first_in_block: std::collections::HashMap<usize, usize> =
            std::collections::HashMap::new();
        for step in &steps {
            if let Some(block) = step.block {
                let first = first_in_block.entry(block).or_insert(step.start);
                *first = (*first).min(step.start);
            }
        }
        steps.sort_by_key(|step| {
            let block_start = step
                .block
                .and_then(|block| first_in_block.get(&block).copied())
                .unwrap_or(step.start);
            (block_start, step.block, step.start)
        });
        let groups = group_steps(&steps);
        let mut group_of = vec![0; steps.len()];
        for (number, group) in groups.iter().enumerate() {
            for &index in group {
                group_of[index] = number;
            }
        }
        let finished: Vec<bool> = groups
            .iter()
            .map(|group| group_finishes(parents, group.iter().map(|&index| &steps[index])))
            .collect();
        let mut by_start: Vec<usize> = (0..steps.len()).collect();
        by_start.sort_by_key(|&index| steps[index].start);
        let decorated: Vec<usize> = (0..steps.len())
            .filter(|&index| matches!(steps[index].anchor, HandlerAnchor::Function(_)))
            .collect();
        StepIndex {
            steps,
            groups,
            group_of,
            finished,
            by_start,
            decorated,
        }
    }

    /// Indices of the steps that start inside `scope`.
    pub fn within(&self, scope: &ByteRange) -> &[usize] {
        let from = self
            .by_start
            .partition_point(|&index| self.steps[index].start < scope.start);
        let to = self
            .by_start
            .partition_point(|&index| self.steps[index].start < scope.end);
        self.by_start.get(from..to).unwrap_or(&[])
    }
}

/// Consecutive steps of one block on the same response object, until one ends the response.
fn group_steps(steps: &[ResponseStep<'_>]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let joins = groups
            .last()
            .and_then(|group| group.last())
            .is_some_and(|&last| {
                let last = &steps[last];
                step.block.is_some()
                    && last.block == step.block
                    && last.root == step.root
                    && !ends(last)
            });
        match groups.last_mut() {
            Some(group) if joins => group.push(index),
            _ => groups.push(vec![index]),
        }
    }
    groups
}

/// Whether a step ends its response (`res.end()`, `res.json(..)`).
fn ends(step: &ResponseStep<'_>) -> bool {
    step.effects
        .iter()
        .any(|effect| matches!(effect, Effect::Ends))
}

/// Whether a group's response is finished: a call ends it (`res.end()`), or its block leaves
/// right after it (Koa's `ctx.status = 405; return;`), so nothing later in the handler joins it.
fn group_finishes<'a, 't: 'a>(
    parents: &Parents<'t>,
    mut group: impl Iterator<Item = &'a ResponseStep<'t>>,
) -> bool {
    let mut last = None;
    for step in group.by_ref() {
        if ends(step) {
            return true;
        }
        last = Some(step);
    }
    let Some(statement) = last.and_then(|step| step.statement) else {
        return false;
    };
    let Some(block) = parents.parent(statement) else {
        return false;
    };
    named_children(block)
        .into_iter()
        .skip_while(|sibling| sibling.id() != statement.id())
        .any(|node| matches!(node.kind(), "return_statement" | "throw_statement"))
}

/// What a group says about its response besides the statuses: what the status that is sent
/// carries.
struct Sent {
    framework: String,
    headers: Vec<HeaderFact>,
    headers_complete: bool,
    body: Body,
    without_body: Option<Replacement>,
}

impl Sent {
    /// The response a status of the group records: everything for the status that is sent; an
    /// overridden status is a mention with the headers only.
    fn response(
        &self,
        status: StatusSite,
        sent: bool,
        header_insert: Option<Insertion>,
        handler: Option<HandlerId>,
        context: hsl_facts::Context,
    ) -> Response {
        Response {
            status,
            headers: self.headers.clone(),
            headers_complete: sent && self.headers_complete,
            header_insert: header_insert.filter(|_| sent),
            body: if sent {
                self.body.clone()
            } else {
                Body::Unknown
            },
            context,
            handler,
            role: if sent {
                SiteRole::Sets
            } else {
                SiteRole::Mentions
            },
            without_body: self.without_body.clone().filter(|_| sent),
        }
    }
}

/// A status effect's parts: code, spelling, node, range, where a header goes, and whether it is
/// implicit (sent only when no status was set).
type StatusParts<'e, 't> = (
    Option<u16>,
    &'e Spelling,
    Node<'t>,
    &'e ByteRange,
    Option<Insertion>,
    bool,
);

/// The parts of a status effect; `None` for any other effect.
fn status_parts<'e, 't>(effect: &'e Effect<'t>) -> Option<StatusParts<'e, 't>> {
    match effect {
        Effect::Status {
            code,
            spelling,
            node,
            range,
            header_insert,
            ..
        } => Some((*code, spelling, *node, range, header_insert.clone(), false)),
        Effect::Implicit {
            code,
            spelling,
            node,
            range,
        } => Some((Some(*code), spelling, *node, range, None, true)),
        _ => None,
    }
}

/// The status a group sends: the last one set, else the last implicit one.
fn effective<'e, 't>(effects: &'e [Effect<'t>]) -> Option<&'e Effect<'t>> {
    let set = effects
        .iter()
        .rfind(|effect| matches!(effect, Effect::Status { .. }));
    set.or_else(|| {
        effects
            .iter()
            .rfind(|effect| matches!(effect, Effect::Implicit { .. }))
    })
}

impl<'t> Extractor<'_, 't> {
    /// Records the responses of one statement's steps.
    pub(super) fn build_responses(&mut self, steps: Vec<ResponseStep<'t>>) {
        let all = StepIndex::new(steps, &self.parents);
        for (number, group) in all.groups.iter().enumerate() {
            self.build_group(&all, number, group);
        }
    }

    /// Records a response for each status of one group: the one sent sets it, the others are
    /// mentions.
    fn build_group(&mut self, all: &StepIndex<'t>, number: usize, group: &[usize]) {
        let Some(&first) = group.first() else {
            return;
        };
        let first = &all.steps[first];
        let effects = keep_earlier_statuses(
            group
                .iter()
                .flat_map(|&index| all.steps[index].effects.iter().cloned())
                .collect(),
        );
        let (headers, headers_complete) = self.visible_headers(all, number, group);
        let (body, without_body) = effects
            .iter()
            .rev()
            .find_map(|effect| match effect {
                Effect::Body(body, without) => Some((body.clone(), without.clone())),
                _ => None,
            })
            .unwrap_or((Body::Unknown, None));
        let sent = Sent {
            framework: first.framework.clone(),
            headers,
            headers_complete,
            body,
            without_body,
        };
        let effective = effective(&effects);
        for effect in &effects {
            let Some((code, spelling, node, range, header_insert, implicit)) = status_parts(effect)
            else {
                continue;
            };
            let is_effective = effective.is_some_and(|found| std::ptr::eq(found, effect));
            if code.is_none() && !implicit {
                // A status the syntax cannot read: its handler may send anything there.
                if let Some(id) = self.handler_of(first, node)
                    && let Some(handler) = self.facts.handlers.get_mut(id)
                {
                    handler.escapes.push(range.clone());
                }
                continue;
            }
            // Only the implicit status that is sent is recorded; an unknown code never is.
            if (implicit && effective.is_some() && !is_effective) || code.is_none() {
                continue;
            }
            let handler = self.handler_of(first, node);
            let handler_range = handler.map(|id| self.facts.handlers[id].range.clone());
            let context = context_of(&self.parents, node, handler_range, self.source);
            let status = StatusSite {
                code,
                spelling: spelling.clone(),
                range: range.clone(),
                framework: sent.framework.clone(),
            };
            let response = sent.response(status, is_effective, header_insert, handler, context);
            self.facts.responses.push(response);
        }
    }

    /// The handler a status of a group belongs to, as the group's first step finds it; a branch
    /// on the request's method around the status is a handler of its own.
    fn handler_of(&mut self, first: &ResponseStep<'t>, node: Node<'t>) -> Option<HandlerId> {
        let handler = match first.anchor {
            HandlerAnchor::Param => self.enclosing_handler(node, &first.root),
            HandlerAnchor::Enclosing => {
                let function = self
                    .parents
                    .ancestors(node)
                    .find(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()));
                function.map(|function| self.handler_id(function, true))
            }
            HandlerAnchor::Function(function) => Some(self.handler_id(function, true)),
        };
        self.method_branch(node, handler).or(handler)
    }
}
