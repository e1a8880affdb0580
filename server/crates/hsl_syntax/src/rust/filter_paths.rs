//! The paths of filter chains (warp): `warp::path!("todos" / u64)`, or
//! `warp::path("todos").and(warp::path::param())`, read from the chain's path filters and the
//! locals they are bound to, and the filter chains mounted under one (`warp::path("api")
//! .and(todos())`) or combined with others (`list().or(create())`).
//!
//! A path is read only when every filter that may match part of it is known: an unknown filter
//! at the root of a chain, a local bound elsewhere, alternatives or a path left open
//! (`path::tail()`, `path!("a" / ..)`) give no route path, so no route, rather than a wrong one.

use tree_sitter::Node;

use super::Extractor;
use super::nodes::{collect_leaves, path_segments};
use crate::node_util::{named_children, string_value, text};
use hsl_facts::{ByteRange, HandlerRef, RegistrationKind, RouteRegistration};
use hsl_tables::{PathFilters, Routes};

/// How deep a chain (and the locals it names) is followed.
const MAX_CHAIN_DEPTH: usize = 32;

/// What a filter (or a chain of them) matches of the request path.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct FilterPath {
    /// Literal segments, `None` for a parameter.
    segments: Vec<Option<String>>,
    /// The path must end here (`path::end()`, `path!` without `..`).
    ended: bool,
    /// The rest of the path is anything (`path::tail()`, `path!(.. / ..)`).
    open: bool,
}

impl FilterPath {
    /// `then` matched after `self`.
    fn followed_by(mut self, then: FilterPath) -> FilterPath {
        self.segments.extend(then.segments);
        self.ended |= then.ended;
        self.open |= then.open;
        self
    }

    /// The route path in template form (`/todos/{param1}`), when the path is whole: it ends,
    /// or has segments and is not left open.
    pub(super) fn route_path(&self) -> Option<String> {
        if self.open || (self.segments.is_empty() && !self.ended) {
            return None;
        }
        let mut params = 0;
        let parts: Vec<String> = self
            .segments
            .iter()
            .map(|segment| match segment {
                Some(literal) => literal.trim_matches('/').to_string(),
                None => {
                    params += 1;
                    format!("{{param{params}}}")
                }
            })
            .collect();
        Some(format!("/{}", parts.join("/")))
    }

    /// The prefix a mount adds (`/api`), when it is literal segments and parameters only.
    fn prefix(&self) -> Option<String> {
        if self.ended || self.segments.is_empty() {
            return None;
        }
        FilterPath {
            ended: true,
            open: false,
            segments: self.segments.clone(),
        }
        .route_path()
    }
}

impl<'t> Extractor<'_, 't> {
    /// The path a route's filter chain matches (the receiver of `.and_then(h)`), in template
    /// form; `None` when any part of it is unknown or left open.
    pub(super) fn filter_chain_path(&mut self, routes: &Routes, chain: Node<'t>) -> Option<String> {
        let filters = routes.path_filters.as_ref()?;
        self.chain_path(routes, filters, chain, true, 0)?
            .route_path()
    }

    /// What `expr` matches of the path. `root` is whether `expr` starts the chain: an unknown
    /// call there may be a path filter of the project's, while one handed to `.and(..)`
    /// extracts a value (`with_db(db)`).
    fn chain_path(
        &mut self,
        routes: &Routes,
        filters: &PathFilters,
        expr: Node<'t>,
        root: bool,
        depth: usize,
    ) -> Option<FilterPath> {
        if depth > MAX_CHAIN_DEPTH {
            return None;
        }
        match expr.kind() {
            "macro_invocation" => self.macro_path(routes, filters, expr),
            "identifier" => {
                let value = self.bound_value(expr)?;
                self.chain_path(routes, filters, value, root, depth + 1)
            }
            "call_expression" => self.call_path(routes, filters, expr, root, depth),
            _ => None,
        }
    }

    /// A call in a chain: `<chain>.and(<filter>)`, another method on a chain (which matches
    /// what the chain does), or a filter function.
    fn call_path(
        &mut self,
        routes: &Routes,
        filters: &PathFilters,
        call: Node<'t>,
        root: bool,
        depth: usize,
    ) -> Option<FilterPath> {
        let function = call.child_by_field_name("function")?;
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        if function.kind() == "field_expression" {
            let name = function
                .child_by_field_name("field")
                .map_or("", |f| text(f, self.source));
            let receiver = function.child_by_field_name("value")?;
            let before = self.chain_path(routes, filters, receiver, root, depth + 1)?;
            return match (name, args.as_slice()) {
                ("or" | "or_else", _) => None,
                ("and", [filter]) => {
                    let then = self.chain_path(routes, filters, *filter, false, depth + 1)?;
                    Some(before.followed_by(then))
                }
                _ => Some(before),
            };
        }
        let function = match function.kind() {
            "generic_function" => function.child_by_field_name("function")?,
            _ => function,
        };
        let segments = path_segments(function, self.source);
        if !self.names_filter_crate_fn(routes, &segments) {
            // A filter function of this file matches what the filter it returns matches. One
            // of another file is unknown at the chain's root; inside the chain it is taken to
            // hand the handler a value (`with_db(db)`), as such helpers do.
            return match self.file_function(call, &segments) {
                Some(function) => {
                    let returned = returned_at_end(function)?;
                    self.chain_path(routes, filters, returned, root, depth + 1)
                }
                None => (!root).then(FilterPath::default),
            };
        }
        filter_fn_path(filters, &segments, &args, self.source)
    }

    /// The function of this file's top level a call names (`v1()` for `fn v1() -> impl
    /// Filter { .. }`).
    fn file_function(&mut self, call: Node<'t>, segments: &[String]) -> Option<Node<'t>> {
        let name = match segments {
            [name] => name,
            [module, name] if module == "self" => name,
            _ => return None,
        };
        // The function is outside the statement being read.
        self.questions.get_mut().look_outside();
        let root = self.parents.ancestors(call).last()?;
        named_children(root).into_iter().find(|item| {
            item.kind() == "function_item"
                && item
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n, self.source) == name)
        })
    }

    /// Whether a called path names the filter crate's function: written with the crate's
    /// name (`warp::path`, `warp::path::param`) or imported from it (`use warp::path;`).
    fn names_filter_crate_fn(&self, routes: &Routes, segments: &[String]) -> bool {
        let Some(krate) = routes.filter_crate.as_deref() else {
            return false;
        };
        let Some(first) = segments.first() else {
            return false;
        };
        first == krate
            || self.facts.imports.iter().any(|import| {
                &import.local == first
                    && super::nodes::path_segments_of(&import.module)
                        .first()
                        .is_some_and(|module| module == krate)
            })
    }

    /// `warp::path!("todos" / u64)`: strings are segments, types parameters, `..` leaves the
    /// rest open; without it the path ends.
    fn macro_path(
        &self,
        routes: &Routes,
        filters: &PathFilters,
        invocation: Node<'t>,
    ) -> Option<FilterPath> {
        let name = invocation.child_by_field_name("macro")?;
        let segments = path_segments(name, self.source);
        if segments.last() != Some(&filters.macro_name)
            || (segments.len() > 1 && !self.names_filter_crate_fn(routes, &segments))
        {
            return None;
        }
        let tree = named_children(invocation)
            .into_iter()
            .find(|child| child.kind() == "token_tree")?;
        let mut leaves = Vec::new();
        collect_leaves(tree, &mut leaves);
        let mut path = FilterPath::default();
        // `..` at the end: the path goes on (a prefix), it does not end here.
        let mut goes_on = false;
        for leaf in leaves {
            let token = text(leaf, self.source);
            let in_string = leaf.parent().is_some_and(|p| p.kind() == "string_literal");
            match leaf.kind() {
                "string_content" if in_string => path.segments.push(Some(token.to_string())),
                _ if in_string => {}
                "(" | ")" | "/" => {}
                ".." => goes_on = true,
                "identifier" | "primitive_type" => path.segments.push(None),
                // `::` inside a type path (`uuid::Uuid`) belongs to that one parameter.
                "::" => {
                    path.segments.pop();
                }
                _ => return None,
            }
        }
        path.ended = !goes_on;
        Some(path)
    }

    /// A mount of filter chains: `<path filters>.and(todos(db))` serves the routes `todos`
    /// builds under the filters' prefix, and `list(db).or(create(db))` serves both as they
    /// are. Recorded as router registrations (the function names the router) so that the
    /// workspace index joins the prefixes. `true` when `call` is such a mount.
    pub(super) fn collect_filter_mount(
        &mut self,
        routes: &Routes,
        call: Node<'t>,
        name: &str,
        args: &[Node<'t>],
    ) -> bool {
        let Some(filters) = routes.path_filters.as_ref() else {
            return false;
        };
        let Some(receiver) = call
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("value"))
        else {
            return false;
        };
        let mounted: Vec<(String, Node<'t>)> = match (name, args) {
            ("and", [target]) => {
                if self.in_route_chain(routes, call) {
                    return false;
                }
                let Some(prefix) = self
                    .chain_path(routes, filters, receiver, true, 0)
                    .and_then(|path| path.prefix())
                else {
                    return false;
                };
                self.router_call(routes, *target)
                    .map(|target| vec![(prefix, target)])
                    .unwrap_or_default()
            }
            ("or", [other]) => [receiver, *other]
                .into_iter()
                .filter_map(|operand| self.router_call(routes, operand))
                .map(|target| (String::new(), target))
                .collect(),
            _ => return false,
        };
        if mounted.is_empty() {
            return false;
        }
        let scope = self.enclosing_function(call);
        let range: ByteRange = call.byte_range();
        for (prefix, target) in mounted {
            let segments = self.unalias(path_segments(target, self.source));
            let segments = self.file_relative(target, segments);
            self.facts.registrations.push(RouteRegistration {
                methods: Vec::new(),
                path: Some(prefix),
                handler: HandlerRef::Named(segments),
                range: range.clone(),
                scope: scope.clone(),
                kind: RegistrationKind::Router,
                declared: None,
            });
        }
        true
    }

    /// Whether `call` is part of a route's chain: the whole chain it belongs to names a method
    /// (`warp::path("x").and(with_db(db)).and(warp::get()).and_then(h)`), so what its `.and(..)`
    /// adds is a value, not routes.
    fn in_route_chain(&self, routes: &Routes, call: Node<'t>) -> bool {
        let mut top = call;
        for _ in 0..MAX_CHAIN_DEPTH {
            let Some(outer) = top
                .parent()
                .filter(|p| p.kind() == "field_expression")
                .filter(|p| p.child_by_field_name("value") == Some(top))
                .and_then(|p| p.parent())
                .filter(|p| p.kind() == "call_expression")
            else {
                break;
            };
            top = outer;
        }
        let mut methods = Vec::new();
        self.chain_filters(top, routes, &mut methods, 0);
        !methods.is_empty()
    }

    /// The function a mounted operand calls to build its routes (`todos(db)`, or a local bound
    /// to such a call), when it is the project's own, not the filter crate's.
    fn router_call(&self, routes: &Routes, operand: Node<'t>) -> Option<Node<'t>> {
        let operand = match operand.kind() {
            "identifier" => self.bound_value(operand)?,
            _ => operand,
        };
        if operand.kind() != "call_expression" {
            return None;
        }
        let function = operand.child_by_field_name("function")?;
        if !matches!(function.kind(), "identifier" | "scoped_identifier") {
            return None;
        }
        let segments = path_segments(function, self.source);
        (!self.names_filter_crate_fn(routes, &segments)).then_some(function)
    }
}

/// The expression a function returns at the end of its body, when it ends in one.
fn returned_at_end(function: Node<'_>) -> Option<Node<'_>> {
    let body = function.child_by_field_name("body")?;
    named_children(body).into_iter().last().filter(|tail| {
        !matches!(
            tail.kind(),
            "expression_statement" | "let_declaration" | "line_comment" | "block_comment"
        )
    })
}

/// What a filter function of the filter crate matches: `path("x")`, `path::param()`,
/// `path::end()`, an open one, or nothing of the path (a method or body filter).
fn filter_fn_path(
    filters: &PathFilters,
    segments: &[String],
    args: &[Node<'_>],
    source: &str,
) -> Option<FilterPath> {
    let name = segments.last()?;
    let in_module = segments.len() >= 2
        && segments
            .get(segments.len() - 2)
            .is_some_and(|module| module == &filters.module);
    let mut path = FilterPath::default();
    if !in_module && name == &filters.segment {
        let [segment] = args else {
            return None;
        };
        path.segments.push(Some(string_value(*segment, source)?));
    } else if in_module && name == &filters.param {
        path.segments.push(None);
    } else if in_module && name == &filters.end {
        path.ended = true;
    } else if in_module && filters.open.contains(name) {
        path.open = true;
    } else if in_module {
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use hsl_facts::{HandlerRef, Language, RegistrationKind};

    /// Each registration of `body` (written inside a function `routes` of a warp file) as
    /// `(kind, path, handler's last segment)`.
    fn registrations(body: &str) -> Vec<(RegistrationKind, Option<String>, String)> {
        let source = format!("use warp::Filter;\nfn routes() -> impl Filter {{\n{body}\n}}\n");
        let (facts, _) = crate::analyze(Language::Rust, &source);
        facts
            .registrations
            .iter()
            .map(|registration| {
                let name = match &registration.handler {
                    HandlerRef::Named(segments) => segments.last().cloned().unwrap_or_default(),
                    HandlerRef::Inline(_) => "<closure>".to_string(),
                };
                (registration.kind, registration.path.clone(), name)
            })
            .collect()
    }

    fn route_paths(body: &str) -> Vec<Option<String>> {
        registrations(body)
            .into_iter()
            .filter(|(kind, ..)| *kind == RegistrationKind::Route)
            .map(|(_, path, _)| path)
            .collect()
    }

    #[test]
    fn the_path_macro_gives_segments_and_parameters() {
        assert_eq!(
            route_paths(
                r#"warp::path!("todos" / u64 / "tags" / uuid::Uuid).and(warp::get()).and_then(h)"#
            ),
            [Some("/todos/{param1}/tags/{param2}".to_string())]
        );
        // `..` leaves the path going on: what follows is part of it.
        assert_eq!(
            route_paths(
                r#"warp::path!("api" / ..).and(warp::path!("todos")).and(warp::post()).and_then(h)"#
            ),
            [Some("/api/todos".to_string())]
        );
    }

    #[test]
    fn path_functions_and_the_locals_bound_to_them() {
        assert_eq!(
            route_paths(
                "let base = warp::path(\"todos\");\nbase.and(warp::path::param::<u64>()).and(warp::path::end()).and(with_db(db)).and(warp::delete()).and_then(h)"
            ),
            [Some("/todos/{param1}".to_string())]
        );
        assert_eq!(
            route_paths("warp::get().and(warp::path::end()).and_then(index)"),
            [Some("/".to_string())]
        );
    }

    #[test]
    fn unknown_or_open_paths_give_no_path() {
        // The root filter is the project's own: it may match any path.
        assert_eq!(
            route_paths("api_root().and(warp::get()).and_then(h)"),
            [None]
        );
        // The rest of the path is anything.
        assert_eq!(
            route_paths(
                r#"warp::path("files").and(warp::path::tail()).and(warp::get()).and_then(h)"#
            ),
            [None]
        );
        // No path filter at all: every path.
        assert_eq!(route_paths("warp::get().and_then(h)"), [None]);
        // A parameter of the function: not known here.
        assert_eq!(
            route_paths("prefix.and(warp::path(\"x\")).and(warp::get()).and_then(h)"),
            [None]
        );
    }

    /// Filter functions of the same file are read for what they match; one the file does not
    /// define matches nothing inside a chain and is unknown at its root.
    #[test]
    fn filter_functions_of_the_file_match_what_they_return() {
        let source = "use warp::Filter;\nfn v1() -> impl Filter { warp::path(\"api\").and(warp::path(\"v1\")) }\nfn with_db() -> impl Filter { warp::any().map(|| 1) }\nfn odd() -> impl Filter { if x { a() } else { b() } }\nfn routes() -> impl Filter {\n    v1().and(warp::path(\"todos\")).and(warp::get()).and_then(list);\n    warp::path(\"x\").and(v1()).and(with_db()).and(warp::post()).and_then(create);\n    warp::path(\"y\").and(odd()).and(warp::get()).and_then(read)\n}\n";
        let (facts, _) = crate::analyze(Language::Rust, source);
        let paths: Vec<_> = facts
            .registrations
            .iter()
            .map(|registration| registration.path.clone())
            .collect();
        assert_eq!(
            paths,
            [
                Some("/api/v1/todos".to_string()),
                Some("/x/api/v1".to_string()),
                // `odd()` returns no filter the syntax can read: no path rather than a wrong one.
                None,
            ]
        );
    }

    #[test]
    fn filter_chains_mounted_under_a_prefix_or_combined() {
        let found = registrations(r#"warp::path("api").and(todos(db)).with(warp::log("api"))"#);
        assert_eq!(
            found,
            [(
                RegistrationKind::Router,
                Some("/api".to_string()),
                "todos".to_string()
            )]
        );
        let found = registrations("let list = list_todos(db.clone());\nlist.or(create_todo(db))");
        assert_eq!(
            found,
            [
                (
                    RegistrationKind::Router,
                    Some(String::new()),
                    "list_todos".to_string()
                ),
                (
                    RegistrationKind::Router,
                    Some(String::new()),
                    "create_todo".to_string()
                ),
            ]
        );
        // Inside a route's own chain, `.and(with_db(db))` hands the handler a value.
        let found = registrations(
            r#"warp::path("todos").and(with_db(db)).and(warp::post()).and_then(create)"#,
        );
        assert_eq!(
            found,
            [(
                RegistrationKind::Route,
                Some("/todos".to_string()),
                "create".to_string()
            )]
        );
    }
}
