use std::path::Path;

use super::*;
use crate::openapi::read_document;
use crate::tree;

/// The official OpenAPI 3.1 schema, vendored (see tests/data/README.md).
const SCHEMA: &str = include_str!("../../tests/data/openapi-3.1-schema-2025-11-23.json");

fn schema_errors(document: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(document)
        .map(|error| error.to_string())
        .collect()
}

fn yaml_as_json(yaml: &str) -> serde_json::Value {
    let tree = tree::parse(yaml).unwrap();
    tree.to_json(tree.root())
}

fn info() -> SkeletonInfo {
    SkeletonInfo {
        title: "Shop \"API\"\nfrom code".to_string(),
        version: "0.1.0".to_string(),
    }
}

fn sends(method: Method, path: &str, statuses: &[(StatusKey, &str)]) -> SkeletonRoute {
    let responses = statuses
        .iter()
        .map(|(status, description)| SkeletonResponse {
            status: *status,
            description: description.to_string(),
        })
        .collect();
    SkeletonRoute {
        method,
        path: PathTemplate::from_route(path),
        responses,
    }
}

fn routes() -> Vec<SkeletonRoute> {
    use StatusKey::{Code, Range};
    vec![
        sends(
            Method::Get,
            "/users/:id",
            &[(Code(404), "Not Found"), (Code(200), "OK")],
        ),
        sends(Method::Put, "/users/{userId}", &[(Code(204), "No Content")]),
        sends(
            Method::Post,
            "/users",
            &[(Code(201), "Created"), (Range(4), "Client Error")],
        ),
        sends(
            Method::Get,
            "/users/<id>",
            &[(Code(500), "Internal Server Error"), (Code(200), "again")],
        ),
        sends(Method::Get, "/", &[]),
        sends(Method::Connect, "/tunnel", &[(Code(200), "OK")]),
        sends(Method::Get, "/files/*", &[(Code(200), "OK")]),
        sends(
            Method::Get,
            "/a/:id/b/:id/(\\d+)",
            &[(StatusKey::Default, "Anything")],
        ),
    ]
}

#[test]
fn the_yaml_skeleton_groups_routes_by_template_and_sorts_statuses() {
    let expected = r#"openapi: "3.1.0"
info:
  title: "Shop \"API\"\nfrom code"
  version: "0.1.0"
paths:
  "/users/{id}":
    parameters:
      - name: "id"
        in: "path"
        required: true
        schema:
          type: "string"
    get:
      responses:
        "200":
          description: "OK"
        "404":
          description: "Not Found"
        "500":
          description: "Internal Server Error"
    put:
      responses:
        "204":
          description: "No Content"
  "/users":
    post:
      responses:
        "201":
          description: "Created"
        "4XX":
          description: "Client Error"
  "/":
    get: {}
  "/files/{param1}":
    parameters:
      - name: "param1"
        in: "path"
        required: true
        schema:
          type: "string"
    get:
      responses:
        "200":
          description: "OK"
"#;
    let yaml = openapi_yaml(&info(), &routes());
    assert!(yaml.starts_with(expected), "{yaml}");
    assert!(yaml.contains("  \"/a/{id}/b/{id1}/{param1}\":\n"), "{yaml}");
    assert!(!yaml.contains("tunnel"), "{yaml}");
}

#[test]
fn the_yaml_skeleton_validates_against_the_openapi_31_schema() {
    let document = yaml_as_json(&openapi_yaml(&info(), &routes()));
    assert_eq!(schema_errors(&document), Vec::<String>::new());
}

#[test]
fn the_json_skeleton_validates_and_says_the_same_as_the_yaml() {
    let json = openapi_json(&info(), &routes());
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(schema_errors(&document), Vec::<String>::new());
    assert_eq!(document, yaml_as_json(&openapi_yaml(&info(), &routes())));
}

#[test]
fn an_empty_skeleton_is_a_valid_document_with_no_paths() {
    let yaml = openapi_yaml(&info(), &[]);
    assert!(yaml.ends_with("paths: {}\n"), "{yaml}");
    assert_eq!(schema_errors(&yaml_as_json(&yaml)), Vec::<String>::new());
}

#[test]
fn the_schema_check_is_live_it_refuses_a_broken_document() {
    let mut document = yaml_as_json(&openapi_yaml(&info(), &routes()));
    document["paths"]["/users"]["post"]["responses"]["600"] =
        serde_json::json!({"description": "x"});
    document["info"] = serde_json::json!({"title": "no version"});
    assert_eq!(
        schema_errors(&document).len(),
        2,
        "{:?}",
        schema_errors(&document)
    );
}

#[test]
fn the_skeleton_reads_back_as_the_contract_of_the_same_routes() {
    let yaml = openapi_yaml(&info(), &routes());
    let loaded = read_document(Path::new("skeleton.yaml"), &yaml);
    assert_eq!(loaded.problems, []);
    let contract = loaded.contract.unwrap();
    let read: Vec<String> = contract
        .operations
        .iter()
        .map(|operation| {
            let statuses: Vec<String> = operation
                .responses
                .iter()
                .map(|d| d.key.to_string())
                .collect();
            format!(
                "{} {} {}",
                operation.method.as_str(),
                operation.path,
                statuses.join(" ")
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            "GET /users/{id} 200 404 500",
            "PUT /users/{id} 204",
            "POST /users 201 4XX",
            "GET /files/{param1} 200",
            "GET /a/{id}/b/{id1}/{param1} default",
        ]
    );
}

#[test]
fn strings_that_need_escaping_survive_both_writers() {
    let info = SkeletonInfo {
        title: "tab\there \\ quote\" bell\u{7} é ✓".to_string(),
        version: "true".to_string(),
    };
    let yaml = yaml_as_json(&openapi_yaml(&info, &[]));
    let json: serde_json::Value = serde_json::from_str(&openapi_json(&info, &[])).unwrap();
    for document in [yaml, json] {
        assert_eq!(document["info"]["title"], info.title.as_str());
        assert_eq!(document["info"]["version"], "true");
    }
}
