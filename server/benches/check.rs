//! Throughput of `check` against same-run baselines (DESIGN §6).
//!
//! `cargo bench --bench check` prints, for a corpus (`HTTP_STATUS_LS_CORPUS`, a directory of
//! real checkouts kept outside the repository; default: the repository's own example apps):
//! - reading every file (what ripgrep's floor is made of),
//! - a bare tree-sitter parse of every file, sequential and on all cores,
//! - the real binary's `check` over the corpus (prefilter + parallel parse + rules + index),
//! - one large generated Express file: full analysis against its bare parse.
//!
//! Figures are wall times, median of several runs, with ratios to the baselines.

// A benchmark stops at its first broken step, with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hsl_analysis as analysis;
use hsl_facts::Language;
use hsl_syntax as syntax;
use hsl_workspace::WorkspaceIndex;
use rayon::prelude::*;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn corpus_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(root).build().flatten() {
        if entry.file_type().is_some_and(|t| t.is_file())
            && Language::of_path(entry.path()).is_some()
        {
            files.push(entry.into_path());
        }
    }
    files
}

fn generated_express_file(handlers: usize) -> String {
    let mut text = String::from("const express = require('express');\nconst app = express();\n");
    for n in 0..handlers {
        text.push_str(&format!(
            "\n// Handler {n}: créer un élément\napp.post('/items/{n}', async (req, res) => {{\n  const item = await db.items.create({{ name: req.body.name, n: {n} }});\n  if (!item) {{\n    return res.status(400).json({{ error: 'invalid' }});\n  }}\n  res.set('Location', `/items/${{item.id}}`);\n  res.redirect('/items/{n}');\n}});\napp.get('/items/{n}', (req, res) => {{\n  res.status(200).json({{ id: {n}, ok: true }});\n}});\n"
        ));
    }
    text
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = std::env::var_os("HTTP_STATUS_LS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("tests/apps"));
    let files = corpus_files(&corpus);
    let bytes: usize = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len() as usize)
        .sum();
    println!(
        "corpus: {} ({} files, {:.1} MiB)",
        corpus.display(),
        files.len(),
        bytes as f64 / 1048576.0
    );

    let read = time(3, || {
        let total: usize = files
            .par_iter()
            .filter_map(|f| std::fs::read(f).ok())
            .map(|b| b.len())
            .sum();
        assert!(total > 0);
    });
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .filter_map(|f| Some((f.clone(), std::fs::read_to_string(f).ok()?)))
        .collect();
    let parse_seq = time(3, || {
        for (path, text) in &texts {
            if let Some(language) = Language::of_path(path) {
                let _ = syntax::parse(language, text);
            }
        }
    });
    let parse_par = time(3, || {
        texts.par_iter().for_each(|(path, text)| {
            if let Some(language) = Language::of_path(path) {
                let _ = syntax::parse(language, text);
            }
        });
    });
    let binary = repo.join("target/release/http-status-ls");
    let check = if binary.exists() {
        Some(time(5, || {
            let output = Command::new(&binary)
                .args(["check", "--format", "json"])
                .arg(&corpus)
                .output()
                .expect("binary runs");
            assert!(output.status.code().is_some_and(|c| c <= 1), "check failed");
        }))
    } else {
        println!("(build the release binary first for the check figure: cargo build --release)");
        None
    };
    println!(
        "read every file (parallel)          {:>9.3} s",
        read.as_secs_f64()
    );
    println!(
        "bare tree-sitter parse, 1 core      {:>9.3} s",
        parse_seq.as_secs_f64()
    );
    println!(
        "bare tree-sitter parse, all cores   {:>9.3} s",
        parse_par.as_secs_f64()
    );
    if let Some(check) = check {
        println!(
            "http-status-ls check (binary)       {:>9.3} s   = {:.2}x bare parse (1 core), {:.2}x parallel parse, {:.1}x read",
            check.as_secs_f64(),
            check.as_secs_f64() / parse_seq.as_secs_f64(),
            check.as_secs_f64() / parse_par.as_secs_f64(),
            check.as_secs_f64() / read.as_secs_f64()
        );
    }

    let big = generated_express_file(1000);
    let lines = big.lines().count();
    let path = PathBuf::from("/bench/big.js");
    let bare = time(7, || {
        let _ = syntax::parse(hsl_facts::Language::JavaScript, &big);
    });
    let full = time(7, || {
        let source =
            analysis::from_text(path.clone(), hsl_facts::Language::JavaScript, big.clone());
        let index = WorkspaceIndex::new(vec![source.indexed()]);
        let findings = analysis::findings(&source, &index).expect("no internal error");
        assert!(findings.len() >= 1000);
    });
    println!(
        "{lines}-line JS file: bare parse {:.1} ms, full analysis {:.1} ms = {:.2}x bare parse",
        bare.as_secs_f64() * 1e3,
        full.as_secs_f64() * 1e3,
        full.as_secs_f64() / bare.as_secs_f64()
    );
}
