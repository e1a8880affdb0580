//! Branches on the request's method (`if (req.method === 'POST')`, `case 'POST':`, an early
//! `return` unless the method is one): each is a handler of its own for that method.

use tree_sitter::Node;

use super::nodes::{always_leaves, member_path, strip_parens};
use super::{Extractor, FUNCTION_KINDS};
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{ByteRange, Handler, HandlerId, Method, MethodEvidence, MethodSource};
use hsl_tables::MethodBranches;

/// A method name as the request carries it: upper case (`'POST'`); `'post'` never matches.
pub(super) fn upper_method(node: Node<'_>, source: &str) -> Option<Method> {
    let value = string_value(node, source)?;
    if value != value.to_ascii_uppercase() {
        return None;
    }
    Method::parse(&value)
}

impl<'t> Extractor<'_, 't> {
    /// The branch of `handler` that `node` sits in when the branch tests the request's method
    /// (`if (req.method === 'POST') { … }`, `case 'POST':` of `switch (req.method)`): a handler
    /// of its own whose method is the one tested. The innermost such branch wins.
    pub(super) fn method_branch(
        &mut self,
        node: Node<'t>,
        handler: Option<HandlerId>,
    ) -> Option<HandlerId> {
        let branches: Vec<&'static MethodBranches> = self
            .tables
            .iter()
            .filter_map(|t| t.routes.as_ref()?.method_branches.as_ref())
            .collect();
        if branches.is_empty() {
            return None;
        }
        let stop = handler.map(|id| self.facts.handlers[id].range.clone());
        let mut child = node;
        for ancestor in self.parents.ancestors(node) {
            if stop
                .as_ref()
                .is_some_and(|range| ancestor.byte_range() == *range)
                || FUNCTION_KINDS.contains(&ancestor.kind())
            {
                return None;
            }
            if let Some((range, condition, method)) =
                self.branch_on_method(ancestor, child, &branches)
            {
                let path = (ancestor.kind() == "if_statement")
                    .then(|| self.tested_path(condition, &branches))
                    .flatten();
                let branch = || Handler {
                    name: None,
                    error_type: None,
                    error_aliases: Vec::new(),
                    response_type: false,
                    default_export: false,
                    declared: None,
                    words: self
                        .parents
                        .root()
                        .descendant_for_byte_range(range.start, range.end)
                        .map(|node| super::conditions::summary(node, self.source))
                        .unwrap_or_default(),
                    authenticates: false,
                    escapes: self
                        .parents
                        .root()
                        .descendant_for_byte_range(range.start, range.end)
                        .map(super::conditions::escapes)
                        .unwrap_or_default(),
                    params: Vec::new(),
                    bindings: Vec::new(),
                    body_calls: Vec::new(),
                    in_browser: false,
                    typed_path: None,
                    range: range.clone(),
                    name_range: condition.byte_range(),
                    methods: vec![MethodEvidence {
                        method,
                        source: MethodSource::Branch,
                        range: condition.byte_range(),
                        path: path.clone(),
                        mounted_as: None,
                        needs_mount: false,
                    }],
                };
                let id = self
                    .handler_table
                    .id_of(&mut self.facts.handlers, &range, branch);
                return Some(id);
            }
            child = ancestor;
        }
        None
    }

    /// When `ancestor` branches on the request's method and `child` is on the branch that
    /// method takes: the branch's range, the test, and the method.
    fn branch_on_method(
        &self,
        ancestor: Node<'t>,
        child: Node<'t>,
        branches: &[&MethodBranches],
    ) -> Option<(ByteRange, Node<'t>, Method)> {
        match ancestor.kind() {
            "if_statement" => {
                let consequence = ancestor
                    .child_by_field_name("consequence")
                    .filter(|consequence| consequence.id() == child.id())?;
                let condition = ancestor.child_by_field_name("condition")?;
                let method = self.tested_method(condition, branches)?;
                Some((consequence.byte_range(), strip_parens(condition), method))
            }
            "switch_case" => {
                let value = ancestor.child_by_field_name("value")?;
                let subject = self
                    .parents
                    .parent(ancestor)
                    .and_then(|body| self.parents.parent(body))
                    .filter(|s| s.kind() == "switch_statement")
                    .and_then(|s| s.child_by_field_name("value"))?;
                if !self.is_method_expr(strip_parens(subject), branches) {
                    return None;
                }
                let method = upper_method(value, self.source)?;
                Some((ancestor.byte_range(), value, method))
            }
            // `if (req.method !== 'POST') return …;` earlier in the block: what follows it runs
            // for POST only.
            "statement_block" => {
                let (guard, condition, method) = self.method_guard_before(child, branches)?;
                Some((guard.end_byte()..ancestor.end_byte(), condition, method))
            }
            _ => None,
        }
    }

    /// An earlier statement of the same block that leaves unless the method is one:
    /// `if (req.method !== 'POST') { …; return …; }`.
    pub(super) fn method_guard_before(
        &self,
        statement: Node<'t>,
        branches: &[&MethodBranches],
    ) -> Option<(Node<'t>, Node<'t>, Method)> {
        // A guard on the request's method lives in a function body; the file's top level has
        // no request (and walking back over it sibling by sibling would be quadratic).
        let block = self
            .parents
            .parent(statement)
            .filter(|parent| parent.kind() != "program")?;
        // Siblings from the remembered parent: tree-sitter's own sibling steps climb from the root.
        let siblings = named_children(block);
        let at = siblings
            .iter()
            .position(|sibling| sibling.id() == statement.id())?;
        for node in siblings[..at].iter().rev().copied() {
            if node.kind() != "if_statement" || node.child_by_field_name("alternative").is_some() {
                continue;
            }
            let Some(condition) = node.child_by_field_name("condition").map(strip_parens) else {
                continue;
            };
            let Some(consequence) = node.child_by_field_name("consequence") else {
                continue;
            };
            if !always_leaves(consequence) || condition.kind() != "binary_expression" {
                continue;
            }
            let (Some(operator), Some(left), Some(right)) = (
                condition.child_by_field_name("operator"),
                condition.child_by_field_name("left").map(strip_parens),
                condition.child_by_field_name("right").map(strip_parens),
            ) else {
                continue;
            };
            if !matches!(text(operator, self.source), "!==" | "!=") {
                continue;
            }
            let method = if self.is_method_expr(left, branches) {
                upper_method(right, self.source)
            } else if self.is_method_expr(right, branches) {
                upper_method(left, self.source)
            } else {
                None
            };
            if let Some(method) = method {
                return Some((node, condition, method));
            }
        }
        None
    }

    /// `req.method === 'POST'` (either side, `==` too), alone or as a conjunct of `&&`.
    pub(super) fn tested_method(
        &self,
        condition: Node<'t>,
        branches: &[&MethodBranches],
    ) -> Option<Method> {
        self.equality_conjunct(condition, &|left, right| {
            if self.is_method_expr(left, branches) {
                upper_method(right, self.source)
            } else if self.is_method_expr(right, branches) {
                upper_method(left, self.source)
            } else {
                None
            }
        })
    }

    /// The path a branch's condition tests with the method: `req.url === "/login"` as a
    /// conjunct of `&&` (either side, `==` too), a literal that starts with `/`.
    fn tested_path(&self, condition: Node<'t>, branches: &[&MethodBranches]) -> Option<String> {
        let reads_path = |node: Node<'t>| {
            branches
                .iter()
                .any(|b| b.reads_path(text(node, self.source)))
        };
        self.equality_conjunct(condition, &|left, right| {
            let literal = if reads_path(left) {
                right
            } else if reads_path(right) {
                left
            } else {
                return None;
            };
            string_value(literal, self.source).filter(|path| path.starts_with('/'))
        })
    }

    /// The first answer `read` gives for the two sides of an equality (`===` or `==`) that is
    /// `condition` or one of its `&&` conjuncts, parentheses aside.
    fn equality_conjunct<T>(
        &self,
        condition: Node<'t>,
        read: &impl Fn(Node<'t>, Node<'t>) -> Option<T>,
    ) -> Option<T> {
        let _level = crate::depth::Nesting::enter()?;
        let condition = strip_parens(condition);
        if condition.kind() != "binary_expression" {
            return None;
        }
        let operator = condition.child_by_field_name("operator")?;
        let left = strip_parens(condition.child_by_field_name("left")?);
        let right = strip_parens(condition.child_by_field_name("right")?);
        match text(operator, self.source) {
            "&&" => self
                .equality_conjunct(left, read)
                .or_else(|| self.equality_conjunct(right, read)),
            "===" | "==" => read(left, right),
            _ => None,
        }
    }

    /// Whether `node` reads the request's method (`req.method`) as some table names it.
    pub(super) fn is_method_expr(&self, node: Node<'t>, branches: &[&MethodBranches]) -> bool {
        let Some(path) = member_path(node, self.source) else {
            return false;
        };
        let [object, property] = &path[..] else {
            return false;
        };
        branches
            .iter()
            .any(|b| &b.property == property && b.request_names.iter().any(|n| n == object))
    }
}
