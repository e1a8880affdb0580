//! Which files a run reads: the default excludes, and a note for every path passed over.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::support::{run_in, scratch};
use super::{json_findings, stderr};

/// A POST handler redirecting with `302`: one `redirect-changes-method` finding.
const FLAGGED: &str = "app.post('/x', (req, res) => res.redirect('/y'));\n";

fn write(dir: &Path, file: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The files with findings, from `--format json`.
fn flagged_files(output: &Output) -> Vec<String> {
    let mut files: Vec<String> = json_findings(output)
        .iter()
        .map(|f| f["file"].as_str().unwrap_or_default().to_string())
        .collect();
    files.sort();
    files.dedup();
    files
}

/// A file that looks minified: a banner, then one 8 KiB line with a flagged handler.
fn minified() -> String {
    format!("/*! lib v1 */\n{}{}", "var a=1;".repeat(1000), FLAGGED)
}

#[test]
fn dependency_and_build_folders_and_minified_files_are_left_out_unless_named() {
    let dir = scratch("default-excludes");
    for file in [
        "src/app.js",
        "node_modules/lib/index.js",
        "packages/web/node_modules/x/a.js",
        "dist/server.js",
        "build/a.js",
        "vendor/a.js",
        "target/a.js",
        "src/lib/jquery.min.js",
        "src/app.bundle.js",
    ] {
        write(&dir, file, FLAGGED);
    }
    write(&dir, "src/packed.js", minified());
    let walked = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(flagged_files(&walked), ["src/app.js"]);
    let notes = stderr(&walked);
    let note = notes
        .lines()
        .find(|line| line.starts_with("note: src/packed.js: skipped, minified (its lines average "))
        .unwrap_or_else(|| panic!("no note for the minified file:\n{notes}"));
    assert!(
        note.ends_with(
            " bytes); name it on the command line or set `default-excludes = false` to check it"
        ),
        "{note}"
    );
    assert_eq!(
        notes.lines().count(),
        1,
        "excluded folders are passed over silently: {notes}"
    );
    // Named on the command line: checked, as ruff does; `--force-exclude` leaves them out.
    let named = ["dist/server.js", "src/lib/jquery.min.js", "src/packed.js"];
    let mut args = vec!["check", "--format", "json"];
    args.extend(named);
    assert_eq!(flagged_files(&run_in(&dir, &args)), named);
    args.push("--force-exclude");
    assert!(flagged_files(&run_in(&dir, &args)).is_empty());
    // A directory named on the command line is walked, even when its name is a default.
    let dist = run_in(&dir, &["check", "--format", "json", "dist"]);
    assert_eq!(flagged_files(&dist), ["dist/server.js"]);
}

#[test]
fn binary_and_non_utf8_files_without_status_codes_get_their_note() {
    let dir = scratch("skipped-without-status");
    write(&dir, "image.js", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(&dir, "latin1.ts", b"// caf\xe9\nexport const x = 1;\n");
    write(&dir, "good.js", FLAGGED);
    let output = run_in(&dir, &["check", "--format", "json"]);
    let notes = stderr(&output);
    assert!(
        notes.contains("note: image.js: skipped, binary content"),
        "{notes}"
    );
    assert!(
        notes.contains("note: latin1.ts: skipped, not valid UTF-8"),
        "{notes}"
    );
    assert_eq!(flagged_files(&output), ["good.js"]);
}

#[cfg(unix)]
#[test]
fn symbolic_links_and_special_files_met_while_walking_get_a_note() {
    let dir = scratch("links");
    write(&dir, "src/real.js", FLAGGED);
    write(&dir, "elsewhere/lib.js", FLAGGED);
    std::os::unix::fs::symlink("real.js", dir.join("src/link.js")).expect("symlink");
    std::os::unix::fs::symlink("../elsewhere", dir.join("src/shared")).expect("symlink");
    std::os::unix::fs::symlink("gone.js", dir.join("src/dangling.js")).expect("symlink");
    let fifo = Command::new("mkfifo")
        .arg(dir.join("src/pipe.js"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    let output = run_in(&dir, &["check", "--format", "json", "src"]);
    let notes = stderr(&output);
    for expected in [
        "note: src/link.js: skipped, a symbolic link (not followed; name it on the command line to check it)",
        "note: src/shared: skipped, a symbolic link to a directory (not followed)",
        "note: src/dangling.js: skipped, a symbolic link to nothing",
        "note: src/pipe.js: skipped, not a regular file",
    ] {
        assert!(notes.contains(expected), "{expected}\n{notes}");
    }
    assert_eq!(flagged_files(&output), ["src/real.js"]);
    // A pipe named on the command line is never opened: the run stops.
    let named = run_in(&dir, &["check", "src/pipe.js"]);
    assert_eq!(named.status.code(), Some(2));
    assert!(
        stderr(&named).contains("error: src/pipe.js: not a regular file or directory"),
        "{}",
        stderr(&named)
    );
    // A link named on the command line is followed.
    let link = run_in(&dir, &["check", "--format", "json", "src/link.js"]);
    assert_eq!(flagged_files(&link), ["src/link.js"]);
}

/// Moves `tree` to the bottom of a new chain of `links` directories named `name` under
/// `parent`, and returns the chain's top. Each rename names paths shorter than PATH_MAX, so a
/// tree deeper than PATH_MAX can be built without a path that long.
fn bury(tree: &Path, parent: &Path, name: &str, links: usize) -> PathBuf {
    let top = parent.join(format!("{name}-top"));
    let mut bottom = top.clone();
    for _ in 1..links {
        bottom = bottom.join(name);
    }
    std::fs::create_dir_all(&bottom).expect("chain");
    std::fs::rename(tree, bottom.join("tree")).expect("rename");
    top
}

#[test]
fn a_tree_deeper_than_path_max_gets_a_note() {
    let dir = scratch("deep");
    let long = "d".repeat(200);
    // 3 chains of 10 directories of 200 bytes: over 6,000 bytes, past Linux's 4,096.
    let mut tree = dir.join("seed");
    write(&tree, "deep.js", FLAGGED);
    for round in 0..3 {
        tree = bury(&tree, &dir, &format!("{long}{round}"), 10);
    }
    std::fs::rename(&tree, dir.join("src")).expect("rename");
    write(&dir, "src/shallow.js", FLAGGED);
    let output = run_in(&dir, &["check", "--format", "json"]);
    let notes = stderr(&output);
    assert!(
        notes.lines().any(|line| line.starts_with("note: src/")
            && line.ends_with("skipped, cannot be read: File name too long (os error 36)")),
        "{notes}"
    );
    assert_eq!(flagged_files(&output), ["src/shallow.js"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the binary so that file permissions bind it: as root, without the two capabilities
/// that let root read any file (`setpriv` drops them from the bounding set), so that the test
/// means the same under root (as in CI) as under a user.
#[cfg(unix)]
fn run_bound_by_permissions(dir: &Path, args: &[&str]) -> Output {
    use std::os::unix::fs::MetadataExt;
    let binary = env!("CARGO_BIN_EXE_http-status-ls");
    let root = std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0);
    let mut command = if root {
        let mut setpriv = Command::new("setpriv");
        setpriv.args([
            "--bounding-set=-dac_override,-dac_read_search",
            "--",
            binary,
        ]);
        setpriv
    } else {
        Command::new(binary)
    };
    command
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs (as root, through util-linux's setpriv)")
}

#[cfg(unix)]
#[test]
fn unreadable_paths_get_a_note_when_walked_and_stop_the_run_when_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    write(&dir, "src/secret/a.js", FLAGGED);
    write(&dir, "src/locked.js", FLAGGED);
    write(&dir, "src/open.js", FLAGGED);
    let lock = |path: &str, mode: u32| {
        std::fs::set_permissions(dir.join(path), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    };
    lock("src/secret", 0o000);
    lock("src/locked.js", 0o000);
    let walked = run_bound_by_permissions(&dir, &["check", "--format", "json"]);
    let named_file = run_bound_by_permissions(&dir, &["check", "src/locked.js"]);
    let named_dir = run_bound_by_permissions(&dir, &["check", "src/secret"]);
    lock("src/secret", 0o755);
    lock("src/locked.js", 0o644);
    let notes = stderr(&walked);
    assert!(
        notes.contains("note: src/secret: skipped, cannot be read: Permission denied"),
        "{notes}"
    );
    assert!(
        notes.contains("note: src/locked.js: skipped, cannot be read: Permission denied"),
        "{notes}"
    );
    assert_eq!(flagged_files(&walked), ["src/open.js"]);
    assert_eq!(walked.status.code(), Some(1));
    for (named, path) in [(named_file, "src/locked.js"), (named_dir, "src/secret")] {
        assert_eq!(named.status.code(), Some(2), "{path}: {}", stderr(&named));
        assert!(
            stderr(&named).contains(&format!("error: {path}: cannot be read: Permission denied")),
            "{}",
            stderr(&named)
        );
    }
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_reported_byte_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("non-utf8-name");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9 100%.js");
    std::fs::write(dir.join(name), FLAGGED).expect("write");
    let json = run_in(&dir, &["check", "--format", "json"]);
    let findings = json_findings(&json);
    assert_eq!(findings[0]["file"], "caf\u{fffd} 100%.js", "lossy text");
    assert_eq!(findings[0]["file_percent_encoded"], "caf%E9%20100%25.js");
    let sarif = run_in(&dir, &["check", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "caf%E9%20100%25.js");
    let text = run_in(&dir, &["check"]);
    assert!(
        stderr(&text).contains("note: file names that are not valid UTF-8 are shown with U+FFFD"),
        "{}",
        stderr(&text)
    );
    // A UTF-8 name gets no extra key.
    let plain = scratch("utf8-name");
    std::fs::write(plain.join("café.js"), FLAGGED).expect("write");
    let findings = json_findings(&run_in(&plain, &["check", "--format", "json"]));
    assert_eq!(findings[0]["file"], "café.js");
    assert!(findings[0].get("file_percent_encoded").is_none());
}
