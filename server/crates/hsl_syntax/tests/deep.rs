//! Input-driven depth: text nested tens of thousands of levels deep (brackets, calls, chains,
//! blocks, closures, macros) is extracted on a thread with a small stack, so that any walk whose
//! recursion the input can drive past a bounded depth overflows here (an abort of this test
//! binary) instead of in a user's editor. Sizes are large enough that a walk quadratic in the
//! depth would make this test take minutes; no time is asserted.

// A test stops at its first broken step, with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use hsl_facts::{FileFacts, Language, SiteRole};

/// Levels of nesting: about 40 KB of brackets, the size that aborted the server.
const DEPTH: usize = 20_000;

/// A quarter of the 2 MiB a spawned thread (rayon's, tokio's blocking pool) gets by default.
const STACK: usize = 512 * 1024;

fn nested(open: &str, inner: &str, close: &str) -> String {
    let mut text = String::with_capacity((open.len() + close.len()) * DEPTH + inner.len());
    (0..DEPTH).for_each(|_| text.push_str(open));
    text.push_str(inner);
    (0..DEPTH).for_each(|_| text.push_str(close));
    text
}

/// Chains and `else if` ladders are still read in time quadratic in their length (each link
/// climbs the whole chain for its context; see the report of the fuzz branch): they are checked
/// for the stack at a length that reads quickly.
const CHAIN: usize = 500;

fn repeated(part: &str) -> String {
    part.repeat(CHAIN)
}

fn nested_chain(open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(CHAIN), close.repeat(CHAIN))
}

/// Analyses `text` on a thread with a small stack; the facts when it finishes.
fn analyse_on_small_stack(language: Language, text: String) -> FileFacts {
    let worker = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || hsl_syntax::analyze(language, &text).0)
        .expect("a thread");
    worker.join().expect("no panic")
}

fn mentioned_codes(facts: &FileFacts) -> Vec<(Option<u16>, SiteRole)> {
    facts
        .responses
        .iter()
        .map(|response| (response.status.code, response.role))
        .collect()
}

const AXUM: &str = "use axum::{http::StatusCode, routing::get, Router};\n";
const EXPRESS: &str = "const express = require('express');\nconst app = express();\n";

/// `m!((((…StatusCode::FOUND…))))`: the macro's token scan finds the status however deep.
#[test]
fn a_status_deep_in_a_macro_is_still_a_mention() {
    let text = format!(
        "{AXUM}async fn h() {{\n    m!({});\n}}\n",
        nested("(", "StatusCode::FOUND", ")")
    );
    let facts = analyse_on_small_stack(Language::Rust, text);
    assert_eq!(
        mentioned_codes(&facts),
        vec![(Some(302), SiteRole::Mentions)]
    );
}

#[test]
fn deep_rust_shapes_are_read_without_overflow() {
    let shapes = [
        nested("(", "StatusCode::FOUND", ")"),
        nested("(", "StatusCode::FOUND, \"x\"", ",)"),
        nested("{ ", "StatusCode::FOUND", " }"),
        nested("[", "(header::LOCATION, \"/\")", "]"),
        nested("f(", "StatusCode::FOUND", ")"),
        nested("Ok(", "StatusCode::FOUND", ")"),
        nested("&", "StatusCode::FOUND", ""),
        nested("|| ", "StatusCode::FOUND", ""),
        nested_chain("if a { 1 } else ", "{ StatusCode::FOUND }", ""),
        nested_chain(
            "warp::reply::with_header(",
            "StatusCode::FOUND",
            ", \"a\", \"b\")",
        ),
        nested("json!({\"a\": ", "1", "})"),
        nested("(", "(header::LOCATION, \"/\")", ",)"),
        format!(
            "Response::builder(){}.status(302).body(())",
            repeated(".header(\"a\", \"b\")")
        ),
        format!("a{} && x", repeated(" && a")),
        format!("!{}x", repeated("!")),
    ];
    for (index, shape) in shapes.iter().enumerate() {
        let text = format!(
            "{AXUM}async fn h() -> impl IntoResponse {{\n    if {shape} {{ return StatusCode::FOUND; }}\n    {shape}\n}}\nfn app() -> Router {{ Router::new().route(\"/\", get(h)) }}\n"
        );
        analyse_on_small_stack(Language::Rust, text);
        eprintln!("rust shape {index} read");
    }
    let items = [
        format!("use a::{};", nested("{b::", "c", "}")),
        format!(
            "fn app() -> Router {{ Router::new(){} }}",
            repeated(".route(\"/\", get(h))")
        ),
        format!(
            "fn app() -> Router {{ Router::new().route(\"/\", get(h){}) }}",
            repeated(".post(h)")
        ),
        format!(
            "fn f() {{ warp::path(\"a\"){} }}",
            repeated(".and(warp::get())")
        ),
        format!(
            "fn f() {{ {} }}",
            nested_chain("warp::path(\"a\").and(", "warp::get()", ")")
        ),
        format!(
            "fn f() {{ {} }}",
            nested_chain("warp::path(\"a\").or(", "warp::get()", ")")
        ),
        nested(
            "mod a { ",
            "async fn h() -> StatusCode { StatusCode::FOUND }",
            " }",
        ),
        format!(
            "#[get(\"/\")]\nasync fn h(method: Method) -> StatusCode {{ if {} {{ StatusCode::FOUND }} else {{ StatusCode::OK }} }}",
            nested("(", "method == Method::POST", ")")
        ),
        format!(
            "async fn h(method: Method) -> StatusCode {{ match method {{ {} => StatusCode::FOUND, _ => StatusCode::OK }} }}",
            repeated("Method::GET | ")
        ),
    ];
    for (index, item) in items.iter().enumerate() {
        analyse_on_small_stack(Language::Rust, format!("{AXUM}{item}\n"));
        eprintln!("rust item {index} read");
    }
}

#[test]
fn deep_javascript_shapes_are_read_without_overflow() {
    let shapes = [
        nested("(", "302", ")"),
        nested("f(", "302", ")"),
        nested("[", "302", "]"),
        nested("{a: ", "302", "}"),
        nested("() => ", "302", ""),
        nested_chain("a ? 302 : ", "302", ""),
        nested("`${", "302", "}`"),
        nested("!", "302", ""),
        nested("-", "302", ""),
        nested("await ", "302", ""),
        nested("new A(", "302", ")"),
        format!("a{}", repeated(".b")),
        format!("a{}", repeated(" && a")),
        format!("a{}", repeated(" + 1")),
        format!("res{}", repeated(".status(302)")),
        format!("res.status(302){}.end()", repeated(".set('a', 'b')")),
    ];
    for (index, shape) in shapes.iter().enumerate() {
        let text = format!(
            "{EXPRESS}app.post('/a', (req, res) => {{\n  if ({shape}) {{ return res.redirect({shape}); }}\n  res.status({shape}).json({shape});\n  res.set({shape});\n}});\n"
        );
        analyse_on_small_stack(Language::JavaScript, text.clone());
        analyse_on_small_stack(Language::TypeScript, text);
        eprintln!("javascript shape {index} read");
    }
    let statements = [
        format!("app.route('/a'){}", repeated(".get(h)")),
        format!("app{}", repeated(".use(h)")),
        nested_chain(
            "if (a) { res.status(302); } else ",
            "{ res.status(200); }",
            "",
        ),
        nested("{ ", "res.status(302);", " }"),
        nested("function f(req, res) { ", "res.status(302);", " }"),
        nested_chain(
            "app.post('/a', (req, res) => { ",
            "res.status(302);",
            " });",
        ),
        format!(
            "switch (req.method) {{ {} }}",
            repeated("case 'GET': res.status(302); ")
        ),
        format!(
            "module.exports = {};",
            nested("{a: ", "(req, res) => res.status(302)", "}")
        ),
        format!(
            "const h = {};",
            nested("wrap(", "(req, res) => res.status(302)", ")")
        ),
    ];
    for (index, statement) in statements.iter().enumerate() {
        analyse_on_small_stack(Language::JavaScript, format!("{EXPRESS}{statement}\n"));
        eprintln!("javascript statement {index} read");
    }
    let jsx = format!(
        "export default function Page() {{ return {}; }}\n",
        nested("<div>", "{Response.redirect('/', 302)}", "</div>")
    );
    analyse_on_small_stack(Language::Tsx, jsx);
}

/// `res.status(res.status(…))` fifty thousand levels deep (600 KB): the reading is linear (it
/// took minutes when every call climbed the whole nesting, and tree-sitter's query stepped a
/// partial match for every level at each node). What lies deeper than the query looks is not
/// claimed.
#[test]
fn fifty_thousand_nested_status_calls_are_read() {
    const LEVELS: usize = 50_000;
    let text = format!(
        "{EXPRESS}app.get('/a', (req, res) => {{\n  {}1{};\n}});\n",
        "res.status(".repeat(LEVELS),
        ")".repeat(LEVELS)
    );
    let facts = analyse_on_small_stack(Language::JavaScript, text);
    // The route and its handler are read; the only literal status lies deeper than the query
    // looks, so no status is claimed.
    assert_eq!(facts.registrations.len(), 1);
    assert_eq!(facts.handlers.len(), 1);
    assert!(facts.responses.iter().all(|r| r.status.code.is_none()));
}

/// A hundred thousand unclosed `(` after `res.status(`: a syntax problem, no response claimed.
#[test]
fn a_hundred_thousand_unclosed_parentheses_are_read() {
    let text = format!(
        "{EXPRESS}app.get('/a', (req, res) => {{\n  res.status({}\n}});\n",
        "(".repeat(100_000)
    );
    let worker = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || hsl_syntax::analyze(Language::JavaScript, &text))
        .expect("a thread");
    let (facts, problems) = worker.join().expect("no panic");
    assert!(!problems.is_empty());
    assert!(facts.responses.iter().all(|r| r.status.code.is_none()));
}
