//! Functions of the file that a response binding is lent to: `set_dav_headers(&mut res)`,
//! `self.reject(&mut res)?`. Hyper services build one response and hand it to helpers that set
//! its status and headers; such a hand-off hides nothing when the helper is declared in the same
//! file and every use of the parameter it lands in is seen (a header insert, the status or
//! body slot, a reading method, or lent on to another such helper). The headers the helper sets
//! on any of its paths are counted as the caller's, which can only make a missing-header rule
//! quieter.

use std::collections::HashMap;

use tree_sitter::Node;

use super::Extractor;
use crate::node_util::{named_children, text, uses_of};
use hsl_facts::HeaderFact;

/// How many helpers deep a lent response is followed (`reject(res)` calling `set_dav_headers(res)`).
const MAX_DEPTH: usize = 3;

/// What the helpers of the statement being read were proven to set on a lent response, by the
/// helper's node id and the parameter's position: `None` when a use is out of sight.
pub(super) type LentSummaries = HashMap<(usize, usize), Option<Vec<HeaderFact>>>;

/// How a call names the function it invokes.
enum Callee<'s> {
    /// `helper(..)`: a function declared at the top level of the file.
    Free(&'s str),
    /// `self.helper(..)` or `Self::helper(..)`: a function of one of the file's `impl` blocks.
    Associated(&'s str),
}

impl<'t> Extractor<'_, 't> {
    /// The headers set on a response binding whose use `ident` lends it (`&mut res`, or a
    /// `res` that is itself a lent reference) to a function this file declares, when every use
    /// of the parameter it lands in is seen; `None` when `ident` is not such an argument or the
    /// function may do what the syntax cannot follow.
    pub(super) fn lent_headers(&self, ident: Node<'t>) -> Option<Vec<HeaderFact>> {
        let (call, index) = self.lent_argument(ident)?;
        let function = self.callee_function(call)?;
        // The answer depends on another item of the file: this one's facts may not be reused
        // after an edit elsewhere.
        self.questions.borrow_mut().look_outside();
        let key = (function.id(), index);
        if let Some(known) = self.lent.borrow().get(&key) {
            return known.clone();
        }
        let depth = self.lent_depth.get();
        if depth >= MAX_DEPTH {
            return None;
        }
        // Until proven, a helper that lends the response back to itself hides something.
        self.lent.borrow_mut().insert(key, None);
        self.lent_depth.set(depth + 1);
        let found = self.parameter_headers(function, index);
        self.lent_depth.set(depth);
        self.lent.borrow_mut().insert(key, found.clone());
        found
    }

    /// The call `ident` is an argument of (as written, or behind `&`/`&mut`), with the
    /// position of that argument.
    fn lent_argument(&self, ident: Node<'t>) -> Option<(Node<'t>, usize)> {
        let mut argument = ident;
        let mut parent = self.parents.parent(ident)?;
        if parent.kind() == "reference_expression" {
            argument = parent;
            parent = self.parents.parent(parent)?;
        }
        if parent.kind() != "arguments" {
            return None;
        }
        let call = self.parents.parent(parent)?;
        let index = named_children(parent)
            .iter()
            .position(|arg| arg.id() == argument.id())?;
        (call.kind() == "call_expression").then_some((call, index))
    }

    /// The one function of the file a call invokes, by its name and how it is called.
    fn callee_function(&self, call: Node<'t>) -> Option<Node<'t>> {
        let callee = self.callee_of(call.child_by_field_name("function")?)?;
        let root = self.parents.root();
        let mut found = named_children(root)
            .into_iter()
            .flat_map(|item| match (&callee, item.kind()) {
                (Callee::Free(_), "function_item") => vec![item],
                (Callee::Associated(_), "impl_item") => item
                    .child_by_field_name("body")
                    .map(named_children)
                    .unwrap_or_default(),
                _ => Vec::new(),
            })
            .filter(|item| item.kind() == "function_item")
            .filter(|function| {
                let name = function
                    .child_by_field_name("name")
                    .map(|name| text(name, self.source));
                match &callee {
                    Callee::Free(wanted) | Callee::Associated(wanted) => name == Some(*wanted),
                }
            });
        let function = found.next()?;
        // Two functions of that name (in two `impl` blocks): which one runs is not known here.
        found.next().is_none().then_some(function)
    }

    fn callee_of(&self, function: Node<'t>) -> Option<Callee<'_>> {
        match function.kind() {
            "identifier" => Some(Callee::Free(text(function, self.source))),
            "field_expression" => {
                let receiver = function.child_by_field_name("value")?;
                let field = function.child_by_field_name("field")?;
                (receiver.kind() == "self").then(|| Callee::Associated(text(field, self.source)))
            }
            "scoped_identifier" => {
                let path = function.child_by_field_name("path")?;
                let name = function.child_by_field_name("name")?;
                (text(path, self.source) == "Self")
                    .then(|| Callee::Associated(text(name, self.source)))
            }
            _ => None,
        }
    }

    /// The headers `function` sets on its parameter at `index` (counting neither `self` nor
    /// attributes), when that parameter is a plain name borrowing the response (`res: &mut
    /// Response`) whose every use is seen.
    fn parameter_headers(&self, function: Node<'t>, index: usize) -> Option<Vec<HeaderFact>> {
        let parameter = function
            .child_by_field_name("parameters")
            .map(named_children)
            .unwrap_or_default()
            .into_iter()
            .filter(|parameter| parameter.kind() == "parameter")
            .nth(index)?;
        // A response taken by value may come back as another binding the caller changes.
        if parameter
            .child_by_field_name("type")
            .is_none_or(|ty| ty.kind() != "reference_type")
        {
            return None;
        }
        let name = parameter
            .child_by_field_name("pattern")
            .filter(|pattern| pattern.kind() == "identifier")
            .map(|pattern| text(pattern, self.source))?;
        let body = function.child_by_field_name("body")?;
        let other_names = |node: Node<'t>| {
            matches!(
                node.kind(),
                "scoped_identifier" | "scoped_type_identifier" | "type_arguments"
            )
        };
        let mut headers = Vec::new();
        uses_of(body, name, self.source, &["identifier"], other_names)
            .into_iter()
            .all(|used| self.binding_use(used, &mut headers))
            .then_some(headers)
    }
}
