//! `http-status-ls routes` on the example apps: every route with its whole path and the exact
//! statuses its handler can send, compared with an expected JSON per app
//! (`tests/snapshots/routes/<app>.json`, rewritten by `HTTP_STATUS_LS_BLESS=1 cargo test --test
//! cli routes`), and the OpenAPI skeleton checked against the official OpenAPI 3.1 schema.

use std::path::Path;

use super::{apps, repo, run_in, stderr, stdout};

/// The official OpenAPI 3.1 schema, vendored by the contracts crate.
const SCHEMA: &str =
    include_str!("../../server/crates/hsl_contracts/tests/data/openapi-3.1-schema-2025-11-23.json");

fn app_name(app: &Path) -> String {
    app.file_name().unwrap().to_string_lossy().into_owned()
}

fn routes_of(app: &Path, format: &str) -> String {
    let shown = format!("tests/apps/{}", app_name(app));
    let output = run_in(&repo(), &["routes", "--format", format, &shown]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn routes_of_every_app_are_the_expected_ones() {
    let bless = std::env::var_os("HTTP_STATUS_LS_BLESS").is_some();
    let mut stale = Vec::new();
    for app in apps() {
        let actual = routes_of(&app, "json");
        let value: serde_json::Value = serde_json::from_str(&actual).unwrap();
        assert!(value.is_array(), "{actual}");
        let expected_path = repo()
            .join("tests/snapshots/routes")
            .join(format!("{}.json", app_name(&app)));
        if bless {
            std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            stale.push(format!(
                "{}: expected\n{expected}\nactual\n{actual}",
                expected_path.display()
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "routes differ (HTTP_STATUS_LS_BLESS=1 rewrites them):\n{}",
        stale.join("\n")
    );
}

#[test]
fn routes_list_whole_paths_with_their_handlers_statuses() {
    let app = repo().join("tests/apps/express-shop");
    let value: serde_json::Value = serde_json::from_str(&routes_of(&app, "json")).unwrap();
    let routes = value.as_array().unwrap();
    let find = |method: &str, path: &str| {
        routes
            .iter()
            .find(|route| route["method"] == method && route["path"] == path)
            .unwrap_or_else(|| panic!("{method} {path} in {value:#}"))
    };
    // Mounted with `app.use("/api/products", products)` in app.js; `:id` in OpenAPI's spelling.
    let create = find("POST", "/api/products");
    assert_eq!(
        create["file"],
        "tests/apps/express-shop/src/routes/products.js"
    );
    let codes: Vec<u64> = create["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|status| status["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, vec![201]);
    find("GET", "/api/products/{id}/price");
}

#[test]
fn the_openapi_skeleton_of_every_app_validates_against_the_31_schema() {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for app in apps() {
        let json = routes_of(&app, "openapi-json");
        let document: serde_json::Value = serde_json::from_str(&json).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|error| error.to_string())
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{}", app.display());
        // The YAML says the same: the contracts reader finds the same operations in it.
        let yaml = routes_of(&app, "openapi");
        let loaded = hsl_contracts::read_document(Path::new("skeleton.yaml"), &yaml);
        assert_eq!(loaded.problems, Vec::new(), "{yaml}");
        let operations = loaded.contract.map_or(0, |c| c.operations.len());
        // Operations that declare responses (a route sending no known status has none).
        let declared = document["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.values())
            .filter_map(serde_json::Value::as_object)
            .flat_map(|item| item.values())
            .filter(|operation| operation.get("responses").is_some())
            .count();
        assert_eq!(operations, declared, "{yaml}");
    }
}

#[test]
fn a_bad_contract_is_reported_with_its_position_and_the_run_goes_on() {
    let dir = super::project_with(
        "bad-contract",
        "app.js",
        "const express = require(\"express\");\nconst app = express();\napp.post(\"/items\", (req, res) => res.status(302).end());\n",
    );
    std::fs::write(
        dir.join("package.json"),
        "{\"dependencies\":{\"express\":\"4\"}}",
    )
    .unwrap();
    std::fs::write(
        dir.join("openapi.yaml"),
        "openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\npaths:\n  /items:\n    post:\n      responses: [unclosed\n",
    )
    .unwrap();
    let output = run_in(&dir, &["check", "--format", "json", "."]);
    let notes = stderr(&output);
    assert!(
        notes
            .lines()
            .any(|line| line.starts_with("openapi.yaml:") && line.contains(": warning: ")),
        "{notes}"
    );
    // The rest of the run goes on: the redirect finding is still reported.
    let findings = super::json_findings(&output);
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "redirect-changes-method"),
        "{findings:?}"
    );
}

#[test]
fn a_configured_contract_is_read_relative_to_the_config() {
    let dir = super::project_with(
        "configured-contract",
        "app.js",
        "const express = require(\"express\");\nconst app = express();\napp.post(\"/items\", (req, res) => res.status(409).end());\n",
    );
    std::fs::write(dir.join("package.json"), "{}").unwrap();
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(
        dir.join("spec/api.yaml"),
        "openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\npaths:\n  /items:\n    post:\n      responses:\n        \"201\": { description: Created }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("http-status-ls.toml"),
        "openapi = \"spec/api.yaml\"\n",
    )
    .unwrap();
    let output = run_in(&dir, &["check", "--format", "json", "."]);
    let findings = super::json_findings(&output);
    let undeclared: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "undeclared-status")
        .collect();
    assert_eq!(undeclared.len(), 1, "{findings:?}\n{}", stderr(&output));
    assert!(
        undeclared[0]["message"]
            .as_str()
            .unwrap()
            .contains("`409 Conflict`")
    );
}

/// A utoipa attribute sits on the handler, and axum registers the handler in another file: the
/// note points at the attribute in the handler's file, not at that line of the router's file.
#[test]
fn an_in_code_contract_is_located_in_the_file_it_is_written_in() {
    let output = run_in(
        &repo(),
        &[
            "check",
            "--select",
            "undeclared-status",
            "tests/apps/axum-shop",
        ],
    );
    let text = stdout(&output);
    let attribute = "#[utoipa::path(post, path = \"/login\"";
    let source =
        std::fs::read_to_string(repo().join("tests/apps/axum-shop/src/handlers/auth.rs")).unwrap();
    let line = source
        .lines()
        .position(|line| line.starts_with(attribute))
        .unwrap()
        + 1;
    let note = format!(
        "note: `POST /login` is declared here at tests/apps/axum-shop/src/handlers/auth.rs:{line}:1"
    );
    assert!(text.contains(&note), "{text}");
}

/// One run over two projects that both serve `POST /login`: each route meets its own
/// project's document only, never the other's (which declares what this one sends).
#[test]
fn each_project_is_held_to_its_own_document() {
    let dir = super::scratch("two-projects");
    let app = "const express = require(\"express\");\nconst app = express();\napp.post(\"/login\", (req, res) => res.status(401).end());\n";
    for (project, declared) in [("strict", "\"302\""), ("lenient", "\"401\"")] {
        let root = dir.join(project);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("package.json"), "{}").unwrap();
        std::fs::write(root.join("app.js"), app).unwrap();
        std::fs::write(
            root.join("openapi.yaml"),
            format!("openapi: 3.1.0\ninfo: {{ title: x, version: \"1\" }}\npaths:\n  /login:\n    post:\n      responses:\n        {declared}: {{ description: x }}\n"),
        )
        .unwrap();
    }
    let output = run_in(&dir, &["check", "--format", "json", "."]);
    let undeclared: Vec<String> = super::json_findings(&output)
        .iter()
        .filter(|f| f["rule"] == "undeclared-status")
        .map(|f| format!("{} {}", f["file"], f["message"]))
        .collect();
    assert_eq!(undeclared.len(), 1, "{undeclared:#?}");
    assert!(
        undeclared[0].starts_with("\"strict/app.js\"") && undeclared[0].contains("declares 302"),
        "{undeclared:#?}"
    );
}

/// A Rocket route function is served only where a mount lists it: with the app's
/// `rocket::build()` in sight (the whole app), `GET /teapot`, which no `routes![..]` names, is
/// not a route; with `notes.rs` read alone its mount may be elsewhere, so it is listed.
#[test]
fn a_rocket_route_no_mount_lists_is_served_only_when_the_mounts_may_be_unseen() {
    let listed = |target: &str| -> Vec<String> {
        let output = run_in(&repo(), &["routes", "--format", "json", target]);
        assert!(output.status.success(), "{}", stderr(&output));
        let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|route| format!("{} {}", route["method"], route["path"]))
            .collect()
    };
    let teapot = "\"GET\" \"/teapot\"".to_string();
    let whole = listed("tests/apps/rocket-notes");
    assert!(!whole.contains(&teapot), "{whole:?}");
    assert!(
        whole.contains(&"\"GET\" \"/notes\"".to_string()),
        "{whole:?}"
    );
    let alone = listed("tests/apps/rocket-notes/src/notes.rs");
    assert!(alone.contains(&teapot), "{alone:?}");
}
