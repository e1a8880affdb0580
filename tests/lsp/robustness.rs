//! Never lose a finding or the session: bad frames, text that changes under an analysis,
//! files too large to analyse, and malformed messages, each over the real stdio connection.

use serde_json::{Value, json};

use super::client::{Lsp, Options, write_raw};

const POST_302: &str =
    "// é\napp.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";

fn did_open(uri: &str, text: &str) -> String {
    json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "javascript", "version": 1, "text": text}
    }})
    .to_string()
}

fn hover_request(id: i64, uri: &str, line: u32, character: u32) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": character}
    }})
    .to_string()
}

fn response(lsp: &mut Lsp, id: Value) -> Value {
    lsp.wait_for(&format!("the response to {id}"), |m| {
        m["id"] == id && m.get("method").is_none()
    })
}

fn hover_value(reply: &Value) -> &str {
    reply["result"]["contents"]["value"].as_str().unwrap_or("")
}

/// A `Content-Length` that counts characters, one that is too long, a missing one and one
/// over the limit: each costs at most its own frame, and the session goes on answering.
#[test]
fn a_bad_content_length_costs_at_most_its_frame() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/frames/app.js";
    // Too short: the client counted characters, and `é` is two bytes.
    let open = did_open(uri, POST_302);
    let short = format!("Content-Length: {}\r\n\r\n{open}", open.chars().count());
    write_raw(&lsp.stdin, short.as_bytes());
    assert_eq!(lsp.diagnostics(uri, 1).len(), 1, "the didOpen was lost");

    // Too long, and the client waits for the answer: nothing more arrives.
    let hover = hover_request(101, uri, 2, 14);
    let long = format!("Content-Length: {}\r\n\r\n{hover}", hover.len() + 40);
    write_raw(&lsp.stdin, long.as_bytes());
    let reply = response(&mut lsp, json!(101));
    assert!(hover_value(&reply).starts_with("**302 Found**"), "{reply}");

    // Missing.
    let hover = hover_request(102, uri, 2, 14);
    let missing = format!("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{hover}");
    write_raw(&lsp.stdin, missing.as_bytes());
    let reply = response(&mut lsp, json!(102));
    assert!(hover_value(&reply).starts_with("**302 Found**"), "{reply}");

    // Over 64 MiB: refused without being read; the next request is answered.
    let huge = format!(
        "Content-Length: {}\r\n\r\n{{\"jsonrpc\":\"2.0\",\"id\":103,\"method\":\"x\"}}",
        80 * 1024 * 1024
    );
    write_raw(&lsp.stdin, huge.as_bytes());
    let refused = lsp.wait_for("the oversized frame refused", |m| {
        m["error"]["code"] == -32600
            && m["error"]["message"]
                .as_str()
                .is_some_and(|text| text.contains("over the limit"))
    });
    assert_eq!(refused["id"], Value::Null);
    let hover = hover_request(104, uri, 2, 14);
    write_raw(&lsp.stdin, super::client::frame(&hover).as_slice());
    let reply = response(&mut lsp, json!(104));
    assert!(hover_value(&reply).starts_with("**302 Found**"), "{reply}");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A lone surrogate in the text (not Unicode, so not JSON text either) is read as U+FFFD and
/// the document analysed, instead of the whole `didOpen` being dropped.
#[test]
fn a_lone_surrogate_does_not_drop_the_document() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/surrogate/app.js";
    let open = did_open(uri, &POST_302.replace('é', "LONE")).replace("LONE", "\\ud800");
    write_raw(&lsp.stdin, super::client::frame(&open).as_slice());
    let diagnostics = lsp.diagnostics(uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    // U+FFFD is one UTF-16 unit, like the surrogate it replaced: positions stay the client's.
    let reply = lsp.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 14}}),
    );
    assert!(hover_value(&reply).starts_with("**302 Found**"), "{reply}");
    lsp.wait_for("the repair logged", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|text| text.contains("U+FFFD"))
    });
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A `$/` request the server does not know is answered `-32601`, not dropped as if it were a
/// notification.
#[test]
fn an_unknown_dollar_request_is_answered() {
    let mut lsp = Lsp::start();
    lsp.send(json!({"jsonrpc": "2.0", "id": 41, "method": "$/unknownRequest", "params": {}}));
    let reply = response(&mut lsp, json!(41));
    assert_eq!(reply["error"]["code"], -32601, "{reply}");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// An error reply echoes the request's id whenever it can be read; `null` only when not.
#[test]
fn error_replies_echo_readable_ids() {
    let mut lsp = Lsp::start();
    // A number that is not an integer is still an id that can be read.
    lsp.send(json!({"jsonrpc": "2.0", "id": 4.5, "method": "textDocument/hover", "params": {}}));
    let reply = response(&mut lsp, json!(4.5));
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    // A message cut short whose id is readable gets its parse error with that id.
    let cut = r#"{"jsonrpc":"2.0","id":43,"method":"textDocument/hover","params":{"#;
    write_raw(&lsp.stdin, super::client::frame(cut).as_slice());
    let reply = response(&mut lsp, json!(43));
    assert_eq!(reply["error"]["code"], -32700, "{reply}");
    // An id that is no id at all: `null`.
    lsp.send(json!({"jsonrpc": "2.0", "id": {"no": 1}, "method": "textDocument/hover"}));
    let reply = lsp.wait_for("the reply to an unreadable id", |m| {
        m["error"]["code"] == -32600 && m.get("method").is_none()
    });
    assert!(reply["id"].is_null(), "{reply}");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// Handlers that keep a test build's analysis busy for a while (with findings of their own).
fn many_handlers(count: usize) -> String {
    (0..count)
        .map(|i| {
            format!("app.post('/r/{i}', (req, res) => {{\n  res.status(302).location('/x').end();\n}});\n")
        })
        .collect()
}

/// A client that sends the same version number again while an analysis runs: the analysis of
/// the text that was replaced answers nothing, whatever the version number says.
#[test]
fn results_are_for_the_latest_text_whatever_the_version_says() {
    let mut lsp = Lsp::start_with(Options {
        delay_ms: 0,
        ..Options::default()
    });
    let uri = "file:///virtual/race/app.js";
    lsp.open(uri, "javascript", "// empty\n");
    assert!(lsp.diagnostics(uri, 1).is_empty());
    let first = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";
    let replaced = format!("{first}{}", many_handlers(2000));
    let latest = "app.post('/a', (req, res) => {\n  res.status(404).end();\n});\n";
    lsp.change_full(uri, 2, &replaced);
    // A hover starts the analysis of the long text at once; the same version with other text
    // follows while it runs (the pause only makes that likely: nothing below depends on it).
    lsp.send(
        json!({"jsonrpc": "2.0", "id": 200, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 1, "character": 14}
        }}),
    );
    std::thread::sleep(std::time::Duration::from_millis(100));
    lsp.change_full(uri, 2, latest);
    let during = response(&mut lsp, json!(200));
    assert!(
        !hover_value(&during).contains("302"),
        "a hover of text that is gone: {during}"
    );
    let diagnostics = lsp.diagnostics(uri, 2);
    assert!(
        diagnostics.is_empty(),
        "{} diagnostics of text that is gone",
        diagnostics.len()
    );
    let reply = lsp.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 14}}),
    );
    assert!(
        hover_value(&reply).starts_with("**404 Not Found**"),
        "{reply}"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// A document over the size limit of `check` (2 MiB) is not analysed: the client is told why,
/// once, and gets no diagnostics for it; back under the limit, it is analysed again.
#[test]
fn a_document_over_the_size_limit_is_not_analysed() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/big/bundle.js";
    let head = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";
    let padding = "// padding padding padding padding padding padding padding padding\n";
    let big = format!("{head}{}", padding.repeat(3 * 1024 * 1024 / padding.len()));
    lsp.open(uri, "javascript", &big);
    let shown = lsp.wait_for("why the file is not analysed", |m| {
        m["method"] == "window/showMessage"
    });
    let message = shown["params"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("bundle.js is not analysed") && message.contains("limit of 2 MiB"),
        "{message}"
    );
    assert!(
        lsp.diagnostics(uri, 1).is_empty(),
        "findings of a file over the limit"
    );
    let hover = lsp.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 14}}),
    );
    assert!(hover["result"].is_null(), "{hover}");
    // Still too large after an edit: no second message.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{
            "range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}},
            "text": "//\n"
        }]}),
    );
    assert!(lsp.diagnostics(uri, 2).is_empty());
    lsp.change_full(uri, 3, head);
    assert_eq!(lsp.diagnostics(uri, 3).len(), 1);
    let messages = lsp
        .log
        .iter()
        .chain(lsp.pending.iter().map(|(_, m)| m))
        .filter(|m| m["method"] == "window/showMessage")
        .count();
    assert_eq!(messages, 1, "told more than once");
    assert_eq!(lsp.shutdown_and_exit(), 0);
}

/// With no delay, edits that arrive while an analysis of the document runs are not lost: they
/// are analysed together once it ends, and the last text's diagnostics are published under its
/// version (those of the versions in between may never be).
#[test]
fn edits_during_an_analysis_end_with_the_last_texts_diagnostics() {
    let mut lsp = Lsp::start_with(Options {
        delay_ms: 0,
        ..Options::default()
    });
    let uri = "file:///virtual/coalesce/app.js";
    let long = many_handlers(2000);
    lsp.open(uri, "javascript", &long);
    let opened = lsp.diagnostics(uri, 1);
    assert_eq!(opened.len(), 2000, "one finding per handler");
    let latest = "app.post('/a', (req, res) => {\n  res.status(302).location('/x').end();\n});\n";
    for version in 2..12 {
        let text = if version % 2 == 0 {
            many_handlers(1000 + version as usize)
        } else {
            long.clone()
        };
        lsp.change_full(uri, version, &text);
    }
    lsp.change_full(uri, 12, latest);
    let last = lsp.diagnostics(uri, 12);
    assert_eq!(last.len(), 1, "the last text's one finding: {last:?}");
}
