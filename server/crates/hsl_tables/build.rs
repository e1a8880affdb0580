//! Writes the list of embedded framework tables: every `.toml` file of
//! `grammars-config/frameworks/`, by name, so that a new table is embedded by being there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let dir = manifest.join("../../../grammars-config/frameworks");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut tables: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            tables.push((name, path));
        }
    }
    tables.sort();
    let mut code = String::from(
        "/// Every table of `grammars-config/frameworks/` with its file name, by name, so that a\n\
         /// broken table names itself.\n\
         pub const EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &tables {
        let path = path.canonicalize()?;
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path_text(&path)
        )?;
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("embedded.rs");
    std::fs::write(out, code)?;
    Ok(())
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
