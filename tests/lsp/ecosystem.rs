//! Editors as they are: a client that pulls diagnostics (with and without being able to be
//! asked to pull again), notes about other files, and code-action titles shown as plain text.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::client::{Lsp, Options, temp_dir, uri_of};

/// A copy of `tests/apps/express-shop`: `handlers/cart.js` holds the handler, `routes/cart.js`
/// the `router.post('/items', …, cart.addItem)` that makes it a `POST`.
fn express_shop(name: &str) -> (PathBuf, PathBuf, String) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/apps/express-shop");
    let root = temp_dir(name);
    copy_dir(&source, &root);
    let handler = root.join("src/handlers/cart.js");
    let text = std::fs::read_to_string(&handler).expect("handlers/cart.js");
    (root, handler, text)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn redirect_warning(diagnostics: &[Value]) -> Option<&Value> {
    diagnostics
        .iter()
        .find(|d| d["code"] == "redirect-changes-method")
}

fn pull(lsp: &mut Lsp, uri: &str) -> Vec<Value> {
    let report = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    report["items"].as_array().cloned().unwrap_or_default()
}

/// A client that pulls is asked to pull again once the index has read the routes file, and
/// the second pull has the cross-file warning.
#[test]
fn a_pulling_client_is_asked_to_pull_again_after_indexing() {
    let (root, handler, text) = express_shop("pull-refresh");
    let mut lsp = Lsp::start_with(Options {
        root: Some(root.clone()),
        pull: true,
        ..Options::default()
    });
    let uri = uri_of(&handler);
    lsp.open(&uri, "javascript", &text);
    // Before the index has read `routes/cart.js`, or after: either is a fair answer now.
    pull(&mut lsp, &uri);
    lsp.wait_for("indexing done", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    // Sent once the index is done (the server's messages may be read in another order).
    lsp.wait_for("the request to pull again", |m| {
        m["method"] == "workspace/diagnostic/refresh"
    });
    let diagnostics = pull(&mut lsp, &uri);
    assert!(redirect_warning(&diagnostics).is_some(), "{diagnostics:?}");
    assert!(
        !lsp.log
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "pushed to a client that pulls"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
    let _ = std::fs::remove_dir_all(&root);
}

/// Neovim 0.11 pulls diagnostics but cannot be asked to pull again: it would keep what it
/// pulled before the index read the routes file. Such a client gets them pushed, with the
/// note about the routes file naming it from the workspace folder.
#[test]
fn a_client_that_cannot_be_asked_to_pull_again_gets_them_pushed() {
    let (root, handler, text) = express_shop("pull-no-refresh");
    let mut lsp = Lsp::spawn();
    let result = lsp.initialize(&Options {
        root: Some(root.clone()),
        pull: true,
        refresh: false,
        ..Options::default()
    });
    assert!(
        result["capabilities"].get("diagnosticProvider").is_none(),
        "{result}"
    );
    lsp.notify("initialized", json!({}));
    let uri = uri_of(&handler);
    lsp.open(&uri, "javascript", &text);
    let published = lsp.wait_for("the cross-file warning pushed", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| redirect_warning(d).is_some())
    });
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let warning = redirect_warning(&diagnostics).expect("the warning");
    let note = &warning["relatedInformation"][0];
    assert_eq!(
        note["location"]["uri"],
        uri_of(&root.join("src/routes/cart.js"))
    );
    assert_eq!(
        note["message"],
        "`POST` handler: its method is declared here at src/routes/cart.js:10:1"
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
    let _ = std::fs::remove_dir_all(&root);
}

/// Editors show a code action's title as it is: no markdown backticks.
#[test]
fn code_action_titles_are_plain_text() {
    let mut lsp = Lsp::start();
    let uri = "file:///virtual/titles/app.js";
    let text = "app.post('/a', (req, res) => {\n  res.redirect('/b');\n});\n";
    lsp.open(uri, "javascript", text);
    let diagnostics = lsp.diagnostics(uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics}
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .map(|actions| actions.iter().filter_map(|a| a["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        titles,
        [
            "Use 303 See Other",
            "Use 307 Temporary Redirect to keep the method (suggested)",
            "Ignore redirect-changes-method on this line",
            "Ignore redirect-changes-method in this file",
            "Fix all safe http-status-ls problems",
        ]
    );
    assert_eq!(lsp.shutdown_and_exit(), 0);
}
