//! The handlers a statement's reading finds, each created once: a function, a closure or a
//! branch on the request's method is one handler however many sites and registrations name it.

use std::collections::HashMap;

use tree_sitter::Node;

use hsl_facts::{ByteRange, Handler, HandlerId, Method, MethodEvidence, MethodSource};

/// Handler ids by the range of the node that is the handler, for the statement being read.
#[derive(Debug, Default)]
pub(crate) struct HandlerTable {
    ids: HashMap<(usize, usize), HandlerId>,
}

impl HandlerTable {
    /// Forgets the handlers of the previous statement (their ids were local to it).
    pub fn clear(&mut self) {
        self.ids.clear();
    }

    /// The id of the handler that is `node`, if one was made.
    pub fn get(&self, node: Node<'_>) -> Option<HandlerId> {
        self.ids.get(&(node.start_byte(), node.end_byte())).copied()
    }

    /// The id of the handler at `range`, if one was made.
    pub fn at(&self, range: &ByteRange) -> Option<HandlerId> {
        self.ids.get(&(range.start, range.end)).copied()
    }

    /// Whether `node` was made a handler (a registered closure, a branch on the method).
    pub fn contains(&self, node: Node<'_>) -> bool {
        self.get(node).is_some()
    }

    /// The id of the handler at `range`; on first sight `new` makes it and it joins `handlers`.
    pub fn id_of(
        &mut self,
        handlers: &mut Vec<Handler>,
        range: &ByteRange,
        new: impl FnOnce() -> Handler,
    ) -> HandlerId {
        if let Some(id) = self.at(range) {
            return id;
        }
        let id = handlers.len();
        handlers.push(new());
        self.ids.insert((range.start, range.end), id);
        id
    }
}

/// Records that the handler `id` serves `method`, as `source` at `range` proves.
pub(crate) fn prove_method(
    handlers: &mut [Handler],
    id: HandlerId,
    method: Method,
    source: MethodSource,
    range: ByteRange,
) {
    prove_route(handlers, id, method, (source, range), None);
}

/// [`prove_method`] for evidence that also names the route's path (an attribute or decorator
/// with its path argument).
pub(crate) fn prove_route(
    handlers: &mut [Handler],
    id: HandlerId,
    method: Method,
    (source, range): (MethodSource, ByteRange),
    path: Option<String>,
) {
    if let Some(handler) = handlers.get_mut(id) {
        handler.methods.push(MethodEvidence {
            method,
            source,
            range,
            path,
            mounted_as: None,
            needs_mount: false,
        });
    }
}
