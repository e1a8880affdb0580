//! The facts of a text do not depend on the run: every fixture and example app, analysed a few
//! times, gives the same facts in the same order. (The order of JavaScript responses once
//! followed the addresses of block nodes, which differ between runs; the incremental analysis
//! compared with a fresh one then differed for no reason.)

// A test stops at its first broken step, with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use hsl_facts::Language;

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests");
    let mut found = Vec::new();
    let mut stack = vec![root.join("fixtures"), root.join("apps")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name != "node_modules") {
                    stack.push(path);
                }
            } else if Language::of_path(&path).is_some() {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_same_text_gives_the_same_facts_every_time() {
    let mut differing = Vec::new();
    let files = sources();
    assert!(files.len() > 100, "only {} sources", files.len());
    for path in files {
        let (Some(language), Ok(text)) = (Language::of_path(&path), std::fs::read_to_string(&path))
        else {
            continue;
        };
        let first = format!("{:?}", hsl_syntax::analyze(language, &text).0);
        let again =
            (0..3).any(|_| format!("{:?}", hsl_syntax::analyze(language, &text).0) != first);
        if again {
            differing.push(path.display().to_string());
        }
    }
    assert!(
        differing.is_empty(),
        "facts differ between runs: {differing:#?}"
    );
}
