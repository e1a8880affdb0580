//! What `check` and the workspace index leave out unless `default-excludes = false`, as ruff
//! and ESLint leave out `node_modules`: dependency, build-output and cache folders, and
//! minified or bundled JavaScript. Code there is not the project's handler code, and reading
//! it costs time and reports findings nobody can act on.
//!
//! Only what a walk finds is left out: a directory or file named on the command line is
//! checked (unless `--force-exclude`), and so is everything below a directory named there.

/// Directory names left out at any depth below a walked directory.
pub const DIRECTORIES: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "dist",
    "build",
    "out",
    "vendor",
    "target",
    "coverage",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".output",
    ".vercel",
    ".turbo",
    ".cache",
    // Test code: its responses are mocks and its codes are markers for assertions, not what
    // a server sends. (Folders named `test` are not among these: a Next.js route may live in
    // `app/api/test/route.ts`.)
    "__tests__",
    "__mocks__",
];

/// File-name infixes of minified or bundled JavaScript (`app.min.js`, `vendor.bundle.js`).
const FILE_INFIXES: &[&str] = &[".min.", ".bundle."];

/// Extensions the infixes apply to.
const SCRIPT_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx"];

/// File-name infixes of test files (`users.test.ts`, `cart.spec.js`).
const TEST_INFIXES: &[&str] = &[".test.", ".spec."];

/// Extensions the test infixes apply to.
const TEST_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

/// Calls a test suite's file starts its suites with, at the start of a line.
const SUITE_CALLS: &[&[u8]] = &[b"describe(", b"describe.only(", b"suite("];

/// A JavaScript or TypeScript file at least this large whose lines average more than
/// [`MINIFIED_LINE_BYTES`] is taken for minified.
pub const MINIFIED_MIN_BYTES: usize = 2048;

/// The average line length, in bytes, above which a large enough file is taken for minified.
/// Hand-written code averages 30 to 40; a file whose lines average over 200 has few line
/// breaks for its size, which is what minifiers produce. One long line (a data URL, a long
/// string) in a file of ordinary lines does not raise the average that far.
pub const MINIFIED_LINE_BYTES: usize = 200;

/// Whether a directory of this name is left out when walking.
pub fn excludes_dir_name(name: &str) -> bool {
    DIRECTORIES.contains(&name)
}

/// Whether a file of this name is left out when walking: `*.min.js`, `*.bundle.js`, and test
/// files `*.test.ts`, `*.spec.js` and the like.
pub fn excludes_file_name(name: &str) -> bool {
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = format!("{stem}.");
    (SCRIPT_EXTENSIONS.contains(&extension)
        && FILE_INFIXES.iter().any(|infix| stem.contains(infix)))
        || (TEST_EXTENSIONS.contains(&extension)
            && TEST_INFIXES.iter().any(|infix| stem.contains(infix)))
}

/// Why the content of a JavaScript or TypeScript file marks it as not the project's handler
/// code, if it does: a test suite (a line starting with `describe(`), minified (by its
/// average line length) or a webpack bundle (its bootstrap comment near the top).
pub fn generated_content(bytes: &[u8]) -> Option<String> {
    if bytes
        .split(|byte| *byte == b'\n')
        .any(|line| SUITE_CALLS.iter().any(|call| line.starts_with(call)))
    {
        return Some("a test suite (it starts suites with `describe(`)".to_string());
    }
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or(bytes);
    if head.windows(16).any(|window| window == b"webpackBootstrap") {
        return Some("a webpack bundle".to_string());
    }
    if bytes.len() < MINIFIED_MIN_BYTES {
        return None;
    }
    let breaks = bytes.iter().filter(|byte| **byte == b'\n').count();
    let lines = if bytes.ends_with(b"\n") {
        breaks
    } else {
        breaks + 1
    };
    let average = bytes.len() / lines.max(1);
    (average > MINIFIED_LINE_BYTES).then(|| format!("minified (its lines average {average} bytes)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(excludes_dir_name("node_modules") && excludes_dir_name(".next"));
        assert!(!excludes_dir_name("src") && !excludes_dir_name("builder"));
        for name in ["app.min.js", "jquery-3.7.min.mjs", "main.bundle.js"] {
            assert!(excludes_file_name(name), "{name}");
        }
        for name in [
            "min.js",
            "admin.js",
            "app.js",
            "bundle.js",
            "app.min.ts",
            "x.min",
        ] {
            assert!(!excludes_file_name(name), "{name}");
        }
    }

    #[test]
    fn test_files_and_suites() {
        for name in ["users.test.ts", "cart.spec.js", "a.test.tsx"] {
            assert!(excludes_file_name(name), "{name}");
        }
        for name in ["test.js", "latest.ts", "spec.ts", "inspect.js"] {
            assert!(!excludes_file_name(name), "{name}");
        }
        assert!(excludes_dir_name("__tests__") && !excludes_dir_name("test"));
        let suite = "const app = require('../app');\ndescribe('cart', () => {\n  it('adds', () => {});\n});\n";
        assert!(generated_content(suite.as_bytes()).is_some());
        let route =
            "router.get('/x', (req, res) => {\n  // describe(the thing)\n  res.json({});\n});\n";
        assert_eq!(generated_content(route.as_bytes()), None);
    }

    #[test]
    fn minified_by_average_line_length_not_by_one_long_line() {
        let minified = format!("/*! lib v1 */\n{}\n", "a=1;".repeat(2000));
        assert!(generated_content(minified.as_bytes()).is_some());
        let mut ordinary = "const x = 1;\n".repeat(300);
        ordinary.push_str(&format!("const data = \"{}\";\n", "A".repeat(3000)));
        assert_eq!(generated_content(ordinary.as_bytes()), None);
        let short_one_liner = "res.status(204).send(\"x\".repeat(400));".repeat(10);
        assert_eq!(generated_content(short_one_liner.as_bytes()), None);
        let webpack = "/******/ (() => { // webpackBootstrap\nvar x = 1;\n";
        assert_eq!(
            generated_content(webpack.as_bytes()).as_deref(),
            Some("a webpack bundle")
        );
    }
}
