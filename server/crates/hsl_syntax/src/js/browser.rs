//! Whether a function runs in a browser: it, or a function around it, reads a member of a
//! global only a browser has (`window.__TAURI__`, `navigator.userAgent`), and none of them tests
//! that global with `typeof` (code shared with a server does). A `Response` built there (a fetch
//! wrapper's stand-in for a failed request) goes to the page's own code, not over HTTP.

use tree_sitter::Node;

use super::FUNCTION_KINDS;
use crate::depth::descendants;
use crate::node_util::{Parents, text};
use hsl_tables::Conditions;

/// Whether `function` runs in a browser, judged on the outermost function around it.
pub(super) fn runs_in_browser<'t>(parents: &Parents<'t>, function: Node<'t>, source: &str) -> bool {
    let outermost = parents
        .ancestors(function)
        .filter(|ancestor| FUNCTION_KINDS.contains(&ancestor.kind()))
        .last()
        .unwrap_or(function);
    let globals = &Conditions::get().browser.globals;
    let is_global = |node: Option<Node<'t>>| {
        node.is_some_and(|node| {
            node.kind() == "identifier" && globals.iter().any(|global| global == text(node, source))
        })
    };
    let nodes = descendants(outermost, |_| true);
    let reads_member = nodes.iter().any(|node| {
        node.kind() == "member_expression" && is_global(node.child_by_field_name("object"))
    });
    let tests_presence = nodes.iter().any(|node| {
        node.kind() == "unary_expression"
            && node
                .child_by_field_name("operator")
                .is_some_and(|operator| operator.kind() == "typeof")
            && is_global(node.child_by_field_name("argument"))
    });
    reads_member && !tests_presence
}
