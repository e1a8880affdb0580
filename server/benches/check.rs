//! Throughput of `check` against same-run baselines (DESIGN §6).
//!
//! `cargo bench --bench check` prints, for a corpus (`HTTP_STATUS_LS_CORPUS`, a directory of
//! real checkouts kept outside the repository; default: the repository's own example apps):
//! - reading every file (what ripgrep's floor is made of),
//! - a bare tree-sitter parse of every file, sequential and on all cores,
//! - the real binary's `check` over the corpus (prefilter + parallel parse + rules + index),
//! - one large generated Express file: full analysis against its bare parse,
//! - side by side, from interleaved runs of the processes: `check` against ast-grep running one
//!   narrow rule (`HTTP_STATUS_LS_AST_GREP_RULES`, a rules file; ast-grep is `AST_GREP`, or on
//!   the PATH, or installed from PyPI (`ast-grep-cli`) into `target/bench-venv`), with the CPU
//!   time (user + system) and peak RSS of each as `/usr/bin/time` reads them from the kernel;
//! - the peak RSS of `check` at 1x and at 10x the corpus (ten hard-linked copies in a temporary
//!   directory, removed afterwards).
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

    side_by_side(&repo, &binary, &corpus);

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

/// What `/usr/bin/time` read of one child process.
#[derive(Clone, Copy)]
struct Usage {
    wall: f64,
    cpu: f64,
    max_rss_kib: u64,
}

/// Runs `program` with `args` under `/usr/bin/time`; `None` when either cannot run.
fn measured(program: &Path, args: &[&std::ffi::OsStr]) -> Option<Usage> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "@usage %e %U %S %M"])
        .arg(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().rev().find(|l| l.starts_with("@usage "))?;
    let fields: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let [wall, user, system, rss] = fields[..] else {
        return None;
    };
    Some(Usage {
        wall,
        cpu: user + system,
        max_rss_kib: rss as u64,
    })
}

fn median_of(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// ast-grep: `AST_GREP`, the PATH's, or one installed from PyPI into `target/bench-venv`.
fn ast_grep(repo: &Path) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AST_GREP") {
        return Some(PathBuf::from(path));
    }
    if Command::new("ast-grep").arg("--version").output().is_ok() {
        return Some(PathBuf::from("ast-grep"));
    }
    let venv = repo.join("target/bench-venv");
    let installed = venv.join("bin/ast-grep");
    if !installed.exists() {
        println!(
            "(installing ast-grep-cli from PyPI into {})",
            venv.display()
        );
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success());
        let pip = venv.join("bin/pip");
        let got = made
            && Command::new(pip)
                .args(["install", "--quiet", "ast-grep-cli"])
                .status()
                .is_ok_and(|s| s.success());
        if !got {
            return None;
        }
    }
    Some(installed)
}

/// `check` against ast-grep and its peak RSS at 1x and 10x the corpus.
fn side_by_side(repo: &Path, binary: &Path, corpus: &Path) {
    if !binary.exists() {
        return;
    }
    let check_args: Vec<&std::ffi::OsStr> = vec![
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        corpus.as_os_str(),
    ];
    let rules = std::env::var_os("HTTP_STATUS_LS_AST_GREP_RULES").map(PathBuf::from);
    let sg = rules.as_ref().and(ast_grep(repo));
    let mut check_runs = Vec::new();
    let mut sg_runs = Vec::new();
    for _ in 0..5 {
        check_runs.extend(measured(binary, &check_args));
        if let (Some(sg), Some(rules)) = (&sg, &rules) {
            let args: Vec<&std::ffi::OsStr> = vec![
                "scan".as_ref(),
                "--json".as_ref(),
                "-r".as_ref(),
                rules.as_os_str(),
                corpus.as_os_str(),
            ];
            sg_runs.extend(measured(sg, &args));
        }
    }
    let row = |name: &str, runs: &[Usage]| {
        if runs.is_empty() {
            println!("{name:<36} (did not run)");
            return None;
        }
        let cpu = median_of(runs.iter().map(|u| u.cpu).collect());
        let wall = median_of(runs.iter().map(|u| u.wall).collect());
        let rss = runs.iter().map(|u| u.max_rss_kib).max().unwrap_or(0);
        println!(
            "{name:<36} CPU {cpu:>7.2} s   wall {wall:>7.2} s   peak RSS {:>6.1} MiB",
            rss as f64 / 1024.0
        );
        Some(cpu)
    };
    println!("interleaved runs, medians:");
    let check_cpu = row("http-status-ls check", &check_runs);
    let sg_cpu = row("ast-grep scan (one narrow rule)", &sg_runs);
    if sg.is_none() {
        println!(
            "(ast-grep: set HTTP_STATUS_LS_AST_GREP_RULES to a rules file, and AST_GREP or have it installable)"
        );
    }
    if let (Some(check), Some(sg)) = (check_cpu, sg_cpu) {
        println!("check CPU / ast-grep CPU = {:.2}", check / sg);
    }
    let Some(one) = check_runs.iter().map(|u| u.max_rss_kib).max() else {
        return;
    };
    let tenfold = std::env::temp_dir().join(format!("hsl-bench-10x-{}", std::process::id()));
    let copied = (0..10).all(|n| link_tree(corpus, &tenfold.join(format!("c{n}"))).is_ok());
    if copied {
        let args: Vec<&std::ffi::OsStr> = vec![
            "check".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            tenfold.as_os_str(),
        ];
        if let Some(ten) = measured(binary, &args) {
            println!(
                "peak RSS of check: {:.1} MiB at 1x, {:.1} MiB at 10x = {:.2}x (10x: CPU {:.2} s, wall {:.2} s)",
                one as f64 / 1024.0,
                ten.max_rss_kib as f64 / 1024.0,
                ten.max_rss_kib as f64 / one as f64,
                ten.cpu,
                ten.wall
            );
        }
    }
    let _ = std::fs::remove_dir_all(&tenfold);
}

/// A copy of the tree at `from` in `to`, by hard links where the file system allows.
fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            link_tree(&entry.path(), &target)?;
        } else if kind.is_file() && std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
