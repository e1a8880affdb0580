//! A long session of the language server, measured and printed, never asserted: does its memory
//! stay flat once warm, with many open documents edited and hovered at a steady rate?
//!
//! `cargo bench --bench soak` starts the release binary, opens 50 documents of 500–700 lines
//! (Express files, the same code wrapped in one exported function, and axum files), then for
//! `HTTP_STATUS_LS_SOAK_SECONDS` (default 1800) makes one incremental edit and one hover every
//! `HTTP_STATUS_LS_SOAK_PERIOD_MS` (default 100), each on a document picked in turn, waiting for
//! the edit's diagnostics. Every 30 s it prints the server's resident memory (`VmRSS`), its peak
//! (`VmHWM`) and the edit latencies of that window; at the end, the growth of `VmRSS` from the end
//! of the warm-up (the first fifth of the run) to the end.

// A benchmark stops at its first broken step, with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../../tests/lsp/client.rs"]
mod client;

use std::time::{Duration, Instant};

use client::{Lsp, Options};
use serde_json::json;

/// Documents the session keeps open.
const DOCUMENTS: usize = 50;
/// How often memory is sampled and printed.
const WINDOW: Duration = Duration::from_secs(30);

/// An Express module of `handlers` routes, about 12 lines each; `wrapped` puts them all inside
/// one exported function (the shape of test suites and plugin modules).
fn express(handlers: usize, seed: usize, wrapped: bool) -> String {
    let mut out = String::from("const express = require('express');\n");
    out.push_str(if wrapped {
        "module.exports = function register(app) {\n"
    } else {
        "const app = express();\n"
    });
    for i in 0..handlers {
        let method = ["get", "post", "put", "delete"][(i + seed) % 4];
        out.push_str(&format!(
            "// handler {seed}-{i}: créer l'élément\napp.{method}('/items/{i}', async (req, res) => {{\n  const item = await db.items.find(req.params.id);\n  if (!item) {{\n    return res.status(404).json({{ error: 'not found' }});\n  }}\n  if (req.body.bad) {{\n    return res.status(422).json({{ errors: [] }});\n  }}\n  res.status(201).json(item);\n}});\n"
        ));
    }
    if wrapped {
        out.push_str("};\n");
    }
    out
}

/// An axum module of `handlers` handlers, about 11 lines each, registered in one router.
fn axum(handlers: usize, seed: usize) -> String {
    let mut out = String::from(
        "use axum::{http::StatusCode, response::IntoResponse, routing::post, Json, Router};\n\n",
    );
    for i in 0..handlers {
        out.push_str(&format!(
            "// handler {seed}-{i}\nasync fn create_{i}(Json(body): Json<Item>) -> impl IntoResponse {{\n    if body.name.is_empty() {{\n        return (StatusCode::UNPROCESSABLE_ENTITY, \"name is empty\").into_response();\n    }}\n    let item = store(body).await;\n    (StatusCode::CREATED, Json(item)).into_response()\n}}\n\n"
        ));
    }
    out.push_str("pub fn router() -> Router {\n    Router::new()\n");
    for i in 0..handlers {
        out.push_str(&format!(
            "        .route(\"/items/{i}\", post(create_{i}))\n"
        ));
    }
    out.push_str("}\n");
    out
}

/// One open document: its text as the client last sent it, and its version.
struct Document {
    uri: String,
    text: String,
    version: i64,
    /// Byte offsets of the status digits its edits toggle, in turn.
    targets: Vec<usize>,
    next: usize,
}

impl Document {
    fn new(uri: String, text: String, needle: &str) -> Document {
        // The last digit of each status (`201` → the `1`), the place an edit changes.
        let targets = text
            .match_indices(needle)
            .map(|(at, found)| at + found.len() - 1)
            .collect();
        Document {
            uri,
            text,
            version: 1,
            targets,
            next: 0,
        }
    }
}

fn documents() -> Vec<(Document, &'static str)> {
    (0..DOCUMENTS)
        .map(|i| {
            let handlers = 42 + i % 14;
            match i % 5 {
                0 => (
                    Document::new(
                        format!("file:///soak/wrapped-{i}.js"),
                        express(handlers, i, true),
                        "status(201",
                    ),
                    "javascript",
                ),
                1 => (
                    Document::new(
                        format!("file:///soak/router_{i}.rs"),
                        axum(handlers + 8, i),
                        "CREATED",
                    ),
                    "rust",
                ),
                _ => (
                    Document::new(
                        format!("file:///soak/routes-{i}.js"),
                        express(handlers, i, false),
                        "status(201",
                    ),
                    "javascript",
                ),
            }
        })
        .collect()
}

fn vm_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|line| line.starts_with(field))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Toggles one character of `document` (a digit of a status, or a letter of `CREATED`'s last
/// character back and forth), sends it as an incremental edit and waits for its diagnostics.
fn edit(lsp: &mut Lsp, document: &mut Document) -> Duration {
    let at = document.targets[document.next % document.targets.len()];
    document.next += 1;
    let old = document.text.get(at..=at).unwrap_or("1").to_string();
    let new = match old.as_str() {
        "1" => "2",
        "2" => "1",
        "D" => "E",
        _ => "D",
    };
    let start = lsp.position(&document.text, at);
    let end = lsp.position(&document.text, at + 1);
    document.text.replace_range(at..=at, new);
    document.version += 1;
    let sent = Instant::now();
    lsp.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": document.uri, "version": document.version},
            "contentChanges": [{"range": {"start": start, "end": end}, "text": new}],
        }),
    );
    lsp.diagnostics(&document.uri, document.version);
    sent.elapsed()
}

fn hover(lsp: &mut Lsp, document: &Document) {
    let at = document.targets[document.next % document.targets.len()];
    let position = lsp.position(&document.text, at);
    lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": document.uri}, "position": position}),
    );
}

fn percentile_ms(samples: &mut [Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx].as_secs_f64() * 1000.0
}

fn main() {
    let seconds: u64 = std::env::var("HTTP_STATUS_LS_SOAK_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1800);
    let period = Duration::from_millis(
        std::env::var("HTTP_STATUS_LS_SOAK_PERIOD_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100),
    );
    let mut lsp = Lsp::start_with(Options {
        utf8: false,
        ..Options::default()
    });
    let pid = lsp.child.id();
    let mut documents = documents();
    let lines: usize = documents.iter().map(|(d, _)| d.text.lines().count()).sum();
    for (document, language) in &documents {
        lsp.open(&document.uri, language, &document.text);
    }
    for (document, _) in &documents {
        lsp.diagnostics(&document.uri, 1);
    }
    println!(
        "{DOCUMENTS} documents open ({} lines each on average): VmRSS {:.1} MiB; soak of {seconds} s, one edit + one hover every {} ms",
        lines / DOCUMENTS,
        mib(vm_kib(pid, "VmRSS:")),
        period.as_millis()
    );

    let started = Instant::now();
    let warm_up = Duration::from_secs(seconds / 5);
    let mut after_warm_up = None;
    let mut window_start = Instant::now();
    let mut latencies = Vec::new();
    let mut edits = 0usize;
    let mut turn = 0usize;
    while started.elapsed() < Duration::from_secs(seconds) {
        let tick = Instant::now();
        let (document, _) = &mut documents[turn % DOCUMENTS];
        turn += 1;
        latencies.push(edit(&mut lsp, document));
        hover(&mut lsp, document);
        edits += 1;
        // Messages not waited for (other documents' re-publications) are dropped, and the
        // client's log too: only the server's memory is measured.
        lsp.pending.clear();
        lsp.log.clear();
        if window_start.elapsed() >= WINDOW {
            let rss = vm_kib(pid, "VmRSS:");
            if after_warm_up.is_none() && started.elapsed() >= warm_up {
                after_warm_up = Some(rss);
            }
            println!(
                "t={:>5.0} s  edits {edits:>6}  VmRSS {:>6.1} MiB  VmHWM {:>6.1} MiB  edit→diagnostics p50 {:>6.2} ms  p99 {:>6.2} ms",
                started.elapsed().as_secs_f64(),
                mib(rss),
                mib(vm_kib(pid, "VmHWM:")),
                percentile_ms(&mut latencies, 0.5),
                percentile_ms(&mut latencies, 0.99),
            );
            latencies.clear();
            window_start = Instant::now();
        }
        if let Some(rest) = period.checked_sub(tick.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    let end = vm_kib(pid, "VmRSS:");
    if let Some(warm) = after_warm_up {
        println!(
            "VmRSS after warm-up {:.1} MiB, at the end {:.1} MiB: {:+.1} MiB ({:+.1} %) over {edits} edits",
            mib(warm),
            mib(end),
            mib(end) - mib(warm),
            (end as f64 / warm.max(1) as f64 - 1.0) * 100.0
        );
    }
    let code = lsp.shutdown_and_exit();
    println!("exit code after shutdown/exit: {code}");
}
