//! Language-server latencies over the real stdio connection (DESIGN §6), printed, never asserted.
//!
//! `cargo bench --bench lsp` starts the release binary, opens a generated Express file of about
//! 11k lines, and prints p50/p99 of:
//! - `didChange` (one-character incremental edit) → the `publishDiagnostics` of that version,
//! - `hover` on status sites, `inlayHint` over a 60-line viewport, `codeAction` at a finding.
//!
//! Then the same didChange figure, and didOpen beside a bare parse, on the other shapes of the
//! issue "At the floor": the generated file wrapped in one function (`module.exports = function
//! register() { … }`) and a real test file whose body is one `describe(...)` (parse-server's
//! `spec/ParseGraphQLServer.spec.js`, from `HTTP_STATUS_LS_SPEC`, or found under the corpus);
//! and the server's memory with 50 open documents of 500–700 lines.
//!
//! `HTTP_STATUS_LS_DELAY_MS` sets the server's diagnostics delay (default: the server's own, none:
//! edits that arrive while an analysis runs are coalesced). `HTTP_STATUS_LS_CORPUS` (a directory)
//! is also indexed as the workspace folder when set, and the server's peak RSS (`VmHWM`) is
//! printed after indexing it.

// A benchmark stops at its first broken step, with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../../tests/lsp/client.rs"]
mod client;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use client::{Lsp, Options};
use serde_json::{Value, json};

fn generated_express(handlers: usize) -> String {
    let mut out = String::from(
        "// Generated for the LSP benchmark: Express handlers, non-ASCII comments (é, 🚀).\nconst express = require('express');\nconst app = express();\n\n",
    );
    for i in 0..handlers {
        let method = ["get", "post", "put", "delete"][i % 4];
        out.push_str(&format!(
            "// handler {i}: créer l'élément — 🚀\napp.{method}('/items/{i}', async (req, res) => {{\n  const item = await db.items.find(req.params.id);\n  if (!item) {{\n    return res.status(404).json({{ error: 'not found' }});\n  }}\n  if (req.body.bad) {{\n    res.status(422).json({{ errors: [] }});\n    return;\n  }}\n  {}\n}});\n",
            if i % 10 == 1 {
                "res.redirect('/items');".to_string()
            } else {
                "res.status(201).json(item);".to_string()
            }
        ));
    }
    out
}

/// From `at` to the moment the client had the awaited message read and parsed (not after its
/// own bookkeeping of the message).
fn until_received(lsp: &Lsp, at: Instant) -> Duration {
    lsp.received_at
        .and_then(|received| received.checked_duration_since(at))
        .unwrap_or_else(|| at.elapsed())
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx].as_secs_f64() * 1000.0
}

fn report(name: &str, samples: &mut [Duration]) {
    println!(
        "{name:<44} n={:<4} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        samples.len(),
        percentile(samples, 0.5),
        percentile(samples, 0.99),
        percentile(samples, 1.0),
    );
}

fn vm_hwm_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// Where an analysis of the file goes, in-process (same run, for comparison).
fn engine_breakdown(text: &str) {
    use hsl_analysis as analysis;
    use hsl_facts::Language;
    use hsl_syntax as syntax;
    use hsl_workspace::WorkspaceIndex;
    let runs = 10;
    let time = |f: &mut dyn FnMut()| {
        let mut samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let at = Instant::now();
                f();
                at.elapsed()
            })
            .collect();
        percentile(&mut samples, 0.5)
    };
    let parse = time(&mut || {
        std::hint::black_box(syntax::parse(Language::JavaScript, text));
    });
    let facts = time(&mut || {
        std::hint::black_box(analysis::from_text(
            PathBuf::from("g.js"),
            Language::JavaScript,
            text.to_string(),
        ));
    });
    let file = analysis::from_text(
        PathBuf::from("g.js"),
        Language::JavaScript,
        text.to_string(),
    );
    let findings = time(&mut || {
        let index = WorkspaceIndex::new(vec![file.indexed()]);
        std::hint::black_box(analysis::findings(&file, &index).ok());
    });
    println!(
        "in-process, median of {runs}: bare parse {parse:.1} ms; parse + facts {facts:.1} ms; rules + fix validation {findings:.1} ms"
    );

    // One-digit edits in the middle of the file, as the server sees them: tree-sitter's own
    // incremental re-parse is the baseline of our incremental re-parse + facts.
    let target = text
        .match_indices("res.status(201)")
        .nth(460)
        .map(|(i, _)| i + "res.status(20".len())
        .unwrap_or(0);
    let point = |text: &str, at: usize| {
        let head = text.get(..at).expect("an edit inside the text");
        analysis::TextPoint {
            row: head.matches('\n').count(),
            column: at - head.rfind('\n').map_or(0, |i| i + 1),
        }
    };
    let overrides = hsl_tables::FrameworkOverrides::default();
    let mut current = text.to_string();
    let (_, mut kept) = analysis::from_text_reusing(
        PathBuf::from("g.js"),
        Language::JavaScript,
        current.clone(),
        None,
        &overrides,
    );
    let mut bare = Vec::new();
    let mut incremental = Vec::new();
    for i in 0..runs * 5 {
        let digit = if i % 2 == 0 { "0" } else { "1" };
        let change = analysis::TextChange {
            start_byte: target,
            old_end_byte: target + 1,
            new_end_byte: target + 1,
            start: point(&current, target),
            old_end: point(&current, target + 1),
            new_end: point(&current, target + 1),
        };
        current.replace_range(target..target + 1, digit);
        let Some(tree) = kept.as_mut() else {
            break;
        };
        tree.edit(&change);
        let at = Instant::now();
        std::hint::black_box(syntax::reparse(Language::JavaScript, &current, Some(tree)));
        bare.push(at.elapsed());
        let at = Instant::now();
        let (file, next) = analysis::from_text_reusing(
            PathBuf::from("g.js"),
            Language::JavaScript,
            current.clone(),
            Some(tree),
            &overrides,
        );
        incremental.push(at.elapsed());
        std::hint::black_box(file);
        kept = next;
    }
    let reuse = kept.as_ref().and_then(|tree| tree.reuse());
    println!(
        "in-process, one-digit edit, median of {}: tree-sitter incremental re-parse {:.2} ms; re-parse + facts {:.2} ms ({reuse:?})",
        bare.len(),
        percentile(&mut bare, 0.5),
        percentile(&mut incremental, 0.5),
    );
}

fn main() {
    let delay: u64 = std::env::var("HTTP_STATUS_LS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let spec = spec_file(std::env::var_os("HTTP_STATUS_LS_CORPUS").map(PathBuf::from));
    let corpus = std::env::var_os("HTTP_STATUS_LS_CORPUS").map(PathBuf::from);

    let started = Instant::now();
    let mut lsp = Lsp::start_with(Options {
        utf8: false,
        root: corpus.clone(),
        progress: true,
        delay_ms: delay,
        ..Options::default()
    });
    let pid = lsp.child.id();
    if corpus.is_some() {
        index_corpus(&mut lsp, started, pid);
    }

    let text = generated_express(920);
    engine_breakdown(&text);
    let open = Instant::now();
    lsp.open(URI, "javascript", &text);
    let first = lsp.diagnostics(URI, 1);
    println!(
        "generated file: {} lines, {} bytes; didOpen → diagnostics ({} findings): {:.1} ms; debounce {delay} ms",
        text.lines().count(),
        text.len(),
        first.len(),
        open.elapsed().as_secs_f64() * 1000.0
    );
    let mut edited = Edited::new(text.clone());
    change_latencies(&mut lsp, &mut edited, &first);
    request_latencies(&mut lsp, &edited, &first);
    fresh_hover_latencies(&mut lsp, &mut edited);

    let wrapped = format!("module.exports = function register() {{\n{text}}};\n");
    other_shape(&mut lsp, "wrapped in one function", WRAPPED_URI, wrapped);
    if let Some(path) = spec {
        let real = std::fs::read_to_string(&path).unwrap();
        other_shape(&mut lsp, "parse-server spec (one describe)", SPEC_URI, real);
    } else {
        println!("(no real test file: set HTTP_STATUS_LS_SPEC or HTTP_STATUS_LS_CORPUS)");
    }
    open_documents(&mut lsp, pid, 50);

    if let Some((hwm, rss)) = vm_hwm_kib(pid) {
        println!(
            "server memory at the end: VmHWM {:.1} MiB, VmRSS {:.1} MiB",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0
        );
    }
    let code = lsp.shutdown_and_exit();
    println!("exit code after shutdown/exit: {code}");
}

/// The document the bench opens and where it edits it.
const URI: &str = "file:///bench/generated-express.js";
/// The same code wrapped in one function.
const WRAPPED_URI: &str = "file:///bench/wrapped-express.js";
/// The real test file.
const SPEC_URI: &str = "file:///bench/ParseGraphQLServer.spec.js";
/// Samples per measured request.
const ITERATIONS: usize = 200;

/// The generated file as the client last sent it, and the digit its edits toggle.
struct Edited {
    uri: &'static str,
    current: String,
    target: usize,
}

impl Edited {
    /// Edits toggle one digit of a `201` in the middle of the file.
    fn new(text: String) -> Edited {
        let target = text
            .match_indices("res.status(201)")
            .nth(460)
            .map(|(i, _)| i + "res.status(20".len())
            .unwrap_or(0);
        Edited {
            uri: URI,
            current: text,
            target,
        }
    }

    /// Edits toggle the first digit after the middle of the file.
    fn at_middle(uri: &'static str, text: String) -> Edited {
        let middle = text.len() / 2;
        let target = text
            .bytes()
            .enumerate()
            .skip(middle)
            .find(|(_, b)| b.is_ascii_digit())
            .map_or(middle, |(i, _)| i);
        Edited {
            uri,
            current: text,
            target,
        }
    }

    /// Toggles the digit and sends the edit as `version`; returns when it was sent.
    fn toggle(&mut self, lsp: &mut Lsp, version: i64) -> Instant {
        let new_digit = if version % 2 == 0 { "0" } else { "1" };
        let target = self.target;
        let range = json!({"start": lsp.position(&self.current, target), "end": lsp.position(&self.current, target + 1)});
        self.current.replace_range(target..target + 1, new_digit);
        let sent = Instant::now();
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri, "version": version}, "contentChanges": [{"range": range, "text": new_digit}]}),
        );
        sent
    }

    /// Status sites spread over the file.
    fn sites(&self) -> Vec<usize> {
        self.current
            .match_indices("res.status(4")
            .map(|(i, _)| i + "res.status(".len() + 1)
            .step_by(7)
            .take(ITERATIONS)
            .collect()
    }
}

/// How long indexing the corpus took, and the server's memory after it.
fn index_corpus(lsp: &mut Lsp, started: Instant, pid: u32) {
    lsp.wait_for("indexing end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let indexed = started.elapsed();
    let message = lsp.wait_for("index log", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("indexed"))
    });
    println!(
        "workspace index: {:.2} s ({})",
        indexed.as_secs_f64(),
        message["params"]["message"].as_str().unwrap_or("")
    );
    if let Some((hwm, rss)) = vm_hwm_kib(pid) {
        println!(
            "server memory after indexing: VmHWM {:.1} MiB, VmRSS {:.1} MiB",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0
        );
    }
}

/// didChange → publishDiagnostics, and the client's own share of it (one JSON parse).
fn change_latencies(lsp: &mut Lsp, edited: &mut Edited, first: &[Value]) {
    let mut change = Vec::new();
    for version in 2..2 + ITERATIONS as i64 {
        let at = edited.toggle(lsp, version);
        lsp.diagnostics(URI, version);
        change.push(until_received(lsp, at));
    }
    report("didChange → publishDiagnostics", &mut change);
    // Part of that round trip is this client reading the message: time its JSON parse alone.
    let message = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": URI, "version": 1, "diagnostics": first}}).to_string();
    let mut parse = (0..20)
        .map(|_| {
            let at = Instant::now();
            std::hint::black_box(serde_json::from_str::<Value>(&message).ok());
            at.elapsed()
        })
        .collect::<Vec<_>>();
    println!(
        "  of which the client's JSON parse of one publishDiagnostics ({} diagnostics, {} KiB): p50 {:.2} ms",
        first.len(),
        message.len() / 1024,
        percentile(&mut parse, 0.5)
    );
}

/// Hover, inlay hints and code actions in the steady state (analysis cached).
fn request_latencies(lsp: &mut Lsp, edited: &Edited, first: &[Value]) {
    let mut hover = Vec::new();
    for site in edited.sites() {
        let position = lsp.position(&edited.current, site);
        let at = Instant::now();
        let result = lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": position}),
        );
        hover.push(until_received(lsp, at));
        assert!(result != Value::Null, "hover at a status site");
    }
    report("hover (round trip)", &mut hover);

    let lines = edited.current.lines().count();
    let mut inlay = Vec::new();
    for i in 0..ITERATIONS {
        let line = (i * 53) % (lines - 60);
        let at = Instant::now();
        lsp.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 60, "character": 0}}}),
        );
        inlay.push(until_received(lsp, at));
    }
    report("inlayHint, 60-line viewport (round trip)", &mut inlay);

    let finding = first.first().cloned().unwrap_or(Value::Null);
    let mut action = Vec::new();
    for _ in 0..ITERATIONS {
        let at = Instant::now();
        lsp.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": finding["range"], "context": {"diagnostics": [finding]}}),
        );
        action.push(until_received(lsp, at));
    }
    report("codeAction at a finding (round trip)", &mut action);
}

/// Hover right after an edit: the analysis is computed on demand.
fn fresh_hover_latencies(lsp: &mut Lsp, edited: &mut Edited) {
    let Some(&site) = edited.sites().first() else {
        return;
    };
    let mut fresh = Vec::new();
    for version in 1000..1000 + 30_i64 {
        edited.toggle(lsp, version);
        let position = lsp.position(&edited.current, site);
        let at = Instant::now();
        lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": position}),
        );
        fresh.push(until_received(lsp, at));
    }
    report("hover right after a didChange (round trip)", &mut fresh);
}

/// parse-server's `spec/ParseGraphQLServer.spec.js`: `HTTP_STATUS_LS_SPEC`, or found in the corpus.
fn spec_file(corpus: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HTTP_STATUS_LS_SPEC") {
        return Some(PathBuf::from(path));
    }
    let corpus = corpus?;
    std::fs::read_dir(&corpus)
        .ok()?
        .flatten()
        .map(|entry| entry.path().join("spec/ParseGraphQLServer.spec.js"))
        .find(|path| path.is_file())
}

/// didOpen beside a bare parse of the same text, then didChange → publishDiagnostics, on one
/// more shape of file.
fn other_shape(lsp: &mut Lsp, shape: &str, uri: &'static str, text: String) {
    let runs = 5;
    let mut bare: Vec<Duration> = (0..runs)
        .map(|_| {
            let at = Instant::now();
            std::hint::black_box(hsl_syntax::parse(hsl_facts::Language::JavaScript, &text));
            at.elapsed()
        })
        .collect();
    let open = Instant::now();
    lsp.open(uri, "javascript", &text);
    lsp.diagnostics(uri, 1);
    let opened = until_received(lsp, open);
    let bare = percentile(&mut bare, 0.5);
    println!(
        "{shape}: {} lines; didOpen → diagnostics {:.1} ms = {:.2}x a bare parse ({bare:.1} ms)",
        text.lines().count(),
        opened.as_secs_f64() * 1000.0,
        opened.as_secs_f64() * 1000.0 / bare,
    );
    let mut edited = Edited::at_middle(uri, text);
    let mut change = Vec::new();
    for version in 2..2 + ITERATIONS as i64 {
        let at = edited.toggle(lsp, version);
        lsp.diagnostics(uri, version);
        change.push(until_received(lsp, at));
    }
    report(
        &format!("  didChange → publishDiagnostics ({shape})"),
        &mut change,
    );
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
}

/// The server's memory with `count` documents of 500–700 lines open, each with its diagnostics.
fn open_documents(lsp: &mut Lsp, pid: u32, count: usize) {
    let started = Instant::now();
    for n in 0..count {
        let text = generated_express(42 + n % 12);
        let uri = format!("file:///bench/open/doc{n}.js");
        lsp.open(&uri, "javascript", &text);
        lsp.diagnostics(&uri, 1);
    }
    if let Some((hwm, rss)) = vm_hwm_kib(pid) {
        println!(
            "{count} open documents of {}-{} lines: opened in {:.2} s; VmHWM {:.1} MiB, VmRSS {:.1} MiB",
            generated_express(42).lines().count(),
            generated_express(53).lines().count(),
            started.elapsed().as_secs_f64(),
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0
        );
    }
}
