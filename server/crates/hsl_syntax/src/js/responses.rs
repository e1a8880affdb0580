//! Responses from steps: the statements of a block on one response object grouped until a call
//! finishes it, with the status that is sent, its headers, body, handler and context.

use super::contexts::context_of;
use super::effects::keep_earlier_statuses;
use super::{Effect, Extractor, FUNCTION_KINDS, HandlerAnchor, ResponseStep, StepIndex};
use crate::node_util::{Parents, named_children};
use hsl_facts::{Body, Response, SiteRole, StatusSite};

/// Whether a group's response is finished: a call ends it (`res.end()`), or its block leaves
/// right after it (Koa's `ctx.status = 405; return;`), so nothing later in the handler joins it.
pub(super) fn group_finishes<'a, 't: 'a>(
    parents: &Parents<'t>,
    mut group: impl Iterator<Item = &'a ResponseStep<'t>>,
) -> bool {
    let mut last = None;
    for step in group.by_ref() {
        if step
            .effects
            .iter()
            .any(|effect| matches!(effect, Effect::Ends))
        {
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

impl<'t> Extractor<'_, 't> {
    /// Groups the steps of each block by response object, in order, into responses that end at
    /// a finishing call (`res.json`, `res.end`).
    pub(super) fn build_responses(&mut self, mut steps: Vec<ResponseStep<'t>>) {
        steps.sort_by_key(|step| (step.block, step.start));
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (index, step) in steps.iter().enumerate() {
            let joins = groups.last().is_some_and(|group| {
                group.last().is_some_and(|&last| {
                    let last = &steps[last];
                    step.block.is_some()
                        && last.block == step.block
                        && last.root == step.root
                        && !last
                            .effects
                            .iter()
                            .any(|effect| matches!(effect, Effect::Ends))
                })
            });
            match groups.last_mut() {
                Some(group) if joins => group.push(index),
                _ => groups.push(vec![index]),
            }
        }
        let mut group_of = vec![0; steps.len()];
        for (number, group) in groups.iter().enumerate() {
            for &index in group {
                group_of[index] = number;
            }
        }
        let finished: Vec<bool> = groups
            .iter()
            .map(|group| group_finishes(&self.parents, group.iter().map(|&index| &steps[index])))
            .collect();
        let mut by_start: Vec<usize> = (0..steps.len()).collect();
        by_start.sort_by_key(|&index| steps[index].start);
        let decorated: Vec<usize> = (0..steps.len())
            .filter(|&index| matches!(steps[index].anchor, HandlerAnchor::Function(_)))
            .collect();
        let all = StepIndex {
            steps: &steps,
            group_of: &group_of,
            finished: &finished,
            by_start: &by_start,
            decorated: &decorated,
        };
        for (number, group) in groups.iter().enumerate() {
            self.build_group(&all, number, group);
        }
    }

    pub(super) fn build_group(&mut self, all: &StepIndex<'_, 't>, number: usize, group: &[usize]) {
        let Some(&first) = group.first() else {
            return;
        };
        let first = &all.steps[first];
        let framework = first.framework.clone();
        let root = first.root.clone();
        let anchor = first.anchor;
        let effects = keep_earlier_statuses(
            group
                .iter()
                .flat_map(|&index| all.steps[index].effects.iter().cloned())
                .collect(),
        );
        let (headers, headers_complete) = self.visible_headers(all, number, group);
        let mut body = Body::Unknown;
        let mut without_body = None;
        for effect in &effects {
            if let Effect::Body(found, replacement) = effect {
                body = found.clone();
                without_body = replacement.clone();
            }
        }
        let statuses: Vec<&Effect<'t>> = effects
            .iter()
            .filter(|effect| matches!(effect, Effect::Status { .. }))
            .collect();
        let effective = statuses.last().copied().or_else(|| {
            effects
                .iter()
                .rev()
                .find(|effect| matches!(effect, Effect::Implicit { .. }))
        });
        for effect in effects.iter() {
            let (code, spelling, node, range, header_insert) = match effect {
                Effect::Status {
                    code,
                    spelling,
                    node,
                    range,
                    header_insert,
                    ..
                } => (*code, spelling, node, range, header_insert.clone()),
                Effect::Implicit {
                    code,
                    spelling,
                    node,
                    range,
                } => {
                    if !std::ptr::eq(effect, effective.unwrap_or(effect)) {
                        continue;
                    }
                    (Some(*code), spelling, node, range, None)
                }
                _ => continue,
            };
            if code.is_none() {
                continue;
            }
            let is_effective = effective.is_some_and(|found| std::ptr::eq(found, effect));
            let handler = match anchor {
                HandlerAnchor::Param => self.enclosing_handler(*node, &root),
                HandlerAnchor::Enclosing => {
                    let function = self
                        .parents
                        .ancestors(*node)
                        .find(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()));
                    function.map(|function| self.handler_id(function, true))
                }
                HandlerAnchor::Function(function) => Some(self.handler_id(function, true)),
            };
            let handler = match self.method_branch(*node, handler) {
                Some(branch) => Some(branch),
                None => handler,
            };
            let context = context_of(
                &self.parents,
                *node,
                handler.map(|id| self.facts.handlers[id].range.clone()),
                self.source,
            );
            self.facts.responses.push(Response {
                status: StatusSite {
                    code,
                    spelling: spelling.clone(),
                    range: range.clone(),
                    framework: framework.clone(),
                },
                headers: headers.clone(),
                headers_complete: is_effective && headers_complete,
                header_insert: if is_effective { header_insert } else { None },
                body: if is_effective {
                    body.clone()
                } else {
                    Body::Unknown
                },
                context,
                handler,
                role: if is_effective {
                    SiteRole::Sets
                } else {
                    SiteRole::Mentions
                },
                without_body: if is_effective {
                    without_body.clone()
                } else {
                    None
                },
            });
        }
    }
}
