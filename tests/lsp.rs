//! End to end over a real stdio connection: spawns the `http-status-ls` binary and speaks LSP to
//! it with a small client (Content-Length framing, a reader thread, a timeout on every wait).
//! Edits returned by the server are applied to the client's copy and sent back, so a fix is
//! judged by the code it produces (ast-grep's LSP tests do the same).

// The helpers of a test fail it by panicking, as `.clippy.toml` lets `#[test]` functions do.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "lsp/client.rs"]
mod client;
#[path = "lsp/ecosystem.rs"]
mod ecosystem;
#[path = "lsp/robustness.rs"]
mod robustness;

use std::path::PathBuf;

use serde_json::{Value, json};

use client::{Lsp, Options, frame, temp_dir, uri_of, write_raw};
const EXPRESS_OK: &str = "const express = require('express');
const app = express();

app.post('/login', (req, res) => {
  res.status(200).set('Location', '/home').end();
});
";

/// Introduces `302` with an incremental change, checks the diagnostic, applies the preferred
/// quick fix as the client would and checks that the diagnostic is gone.
fn live_redirect_case(uri: &str, language: &str, before: &str, from: &str, to: &str, fixed: &str) {
    let mut lsp = Lsp::start();
    lsp.open(uri, language, before);
    assert!(lsp.diagnostics(uri, 1).is_empty(), "clean file flagged");

    let at = before.find(from).expect("the text to replace");
    let range =
        json!({"start": lsp.position(before, at), "end": lsp.position(before, at + from.len())});
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": range, "text": to}]}),
    );
    let text = before.replacen(from, to, 1);
    let diagnostics = lsp.diagnostics(uri, 2);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "redirect-changes-method");
    assert_eq!(diagnostic["source"], "http-status-ls");
    assert_eq!(diagnostic["severity"], 2);
    assert!(
        diagnostic["codeDescription"]["href"]
            .as_str()
            .is_some_and(|href| href.ends_with("redirect-changes-method.md")),
        "{diagnostic}"
    );
    let start = lsp.offset(&text, &diagnostic["range"]["start"]);
    let end = lsp.offset(&text, &diagnostic["range"]["end"]);
    let flagged = text.get(start..end).expect("a range of the text");
    assert!(flagged.ends_with(to), "{flagged}");

    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}
        }),
    );
    let actions = actions.as_array().expect("actions");
    let preferred: Vec<&Value> = actions
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{actions:?}");
    assert_eq!(preferred[0]["kind"], "quickfix");
    assert!(
        actions.iter().any(|a| a["title"]
            .as_str()
            .is_some_and(|t| t.ends_with("(suggested)"))),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|a| a["title"] == "Ignore redirect-changes-method on this line")
    );
    let after = lsp.apply(&text, &preferred[0]["edit"], uri);
    assert!(after.contains(fixed), "{after}");
    lsp.change_full(uri, 3, &after);
    assert!(lsp.diagnostics(uri, 3).is_empty(), "fix did not clear it");

    // A request about the old version (its diagnostic says v2) gets no actions.
    let stale = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]}
        }),
    );
    assert_eq!(stale, json!([]));
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A hover request at a line and UTF-16/UTF-8 character, as the client negotiated.
fn hover_line_col(lsp: &mut Lsp, uri: &str, line: usize, character: usize) -> Value {
    lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
}

/// The hover's markdown starts with `prefix` (a code's bold name).
fn assert_hover_starts(hover: &Value, prefix: &str) {
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.starts_with(prefix)),
        "{hover}"
    );
}

#[test]
fn express_post_302_live_then_fixed() {
    live_redirect_case(
        "file:///virtual/express/app.js",
        "javascript",
        EXPRESS_OK,
        "200",
        "302",
        "res.status(303)",
    );
}

#[test]
fn axum_post_found_live_then_fixed() {
    let before =
        "use axum::{Router, http::{StatusCode, header}, response::IntoResponse, routing::post};

async fn login() -> impl IntoResponse {
    (StatusCode::OK, [(header::LOCATION, \"/home\")])
}

pub fn app() -> Router {
    Router::new().route(\"/login\", post(login))
}
";
    live_redirect_case(
        "file:///virtual/axum/src/main.rs",
        "rust",
        before,
        "OK",
        "FOUND",
        "(StatusCode::SEE_OTHER,",
    );
}

#[test]
fn actix_post_found_live_then_fixed() {
    let before = "use actix_web::{post, HttpResponse};
use actix_web::http::header::LOCATION;

#[post(\"/login\")]
async fn login() -> HttpResponse {
    HttpResponse::Ok().insert_header((LOCATION, \"/home\")).finish()
}
";
    live_redirect_case(
        "file:///virtual/actix/src/main.rs",
        "rust",
        before,
        "Ok",
        "Found",
        "HttpResponse::SeeOther()",
    );
}

#[test]
fn initialize_negotiates_position_encoding() {
    let mut lsp = Lsp::spawn();
    let result = lsp.initialize(&Options {
        utf8: true,
        ..Options::default()
    });
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["serverInfo"]["name"], "http-status-ls");
    assert_eq!(result["capabilities"]["textDocumentSync"], 2);
    assert_eq!(lsp.shutdown_and_exit(), 0);

    let mut lsp = Lsp::spawn();
    let result = lsp.initialize(&Options::default());
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    let kinds = &result["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert!(
        kinds
            .as_array()
            .is_some_and(|k| k.contains(&json!("source.fixAll.http-status-ls"))),
        "{kinds}"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

fn hover_at(lsp: &mut Lsp, uri: &str, text: &str, needle: &str, delta: usize) -> Value {
    let at = text.find(needle).expect("needle") + delta;
    lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": lsp.position(text, at)}),
    )
}

#[test]
fn hover_on_a_route_lists_what_its_handler_sends() {
    let mut lsp = Lsp::start();
    let js = "const express = require('express');\nconst app = express();\napp.post('/items', (req, res) => {\n  if (!req.body) return res.status(400).end();\n  res.status(201).json({});\n});\n";
    let uri = "file:///virtual/hover-route/app.js";
    lsp.open(uri, "javascript", js);
    let route = hover_at(&mut lsp, uri, js, "post(", 1);
    let value = route["contents"]["value"].as_str().expect("markdown");
    assert_eq!(
        value,
        "**POST /items** can send `201 Created`, `400 Bad Request`"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn hover_on_number_constant_and_helper_default() {
    let mut lsp = Lsp::start();
    let js = "app.get('/a', (req, res) => {\n  if (req.query.x) return res.redirect('/b');\n  res.status(422).json({});\n});\n";
    let js_uri = "file:///virtual/hover/app.js";
    lsp.open(js_uri, "javascript", js);

    let number = hover_at(&mut lsp, js_uri, js, "422", 1);
    let value = number["contents"]["value"].as_str().expect("markdown");
    assert_eq!(number["contents"]["kind"], "markdown");
    assert!(
        value.starts_with("**422 Unprocessable Content** — 4xx Client Error"),
        "{value}"
    );
    assert!(value.contains("rfc9110"), "{value}");
    assert!(value.contains("developer.mozilla.org"), "{value}");

    let helper = hover_at(&mut lsp, js_uri, js, "redirect", 3);
    let value = helper["contents"]["value"].as_str().expect("markdown");
    assert!(
        value.contains("**302 Found** (Express default of `res.redirect`)"),
        "{value}"
    );

    // Not a status site: null.
    let nothing = hover_at(&mut lsp, js_uri, js, "query", 1);
    assert_eq!(nothing, Value::Null);

    // A Server Action's redirect answers the form post with 303; an http-errors class names
    // its own status.
    let action = "'use server';\nimport { redirect } from 'next/navigation';\nexport async function save(form) {\n  await db.save(form);\n  redirect('/done');\n}\n";
    let action_uri = "file:///virtual/hover/actions.js";
    lsp.open(action_uri, "javascript", action);
    let redirect = hover_at(&mut lsp, action_uri, action, "redirect('/done')", 2);
    let value = redirect["contents"]["value"].as_str().expect("markdown");
    assert!(value.contains("**303 See Other**"), "{value}");
    let errors = "const createError = require('http-errors');\napp.get('/a', (req, res, next) => next(new createError.NotFound()));\n";
    let errors_uri = "file:///virtual/hover/errors.js";
    lsp.open(errors_uri, "javascript", errors);
    let class = hover_at(&mut lsp, errors_uri, errors, "NotFound", 2);
    let value = class["contents"]["value"].as_str().expect("markdown");
    assert!(value.starts_with("**404 Not Found**"), "{value}");

    let rs =
        "use axum::http::StatusCode;\nasync fn h() -> StatusCode {\n    StatusCode::SEE_OTHER\n}\n";
    let rs_uri = "file:///virtual/hover/lib.rs";
    lsp.open(rs_uri, "rust", rs);
    let constant = hover_at(&mut lsp, rs_uri, rs, "SEE_OTHER", 2);
    let value = constant["contents"]["value"].as_str().expect("markdown");
    assert!(
        value.starts_with("**303 See Other** — 3xx Redirection"),
        "{value}"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn fix_all_applies_every_safe_fix() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/fixall/app.js";
    let text = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\napp.post('/b', (req, res) => {\n  res.redirect('/c');\n});\n";
    lsp.open(uri, "javascript", text);
    assert_eq!(lsp.diagnostics(uri, 1).len(), 2);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    let actions = actions.as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.http-status-ls");
    let fixed = lsp.apply(text, &actions[0]["edit"], uri);
    assert_eq!(
        fixed,
        "app.post('/a', (req, res) => {\n  res.status(303).location('/x').end();\n});\napp.post('/b', (req, res) => {\n  res.redirect(303, '/c');\n});\n"
    );
    lsp.change_full(uri, 2, &fixed);
    assert!(lsp.diagnostics(uri, 2).is_empty());
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn inlay_hints_after_bare_numbers() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/inlay/app.ts";
    let text =
        "app.get('/a', (req, res) => {\n  res.status(422).json({});\n  res.sendStatus(404);\n});\n";
    lsp.open(uri, "typescript", text);
    let hints = lsp.request(
        "textDocument/inlayHint",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 10, "character": 0}}
        }),
    );
    let hints = hints.as_array().expect("hints");
    let end_422 = text.find("422").expect("422") + 3;
    assert!(
        hints.iter().any(|h| h["label"] == "Unprocessable Content"
            && h["position"] == lsp.position(text, end_422)),
        "{hints:?}"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn completion_of_numbers_and_constants() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/complete/app.js";
    let text = "app.get('/a', (req, res) => {\n  res.status(30\n});\n";
    lsp.open(uri, "javascript", text);
    let at = text.find("(30").expect("(30") + 3;
    let result = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": lsp.position(text, at)}),
    );
    let items = result.as_array().expect("items");
    let see_other = items
        .iter()
        .find(|i| i["label"] == "303")
        .expect("303 offered");
    assert_eq!(see_other["detail"], "303 See Other");
    assert!(
        see_other["documentation"]["value"]
            .as_str()
            .is_some_and(|d| d.contains("**303 See Other**"))
    );
    assert!(
        items
            .iter()
            .all(|i| i["label"].as_str().is_some_and(|l| l.starts_with("30")))
    );

    let rs_uri = "file:///virtual/complete/lib.rs";
    let rs = "fn h() -> StatusCode {\n    StatusCode::\n}\n";
    lsp.open(rs_uri, "rust", rs);
    let at = rs.find("::\n").expect("::") + 2;
    let result = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": rs_uri}, "position": lsp.position(rs, at)}),
    );
    let items = result.as_array().expect("items");
    assert!(
        items
            .iter()
            .any(|i| i["label"] == "SEE_OTHER" && i["detail"] == "303 See Other"),
        "{items:?}"
    );
    // Not a status position: nothing.
    let result = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
    );
    assert_eq!(result, Value::Null);
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn utf16_positions_after_an_emoji() {
    let text =
        "app.post('/a', (req, res) => {\n  /* 🚀 é */ res.status(302).location('/x').end();\n});\n";
    for utf8 in [false, true] {
        let mut lsp = Lsp::start_with(Options {
            utf8,
            ..Options::default()
        });
        let uri = "file:///virtual/emoji/app.js";
        lsp.open(uri, "javascript", text);
        let diagnostics = lsp.diagnostics(uri, 1);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        // `  /* 🚀 é */ res.status(` is 24 bytes in UTF-8 minus... count explicitly.
        let prefix = "  /* 🚀 é */ res.status(";
        let expected = if utf8 {
            prefix.len()
        } else {
            prefix.encode_utf16().count()
        };
        assert_eq!(
            diagnostics[0]["range"]["start"],
            json!({"line": 1, "character": expected}),
            "utf8={utf8}"
        );
        let hover = hover_line_col(&mut lsp, uri, 1, expected + 1);
        assert_hover_starts(&hover, "**302 Found**");
        assert_eq!(lsp.shutdown_and_exit(), 0);
    }
}

#[test]
fn cross_file_method_with_progress() {
    let root = temp_dir("cross");
    std::fs::create_dir_all(root.join("src/handlers")).expect("dirs");
    std::fs::create_dir_all(root.join("src/routes")).expect("dirs");
    let handler = "exports.create = async (req, res) => {\n  await db.insert(req.body);\n  res.redirect('/users');\n};\n";
    let routes = "const { Router } = require('express');\nconst users = require('../handlers/users');\nconst router = Router();\n\nrouter.post('/users', users.create);\n\nmodule.exports = router;\n";
    let handler_path = root.join("src/handlers/users.js");
    let routes_path = root.join("src/routes/users.js");
    std::fs::write(&handler_path, handler).expect("write");
    std::fs::write(&routes_path, routes).expect("write");

    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        ..Options::default()
    });
    // Progress: the token is created first, then begin … end.
    lsp.wait_for("workDoneProgress/create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    lsp.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    lsp.wait_for("progress report", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "report"
    });
    lsp.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });

    let uri = uri_of(&handler_path);
    lsp.open(&uri, "javascript", handler);
    let diagnostics = lsp.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "redirect-changes-method");
    let related = diagnostics[0]["relatedInformation"]
        .as_array()
        .expect("related information");
    let registration = routes.find("router.post").expect("router.post");
    assert!(
        related
            .iter()
            .any(|r| r["location"]["uri"] == uri_of(&routes_path)
                && r["location"]["range"]["start"]["line"]
                    == lsp.position(routes, registration)["line"]),
        "{related:?}"
    );

    // The routes file stops registering it for POST (on disk, announced by the watcher).
    std::fs::write(&routes_path, routes.replace("router.post", "router.get")).expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&routes_path), "type": 2}]}),
    );
    let cleared = lsp.wait_for("diagnostics cleared after the routes file changed", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"] == json!([])
    });
    assert_eq!(cleared["params"]["version"], 1);

    // Open in the editor, the routes file's unsaved text counts: back to POST, flagged again.
    let routes_uri = uri_of(&routes_path);
    let on_disk = routes.replace("router.post", "router.get");
    lsp.open(&routes_uri, "javascript", &on_disk);
    lsp.change_full(&routes_uri, 2, routes);
    let flagged = lsp.wait_for("diagnostics back after editing the open routes file", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.len() == 1)
    });
    assert_eq!(
        flagged["params"]["diagnostics"][0]["relatedInformation"][0]["location"]["uri"],
        routes_uri
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn bad_input_never_kills_the_server() {
    let mut lsp = Lsp::start();
    // A frame whose body is not JSON, then one that is JSON but not JSON-RPC.
    write_raw(&lsp.stdin, &frame("{not json"));
    write_raw(&lsp.stdin, &frame("[1, 2, 3]"));
    // Unknown method: an error response, not a crash.
    let unknown = lsp.request_raw("http-status-ls/nonsense", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // Requests about documents that were never opened.
    let hover = hover_line_col(&mut lsp, "file:///nowhere.js", 0, 0);
    assert_eq!(hover, Value::Null);
    // Edits for an unopened document are ignored.
    lsp.change_full("file:///nowhere.js", 2, "x");
    // Out-of-range positions are clamped.
    let uri = "file:///virtual/bad/app.js";
    lsp.open(uri, "javascript", "res.status(302);\n");
    let hover = hover_line_col(&mut lsp, uri, 999, 999);
    assert_eq!(hover, Value::Null);
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{
            "range": {"start": {"line": 0, "character": 500}, "end": {"line": 70, "character": 3}},
            "text": "// tail"
        }]}),
    );
    let hints = lsp.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 5, "character": 9}, "end": {"line": 0, "character": 0}}}),
    );
    assert!(hints.is_array() || hints.is_null());
    // After all that, a valid request still gets its answer.
    let hover = hover_line_col(&mut lsp, uri, 0, 12);
    assert_hover_starts(&hover, "**302 Found**");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn did_close_clears_diagnostics() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/close/app.js";
    lsp.open(
        uri,
        "javascript",
        "app.post('/a', (req, res) => { res.status(302).location('/x').end(); });\n",
    );
    assert_eq!(lsp.diagnostics(uri, 1).len(), 1);
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = lsp.wait_for("cleared diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"] == json!([])
    });
    assert!(cleared["params"]["version"].is_null());
    let hover = hover_line_col(&mut lsp, uri, 0, 43);
    assert_eq!(hover, Value::Null);
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn exit_codes_follow_the_spec() {
    let lsp = Lsp::start();
    assert_eq!(lsp.shutdown_and_exit(), 0);

    let mut lsp = Lsp::start();
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.exit_code(), 1);

    // `--stdio` is the same server.
    let mut lsp = Lsp::spawn_with_args(&["--stdio"]);
    let result = lsp.initialize(&Options::default());
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(lsp.shutdown_and_exit(), 0);

    // End of input without `shutdown`: 1.
    let lsp = Lsp::start();
    drop(lsp.stdin.lock().expect("stdin lock").take());
    assert_eq!(lsp.exit_code(), 1);
}

#[test]
fn suppression_comment_silences_the_line() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/ignore/app.js";
    let text = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";
    lsp.open(uri, "javascript", text);
    let diagnostics = lsp.diagnostics(uri, 1);
    assert_eq!(diagnostics.len(), 1);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics}
        }),
    );
    let ignore = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "Ignore redirect-changes-method on this line")
        .expect("ignore action")
        .clone();
    let after = lsp.apply(text, &ignore["edit"], uri);
    assert!(
        after.contains("  // http-status-ls-ignore: redirect-changes-method\n  res.status(302)")
    );
    lsp.change_full(uri, 2, &after);
    assert!(lsp.diagnostics(uri, 2).is_empty());

    // The same for the whole file.
    lsp.change_full(uri, 3, text);
    assert_eq!(lsp.diagnostics(uri, 3).len(), 1);
    let ignore_file = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "Ignore redirect-changes-method in this file")
        .expect("ignore-file action")
        .clone();
    let after = lsp.apply(text, &ignore_file["edit"], uri);
    assert!(after.starts_with("// http-status-ls-ignore-file: redirect-changes-method\n"));
    lsp.change_full(uri, 4, &after);
    assert!(lsp.diagnostics(uri, 4).is_empty());
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn a_burst_of_incremental_edits_lands_in_order() {
    // 150 single-character edits sent back to back, with multibyte text around them; the
    // server's copy must equal ours, which the final inlay hints and diagnostics prove.
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/burst/app.js";
    let mut text = String::from(
        "// é🚀\napp.post('/a', (req, res) => {\n  res.status(200).location('/x').end(); // ü\n});\n",
    );
    lsp.open(uri, "javascript", &text);
    let anchor = text.find("// ü").expect("anchor");
    let mut version = 1;
    for i in 0..150 {
        version += 1;
        let at = anchor;
        let range = json!({"start": lsp.position(&text, at), "end": lsp.position(&text, at)});
        let insert = ["x", "é", "🚀"][i % 3];
        text.insert_str(at, insert);
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": insert}]}),
        );
    }
    // And the status itself, last.
    version += 1;
    let at = text.find("200").expect("200");
    let range = json!({"start": lsp.position(&text, at), "end": lsp.position(&text, at + 3)});
    text.replace_range(at..at + 3, "302");
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": "302"}]}),
    );
    let diagnostics = lsp.diagnostics(uri, version);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let start = lsp.offset(&text, &diagnostics[0]["range"]["start"]);
    assert_eq!(text.get(start..start + 3), Some("302"));
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll.http-status-ls"]}
        }),
    );
    let fixed = lsp.apply(&text, &actions[0]["edit"], uri);
    assert_eq!(fixed, text.replace("302", "303"));
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// The diagnostics of a document after each kind of edit (inside one statement, breaking and
/// mending the syntax, adding and removing statements; sent as a range or as the whole text)
/// are those of the same text opened fresh: what the server reuses between versions never
/// shows.
#[test]
fn edited_document_publishes_what_a_fresh_open_publishes() {
    edits_publish_what_a_fresh_open_publishes(false);
}

/// The same, with the routes registered inside one exported function: the server reads such a
/// statement one inner statement at a time once both readings agree (`chunks::nested`), and
/// the edits above go inside, across and between its inner statements.
#[test]
fn edits_inside_a_wrapping_function_publish_what_a_fresh_open_publishes() {
    edits_publish_what_a_fresh_open_publishes(true);
}

fn edits_publish_what_a_fresh_open_publishes(wrapped: bool) {
    let mut lsp = Lsp::start();
    let shape = if wrapped { "wrapped" } else { "flat" };
    let uri = format!("file:///virtual/edits/{shape}/routes.js");
    let uri = uri.as_str();
    let mut text = String::from("const express = require('express');\n");
    text.push_str(if wrapped {
        "module.exports = function register(app) {\n"
    } else {
        "const app = express();\n"
    });
    for i in 0..30 {
        let method = ["get", "post"][i % 2];
        text.push_str(&format!(
            "// route {i} — é🚀\napp.{method}('/r/{i}', (req, res) => {{\n  if (!req.user) {{\n    return res.status(403).json({{ error: 'x' }});\n  }}\n  res.status(201).json({{}});\n}});\n"
        ));
    }
    if wrapped {
        text.push_str("};\n");
    }
    lsp.open(uri, "javascript", &text);
    let comparable = |diagnostics: &[Value]| {
        let mut found: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{} {} {}", d["range"], d["code"], d["message"]))
            .collect();
        found.sort();
        found
    };
    let mut version = 1;
    let edits: [(&str, &str); 8] = [
        ("res.status(201)", "res.status(302)"),
        ("json({})", "json({ ok: false, error: 'lost' })"),
        (
            "'/r/7', (req, res) => {\n",
            "'/r/7', (req, res) => {\n  res.redirect('/login');\n",
        ),
        ("return res.status(403)", "return res.status(401)"),
        ("});\n// route 12", "\n// route 12"),
        ("\n// route 12", "});\n// route 12"),
        ("app.post('/r/9'", "app.get('/r/9'"),
        (
            "// route 20",
            "app.post('/new', (req, res) => res.redirect('/x'));\n// route 20",
        ),
    ];
    for (number, (from, to)) in edits.iter().enumerate() {
        let Some(at) = text.find(from) else {
            continue;
        };
        version += 1;
        let range =
            json!({"start": lsp.position(&text, at), "end": lsp.position(&text, at + from.len())});
        text.replace_range(at..at + from.len(), to);
        // Every other change is sent as the whole text, as a client without incremental sync
        // does.
        let change = if number % 2 == 1 {
            json!({"text": text})
        } else {
            json!({"range": range, "text": to})
        };
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        let edited = lsp.diagnostics(uri, version);
        let fresh_uri = format!("file:///virtual/edits/{shape}/fresh{number}.js");
        lsp.open(&fresh_uri, "javascript", &text);
        let fresh = lsp.diagnostics(&fresh_uri, 1);
        assert!(!fresh.is_empty());
        assert_eq!(
            comparable(&edited),
            comparable(&fresh),
            "after replacing {from:?} with {to:?}"
        );
    }
}

#[test]
fn pull_diagnostics_when_the_client_asks() {
    let mut lsp = Lsp::start_with(Options {
        pull: true,
        ..Options::default()
    });
    let uri = "file:///virtual/pull/app.js";
    let text = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";
    lsp.open(uri, "javascript", text);
    let report = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full", "{report}");
    let items = report["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{report}");
    assert_eq!(items[0]["code"], "redirect-changes-method");
    // Same version, same index: unchanged.
    let again = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": report["resultId"]}),
    );
    assert_eq!(again["kind"], "unchanged", "{again}");
    lsp.change_full(uri, 2, &text.replace("302", "303"));
    let fixed = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": report["resultId"]}),
    );
    assert_eq!(fixed["kind"], "full");
    assert_eq!(fixed["items"], json!([]));
    // Nothing was pushed for the document.
    assert!(
        !lsp.log
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{:?}",
        lsp.log
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn settings_change_severity_live() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/settings/app.js";
    let text = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";
    lsp.open(uri, "javascript", text);
    assert_eq!(lsp.diagnostics(uri, 1)[0]["severity"], 2);
    // VS Code sends the whole section, nested under its name.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"http-status-ls": {"rules": {"redirect-changes-method": "error"}}}}),
    );
    lsp.wait_for("error severity", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"][0]["severity"] == 1
    });
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"redirect-changes-method": "off"}, "inlayHints": {"enable": false}}}),
    );
    lsp.wait_for("rule off", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"] == json!([])
    });
    let hints = lsp.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
    );
    assert_eq!(hints, json!([]));
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// `http-status-ls.toml` in the editor: the nearest file sets the levels of a document's
/// diagnostics, its bad key is shown once (`window/showMessage`) and logged with its line, a
/// change on disk announced by the watcher re-publishes, and client settings win over the file.
#[test]
fn a_project_contract_checks_the_open_document_and_its_route_hover() {
    let root = temp_dir("contract");
    std::fs::create_dir_all(root.join("src")).expect("dirs");
    std::fs::write(root.join("package.json"), "{}").expect("write");
    std::fs::write(
        root.join("openapi.yaml"),
        "openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\npaths:\n  /items:\n    post:\n      responses:\n        \"201\": { description: Created }\n",
    )
    .expect("write");
    let text = "const express = require('express');\nconst app = express();\napp.post('/items', (req, res) => {\n  if (!req.body) return res.status(409).end();\n  res.status(201).json({});\n});\n";
    let app_path = root.join("src/app.js");
    std::fs::write(&app_path, text).expect("write");
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        ..Options::default()
    });
    let uri = uri_of(&app_path);
    lsp.open(&uri, "javascript", text);
    let diagnostics = lsp.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "undeclared-status");
    let route = hover_at(&mut lsp, &uri, text, "post(", 1);
    let value = route["contents"]["value"].as_str().expect("markdown");
    assert!(value.contains("openapi.yaml declares 201"), "{value}");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// An in-code contract written in the handler's file (@nestjs/swagger) gets the suggested fix
/// that declares the undeclared status as a code action; applying it clears the diagnostic.
#[test]
fn undeclared_status_in_an_in_code_contract_offers_declaring_it() {
    let root = temp_dir("in-code-contract");
    std::fs::create_dir_all(root.join("src")).expect("dirs");
    std::fs::write(root.join("package.json"), "{}").expect("write");
    let text = "import { Body, Controller, HttpException, Post } from '@nestjs/common';\nimport { ApiCreatedResponse } from '@nestjs/swagger';\n\n@Controller('items')\nexport class ItemsController {\n  @Post()\n  @ApiCreatedResponse({ description: 'Created' })\n  create(@Body() body: unknown) {\n    if (!body) {\n      throw new HttpException('exists', 409);\n    }\n    return body;\n  }\n}\n";
    let path = root.join("src/items.controller.ts");
    std::fs::write(&path, text).expect("write");
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        ..Options::default()
    });
    let uri = uri_of(&path);
    lsp.open(&uri, "typescript", text);
    let diagnostics = lsp.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "undeclared-status");
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": [diagnostics[0]], "only": ["quickfix"]}
        }),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    let declare = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t == "Declare 409 Conflict in @ApiResponse (suggested)")
        })
        .unwrap_or_else(|| panic!("no declaring action: {actions:?}"));
    let after = lsp.apply(text, &declare["edit"], &uri);
    assert!(
        after.contains(
            "  @ApiResponse({ status: 409, description: 'Conflict' })\n  @ApiCreatedResponse"
        ),
        "{after}"
    );
    assert!(
        after.contains("import { ApiResponse, ApiCreatedResponse }"),
        "{after}"
    );
    lsp.change_full(&uri, 2, &after);
    assert!(
        lsp.diagnostics(&uri, 2).is_empty(),
        "the fix did not clear it"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A contract document with a problem (a `$ref` that points nowhere) gets it as a diagnostic
/// at its position, once a document of its project is analysed; the rest of the contract still
/// checks the open document.
#[test]
fn a_bad_contract_documents_problems_are_diagnostics_on_it() {
    let root = temp_dir("bad-contract");
    std::fs::create_dir_all(root.join("src")).expect("dirs");
    std::fs::write(root.join("package.json"), "{}").expect("write");
    let contract_path = root.join("openapi.yaml");
    std::fs::write(
        &contract_path,
        "openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\npaths:\n  /items:\n    post:\n      responses:\n        \"201\": { description: Created }\n  /orders:\n    get:\n      responses:\n        \"200\": { $ref: \"#/components/responses/Missing\" }\n",
    )
    .expect("write");
    let text = "const express = require('express');\nconst app = express();\napp.post('/items', (req, res) => {\n  if (!req.body) return res.status(409).end();\n  res.status(201).json({});\n});\n";
    let app_path = root.join("src/app.js");
    std::fs::write(&app_path, text).expect("write");
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        ..Options::default()
    });
    let uri = uri_of(&app_path);
    lsp.open(&uri, "javascript", text);
    let contract_uri = uri_of(&contract_path);
    let published = lsp.wait_for("the contract's diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == contract_uri
    });
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    // At the `$ref` value: 0-based line 10, after `        "200": { $ref: `.
    let start = &diagnostics[0]["range"]["start"];
    assert_eq!(
        (start["line"].clone(), start["character"].clone()),
        (json!(10), json!(23))
    );
    assert_eq!(diagnostics[0]["severity"], 1);
    let own = lsp.diagnostics(&uri, 1);
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["code"], "undeclared-status");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A project whose `openapi.yaml` has one problem (a `$ref` that points nowhere, at 0-based
/// line 6) and an Express app that answers the documented route: the root, the contract's and
/// the app's paths, and the app's text.
fn pulled_contract_project(name: &str) -> (PathBuf, PathBuf, PathBuf, &'static str) {
    let root = temp_dir(name);
    std::fs::create_dir_all(root.join("src")).expect("dirs");
    std::fs::write(root.join("package.json"), "{}").expect("write");
    let contract_path = root.join("openapi.yaml");
    std::fs::write(&contract_path, GONE_REF_CONTRACT).expect("write");
    let text = "const express = require('express');\nconst app = express();\napp.post('/items', (req, res) => {\n  res.status(201).json({});\n});\n";
    let app_path = root.join("src/app.js");
    std::fs::write(&app_path, text).expect("write");
    (root, contract_path, app_path, text)
}

const GONE_REF_CONTRACT: &str = "openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\npaths:\n  /items:\n    post:\n      responses:\n        \"201\": { $ref: \"#/components/responses/Gone\" }\n";

/// A client that pulls diagnostics and takes related documents gets a bad contract document's
/// problems as a related document of each pull of a project file, and as the items of a pull
/// of the contract itself; nothing is pushed.
#[test]
fn a_pulling_client_gets_the_contract_problems_as_related_documents() {
    let (root, contract_path, app_path, text) = pulled_contract_project("bad-contract-pull");
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        pull: true,
        related: true,
        ..Options::default()
    });
    let uri = uri_of(&app_path);
    lsp.open(&uri, "javascript", text);
    let report = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full", "{report}");
    let contract_uri = uri_of(&contract_path);
    let related = &report["relatedDocuments"][contract_uri.as_str()];
    assert_eq!(related["kind"], "full", "{report}");
    let problems = related["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(problems.len(), 1, "{report}");
    assert!(
        problems[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Gone")),
        "{report}"
    );
    assert_eq!(problems[0]["range"]["start"]["line"], 6);
    // The contract document pulled itself: its problems are its items.
    let own = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": contract_uri}}),
    );
    assert_eq!(own["items"], related["items"], "{own}");
    // Once the document reads well, the next pull clears it.
    std::fs::write(
        &contract_path,
        "openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\npaths:\n  /items:\n    post:\n      responses:\n        \"201\": { description: Created }\n",
    )
    .expect("write");
    let again = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": report["resultId"]}),
    );
    assert_eq!(
        again["relatedDocuments"][contract_uri.as_str()]["items"],
        json!([]),
        "{again}"
    );
    assert!(
        !lsp.log
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{:?}",
        lsp.log
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A client that pulls without related documents (VS Code's) is pushed the contract's
/// problems: it never pulls the contract document, which is not one it hands to the server.
#[test]
fn a_pulling_client_without_related_documents_is_pushed_the_contract_problems() {
    let (root, contract_path, app_path, text) = pulled_contract_project("bad-contract-pull-push");
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        pull: true,
        ..Options::default()
    });
    let uri = uri_of(&app_path);
    lsp.open(&uri, "javascript", text);
    let report = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full", "{report}");
    assert!(report["relatedDocuments"].is_null(), "{report}");
    let contract_uri = uri_of(&contract_path);
    let published = lsp.wait_for("the contract's diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == contract_uri
    });
    assert_eq!(
        published["params"]["diagnostics"].as_array().map(Vec::len),
        Some(1),
        "{published}"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

#[test]
fn config_file_sets_severities_and_changes_republish() {
    let root = temp_dir("config-file");
    std::fs::create_dir_all(root.join("src")).expect("dirs");
    let config_path = root.join("http-status-ls.toml");
    std::fs::write(
        &config_path,
        "# Project settings for http-status-ls.\nrulez = \"typo\"\n\n[rules]\nredirect-changes-method = \"off\"\nbody-on-bodiless-status = \"warning\"\n",
    )
    .expect("write");
    let text = "const express = require('express');\nconst app = express();\n\napp.post('/login', (req, res) => {\n  res.redirect('/home');\n});\n\napp.delete('/items/:id', (req, res) => {\n  res.status(204).json({ deleted: true });\n});\n";
    let app_path = root.join("src/app.js");
    std::fs::write(&app_path, text).expect("write");

    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        ..Options::default()
    });
    let registration = lsp.wait_for("watcher registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers = registration["params"]["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        watchers
            .iter()
            .any(|w| w["globPattern"] == "**/http-status-ls.toml"),
        "{watchers:?}"
    );

    let uri = uri_of(&app_path);
    lsp.open(&uri, "javascript", text);
    let diagnostics = lsp.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "body-on-bodiless-status");
    assert_eq!(diagnostics[0]["severity"], 2, "re-levelled to warning");
    let shown = lsp.wait_for("the bad key shown", |m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 2);
    let message = shown["params"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("line 2") && message.contains("unknown key `rulez`"),
        "{message}"
    );
    let logged = lsp.wait_for("the bad key logged", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"].as_str().is_some_and(|t| {
                t.contains("http-status-ls.toml:2:1: warning: unknown key `rulez`")
            })
    });
    assert_eq!(logged["params"]["type"], 2);

    // The file changes on disk: the redirect rule comes back as an error, the body rule becomes
    // a hint, and a new bad value is shown.
    std::fs::write(
        &config_path,
        "inlay-hints = \"no\"\n\n[rules]\nredirect-changes-method = \"error\"\nbody-on-bodiless-status = \"hint\"\n",
    )
    .expect("write");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&config_path), "type": 2}]}),
    );
    let republished = lsp.wait_for("diagnostics after the config changed", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.len() == 2)
    });
    let levels: Vec<(String, i64)> = republished["params"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        vec![
            ("redirect-changes-method".to_string(), 1),
            ("body-on-bodiless-status".to_string(), 4)
        ]
    );
    let shown = lsp.wait_for("the new problem shown", |m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("`inlay-hints` must be true or false"))
    });
    assert_eq!(shown["params"]["type"], 2);

    // Client settings override the file, rule by rule.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"http-status-ls": {"rules": {"redirect-changes-method": "info"}}}}),
    );
    lsp.wait_for("client level over the file", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"][0]["severity"] == 3
            && m["params"]["diagnostics"][1]["severity"] == 4
    });

    // The config file goes away: defaults again.
    std::fs::remove_file(&config_path).expect("remove");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&config_path), "type": 3}]}),
    );
    lsp.wait_for("defaults after the config was deleted", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"][1]["code"] == "body-on-bodiless-status"
            && m["params"]["diagnostics"][1]["severity"] == 1
    });
    assert_eq!(lsp.shutdown_and_exit(), 0);
    let _ = std::fs::remove_dir_all(&root);
}

/// A config that excludes a file leaves its document without diagnostics, and `[frameworks]`
/// turns a framework's sites off.
#[test]
fn config_file_excludes_and_turns_frameworks_off() {
    let root = temp_dir("config-exclude");
    std::fs::create_dir_all(root.join("src/generated")).expect("dirs");
    std::fs::write(
        root.join("http-status-ls.toml"),
        "exclude = [\"generated/\"]\n\n[frameworks]\nkoa = false\n",
    )
    .expect("write");
    let express = "app.delete('/items/:id', (req, res) => {\n  res.status(204).json({ deleted: true });\n});\n";
    let koa = "router.delete('/items/:id', (ctx) => {\n  ctx.status = 204;\n  ctx.body = { deleted: true };\n});\n";
    let excluded = root.join("src/generated/client.js");
    let koa_path = root.join("src/koa.js");
    let kept = root.join("src/app.js");
    for (path, text) in [(&excluded, express), (&koa_path, koa), (&kept, express)] {
        std::fs::write(path, text).expect("write");
    }
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        ..Options::default()
    });
    let kept_uri = uri_of(&kept);
    lsp.open(&kept_uri, "javascript", express);
    assert_eq!(lsp.diagnostics(&kept_uri, 1).len(), 1);
    let excluded_uri = uri_of(&excluded);
    lsp.open(&excluded_uri, "javascript", express);
    assert!(lsp.diagnostics(&excluded_uri, 1).is_empty());
    let koa_uri = uri_of(&koa_path);
    lsp.open(&koa_uri, "javascript", koa);
    assert!(lsp.diagnostics(&koa_uri, 1).is_empty());
    assert_eq!(lsp.shutdown_and_exit(), 0);
    let _ = std::fs::remove_dir_all(&root);
}

/// The catalogue's header and context rules over the real connection: a `405` without `Allow`
/// is diagnosed and its "Add `Allow`" action lists the path's methods and clears it; a NestJS
/// `UnauthorizedException` for a permission check switches class and gains its import.
#[test]
fn header_and_context_rules_with_their_fixes() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/allow/app.js";
    let text = "const express = require('express');\nconst app = express();\napp.get('/items', (req, res) => res.json([]));\napp.all('/items', (req, res) => {\n  res.status(405).end();\n});\n";
    lsp.open(uri, "javascript", text);
    let diagnostics = lsp.diagnostics(uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "method-not-allowed-without-allow");
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": [diagnostics[0]], "only": ["quickfix"]}
        }),
    );
    let add = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "Add Allow: GET, HEAD (suggested)")
        .unwrap_or_else(|| panic!("{actions:?}"))
        .clone();
    let after = lsp.apply(text, &add["edit"], uri);
    assert!(
        after.contains("res.status(405).set('Allow', 'GET, HEAD').end();"),
        "{after}"
    );
    lsp.change_full(uri, 2, &after);
    assert!(lsp.diagnostics(uri, 2).is_empty());

    let uri = "file:///virtual/nest/posts.controller.ts";
    let text = "import { Controller, Delete, Req, UnauthorizedException } from '@nestjs/common';\n@Controller('posts')\nexport class PostsController {\n  @Delete(':id')\n  remove(@Req() req) {\n    if (!req.user.roles.includes('admin')) {\n      throw new UnauthorizedException();\n    }\n  }\n}\n";
    lsp.open(uri, "typescript", text);
    let diagnostics = lsp.diagnostics(uri, 1);
    let forbidden = diagnostics
        .iter()
        .find(|d| d["code"] == "forbidden-as-unauthorized")
        .unwrap_or_else(|| panic!("{diagnostics:?}"))
        .clone();
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": forbidden["range"],
            "context": {"diagnostics": [forbidden], "only": ["quickfix"]}
        }),
    );
    let switch = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "Use 403 Forbidden (suggested)")
        .unwrap_or_else(|| panic!("{actions:?}"))
        .clone();
    let after = lsp.apply(text, &switch["edit"], uri);
    assert!(
        after.starts_with("import { Controller, Delete, Req, UnauthorizedException, ForbiddenException } from '@nestjs/common';"),
        "{after}"
    );
    assert!(after.contains("throw new ForbiddenException();"), "{after}");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A handler's `401` in one file, the helper it calls reading the `Authorization` header in
/// another that holds no status at all: the server's index keeps that helper (a file whose only
/// facts are credential checks) and lends its words, so the open route gets the challenge hint.
#[test]
fn a_credential_helper_in_another_file_puts_the_open_route_under_http_auth() {
    let root = temp_dir("credential");
    std::fs::create_dir_all(root.join("src/lib")).expect("dirs");
    let helper = "function verifyKey(req) {\n  const header = req.headers.authorization || '';\n  return header === 'Bearer ' + process.env.KEY;\n}\nmodule.exports = { verifyKey };\n";
    std::fs::write(root.join("src/lib/auth.js"), helper).expect("write");
    let text = "const express = require('express');\nconst { verifyKey } = require('./lib/auth');\nconst app = express();\napp.post('/chat', (req, res) => {\n  if (!verifyKey(req)) return res.status(401).json({ error: 'no' });\n  res.json({});\n});\n";
    let app_path = root.join("src/app.js");
    std::fs::write(&app_path, text).expect("write");
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        ..Options::default()
    });
    let uri = uri_of(&app_path);
    lsp.open(&uri, "javascript", text);
    // The first diagnostics may come before the background index has read the helper; the
    // server publishes again once it has.
    let published = lsp.wait_for("the challenge hint", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"][0]["code"] == "unauthorized-without-challenge"
    });
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(lsp.shutdown_and_exit(), 0);
    let _ = std::fs::remove_dir_all(&root);
}
