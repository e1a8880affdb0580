//! The crate is pure but for one entry point: `load` in `src/load.rs` reads a file. Nothing
//! else in what ships touches the file system, the network, processes or the terminal, so the
//! model, the reader and the matching can be used anywhere, the language server included.

// The helpers of a test fail it by panicking, as `.clippy.toml` lets `#[test]` functions do.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
    found
}

#[test]
fn only_load_does_io() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let banned = [
        "std::fs",
        "std::io",
        "std::net",
        "std::process",
        "println!",
        "eprintln!",
    ];
    let mut offending = Vec::new();
    for path in rust_files(&src) {
        let is_test_file = path.file_name().is_some_and(|name| name == "tests.rs");
        if is_test_file || path.ends_with("src/load.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let shipped = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        for (number, line) in shipped.lines().enumerate() {
            let code = line.trim_start();
            if !code.starts_with("//") && banned.iter().any(|needle| code.contains(needle)) {
                offending.push(format!("{}:{}: {code}", path.display(), number + 1));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "IO outside load.rs:\n{}",
        offending.join("\n")
    );
}
