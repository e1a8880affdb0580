use std::path::Path;

use super::*;

fn read_yaml(text: &str) -> Loaded {
    read_document(Path::new("spec/api.yaml"), text)
}

/// Each operation as `GET /users/{id} 200 4XX default`, base paths in brackets.
fn summary(loaded: &Loaded) -> Vec<String> {
    let Some(contract) = &loaded.contract else {
        return Vec::new();
    };
    contract.operations.iter().map(describe).collect()
}

fn describe(operation: &Operation) -> String {
    let mut text = format!("{} {}", operation.method.as_str(), operation.path);
    for status in &operation.responses {
        text.push_str(&format!(" {}", status.key));
    }
    for base in &operation.base_paths {
        text.push_str(&format!(" [{base}]"));
    }
    text
}

/// Each problem as `line:column message`.
fn problems(loaded: &Loaded) -> Vec<String> {
    let show = |p: &Problem| format!("{}:{} {}", p.line, p.column, p.message);
    loaded.problems.iter().map(show).collect()
}

const PETS_31: &str = r"openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: the pets}
        4XX: {description: your mistake}
        default: {description: anything else}
    post:
      responses:
        201: {description: made}
        '409': {description: exists}
  /pets/{petId}:
    delete:
      responses:
        '204': {description: gone}
        '4xx': {description: your mistake}
";

#[test]
fn openapi_31_yaml_gives_each_method_its_statuses() {
    let loaded = read_yaml(PETS_31);
    assert_eq!(problems(&loaded), Vec::<String>::new());
    assert_eq!(
        summary(&loaded),
        [
            "GET /pets 200 4XX default",
            "POST /pets 201 409",
            "DELETE /pets/{petId} 204 4XX",
        ]
    );
    let contract = loaded.contract.unwrap();
    assert_eq!(contract.source.format, Format::OpenApi31);
    assert_eq!(
        contract.source.place,
        Place::InDocument(Position { line: 1, column: 1 })
    );
    assert_eq!(
        contract.operations[0].operation_id.as_deref(),
        Some("listPets")
    );
}

#[test]
fn operations_and_statuses_carry_their_positions() {
    let loaded = read_yaml(PETS_31);
    let contract = loaded.contract.unwrap();
    let post = &contract.operations[1];
    assert_eq!(
        post.place,
        Place::InDocument(Position {
            line: 11,
            column: 5
        })
    );
    let created = &post.responses[0];
    assert_eq!(created.key, StatusKey::Code(201));
    assert_eq!(
        created.place,
        Place::InDocument(Position {
            line: 13,
            column: 9
        })
    );
}

#[test]
fn openapi_30_json_reads_like_yaml() {
    let json = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Pets", "version": "1"},
  "paths": {
    "/pets/{id}": {
      "get": {"responses": {"200": {"description": "a pet"}, "404": {"description": "no pet"}}},
      "put": {"responses": {"5XX": {"description": "our fault"}, "default": {"description": "other"}}}
    }
  }
}"#;
    let loaded = read_document(Path::new("openapi.json"), json);
    assert_eq!(problems(&loaded), Vec::<String>::new());
    assert_eq!(
        summary(&loaded),
        ["GET /pets/{id} 200 404", "PUT /pets/{id} 5XX default"]
    );
    let contract = loaded.contract.unwrap();
    assert_eq!(contract.source.format, Format::OpenApi30);
    let not_found = &contract.operations[0].responses[1];
    assert_eq!(
        not_found.place,
        Place::InDocument(Position {
            line: 6,
            column: 62
        })
    );
}

#[test]
fn swagger_20_responses_and_base_path_are_read() {
    let yaml = r"swagger: '2.0'
info: {title: Old, version: '1'}
basePath: /api
paths:
  /orders:
    post:
      responses:
        '201': {description: made}
        '400': {$ref: '#/responses/Bad'}
responses:
  Bad: {description: bad order}
";
    let loaded = read_yaml(yaml);
    assert_eq!(problems(&loaded), Vec::<String>::new());
    assert_eq!(summary(&loaded), ["POST /orders 201 400 [/api]"]);
    assert_eq!(loaded.contract.unwrap().source.format, Format::Swagger2);
}

#[test]
fn a_response_ref_is_resolved_and_a_dangling_one_is_a_problem_that_keeps_the_status() {
    let yaml = r"openapi: 3.0.0
info: {title: Refs, version: '1'}
paths:
  /users/{id}:
    get:
      responses:
        '200': {description: a user}
        '404': {$ref: '#/components/responses/NotFound'}
        '410': {$ref: '#/components/responses/Gone'}
  /health:
    get:
      responses:
        '200': {description: up}
components:
  responses:
    NotFound: {description: no such user}
";
    let loaded = read_yaml(yaml);
    assert_eq!(
        problems(&loaded),
        [
            "9:23 `$ref: #/components/responses/Gone` points nowhere: `#/components/responses` has no `Gone`"
        ]
    );
    assert_eq!(
        summary(&loaded),
        ["GET /users/{id} 200 404 410", "GET /health 200"]
    );
}

#[test]
fn a_path_item_ref_brings_its_operations_and_fields_written_here_win() {
    let yaml = r"openapi: 3.1.0
info: {title: Items, version: '1'}
paths:
  /items:
    $ref: '#/components/pathItems/Items'
    get:
      responses:
        '200': {description: mine}
  /lost:
    $ref: '#/components/pathItems/Lost'
components:
  pathItems:
    Items:
      get:
        responses:
          '204': {description: theirs}
      post:
        responses:
          '201': {description: made}
";
    let loaded = read_yaml(yaml);
    assert_eq!(summary(&loaded), ["GET /items 200", "POST /items 201"]);
    assert_eq!(
        problems(&loaded),
        [
            "10:11 `$ref: #/components/pathItems/Lost` points nowhere: `#/components/pathItems` has no `Lost`"
        ]
    );
    let contract = loaded.contract.unwrap();
    let post = &contract.operations[1];
    assert_eq!(
        post.place,
        Place::InDocument(Position {
            line: 17,
            column: 7
        })
    );
}

#[test]
fn a_path_item_in_another_document_is_reported_as_unknown() {
    let yaml = r"openapi: 3.1.0
info: {title: Split, version: '1'}
paths:
  /split:
    $ref: 'paths/split.yaml'
";
    let loaded = read_yaml(yaml);
    assert!(loaded.contract.is_some());
    assert_eq!(
        problems(&loaded),
        [
            "5:11 path `/split` refers to `paths/split.yaml` in another document, which is not read: operations it holds are unknown"
        ]
    );
}

#[test]
fn a_response_ref_to_another_document_keeps_the_status_silently() {
    let yaml = r"openapi: 3.1.0
info: {title: Split, version: '1'}
paths:
  /a:
    get:
      responses:
        '404': {$ref: 'common.yaml#/components/responses/NotFound'}
";
    let loaded = read_yaml(yaml);
    assert_eq!(problems(&loaded), Vec::<String>::new());
    assert_eq!(summary(&loaded), ["GET /a 404"]);
}

#[test]
fn invalid_yaml_is_one_problem_with_its_position_and_no_contract() {
    let yaml = "openapi: 3.1.0\npaths:\n  /a:\n    get: [\n  oops: : x\n";
    let loaded = read_yaml(yaml);
    assert!(loaded.contract.is_none());
    assert_eq!(
        problems(&loaded),
        ["5:3 not valid YAML: invalid indentation"]
    );
    let problem = &loaded.problems[0];
    assert_eq!(
        problem.to_string(),
        "spec/api.yaml:5:3: not valid YAML: invalid indentation"
    );
}

#[test]
fn invalid_json_names_json() {
    let loaded = read_document(Path::new("openapi.json"), "{\"openapi\": \"3.1.0\",,}");
    assert!(loaded.contract.is_none());
    assert_eq!(loaded.problems.len(), 1);
    assert!(
        loaded.problems[0].message.starts_with("not valid JSON: "),
        "{:?}",
        loaded.problems
    );
}

#[test]
fn a_bad_operation_is_skipped_and_the_rest_still_loads() {
    let yaml = r"openapi: 3.1.0
info: {title: Mixed, version: '1'}
paths:
  /a:
    get: not an operation
    post:
      responses:
        '201': {description: made}
        '20': {description: typo}
        x-note: {description: an extension}
  /b:
    GET:
      responses: {'200': {description: ok}}
    put:
      responses: [200]
  c:
    get: {responses: {'200': {description: ok}}}
";
    let loaded = read_yaml(yaml);
    assert_eq!(summary(&loaded), ["POST /a 201"]);
    assert_eq!(
        problems(&loaded),
        [
            "5:5 `GET /a` is not a mapping: skipped",
            "9:9 `20` in the responses of `POST /a` is not a status (a code from 100 to 599, `1XX` to `5XX`, or `default`): skipped",
            "12:5 `GET` is not a path item field: OpenAPI spells methods in lower case (`get`); skipped",
            "15:7 the `responses` of `PUT /b` are not a mapping: skipped",
            "16:3 path `c` does not start with `/`: skipped",
        ]
    );
}

#[test]
fn missing_responses_are_a_problem_in_30_and_allowed_in_31() {
    let body = "info: {title: T, version: '1'}\npaths:\n  /a:\n    get: {summary: no responses}\n";
    let loaded_30 = read_yaml(&format!("openapi: 3.0.3\n{body}"));
    assert_eq!(summary(&loaded_30), Vec::<String>::new());
    assert_eq!(
        problems(&loaded_30),
        ["5:5 `GET /a` has no `responses`: skipped"]
    );
    let loaded_31 = read_yaml(&format!("openapi: 3.1.0\n{body}"));
    assert_eq!(summary(&loaded_31), Vec::<String>::new());
    assert_eq!(problems(&loaded_31), Vec::<String>::new());
}

#[test]
fn another_method_on_the_same_path_is_another_operation() {
    let yaml = "openapi: 3.1.0\npaths:\n  /a:\n    get: {responses: {'200': {}}}\n    head: {responses: {'200': {}}}\n    trace: {responses: {'200': {}}}\n";
    assert_eq!(
        summary(&read_yaml(yaml)),
        ["GET /a 200", "HEAD /a 200", "TRACE /a 200"]
    );
}

#[test]
fn the_same_path_with_other_parameter_names_is_a_duplicate() {
    let yaml = r"openapi: 3.1.0
paths:
  /users/{id}:
    get: {responses: {'200': {}}}
  /users/{userId}:
    get: {responses: {'404': {}}}
    put: {responses: {'204': {}}}
";
    let loaded = read_yaml(yaml);
    assert_eq!(
        summary(&loaded),
        ["GET /users/{id} 200", "PUT /users/{userId} 204"]
    );
    assert_eq!(
        problems(&loaded),
        [
            "6:5 `GET /users/{userId}` repeats `GET /users/{id}` of line 4 (parameter names do not make paths different): skipped"
        ]
    );
}

#[test]
fn servers_give_base_paths_and_the_nearest_level_wins() {
    let yaml = r"openapi: 3.1.0
servers: [{url: 'https://api.example.com/v1'}]
paths:
  /a:
    get: {responses: {'200': {}}}
  /b:
    servers: [{url: /internal}]
    get: {responses: {'200': {}}}
    post:
      servers: [{url: 'https://example.com'}]
      responses: {'201': {}}
";
    let loaded = read_yaml(yaml);
    assert_eq!(
        summary(&loaded),
        ["GET /a 200 [/v1]", "GET /b 200 [/internal]", "POST /b 201"]
    );
}

#[test]
fn documents_that_are_not_openapi_give_no_contract() {
    let cases = [
        ("", "1:1 the document is empty"),
        (
            "- a\n- b\n",
            "1:1 not an OpenAPI document: its top level is not a mapping",
        ),
        (
            "name: my-app\n",
            "1:1 not an OpenAPI document: no `openapi` or `swagger` field",
        ),
        (
            "openapi: 4.0.0\n",
            "1:10 `openapi: 4.0.0` is not a version this reads (Swagger 2.0, OpenAPI 3.0 or 3.1)",
        ),
    ];
    for (text, expected) in cases {
        let loaded = read_yaml(text);
        assert!(loaded.contract.is_none(), "{text}");
        assert_eq!(problems(&loaded), [expected], "{text}");
    }
}

#[test]
fn openapi_32_reads_as_31() {
    let loaded = read_yaml("openapi: 3.2.0\npaths:\n  /a:\n    get: {responses: {'200': {}}}\n");
    assert_eq!(summary(&loaded), ["GET /a 200"]);
    assert_eq!(loaded.contract.unwrap().source.format, Format::OpenApi31);
}

#[test]
fn shared_responses_through_yaml_merge_keys_count() {
    let yaml = r"openapi: 3.1.0
x-common: &common
  '401': {description: who are you}
  '5XX': {description: our fault}
paths:
  /a:
    get:
      responses:
        <<: *common
        '200': {description: ok}
";
    assert_eq!(summary(&read_yaml(yaml)), ["GET /a 200 401 5XX"]);
}

#[test]
fn a_thousand_bad_parts_list_a_hundred_and_count_the_rest() {
    let mut yaml = String::from("openapi: 3.1.0\npaths:\n");
    for index in 0..1000 {
        yaml.push_str(&format!("  p{index}: {{}}\n"));
    }
    let loaded = read_yaml(&yaml);
    assert_eq!(loaded.problems.len(), MAX_PROBLEMS + 1);
    let last = loaded.problems.last().unwrap();
    assert_eq!(
        last.message,
        "900 more problems in this document, not listed"
    );
}

#[test]
fn a_ten_megabyte_document_loads_whole_with_nodes_proportionate_to_its_text() {
    let operations = 10_600;
    let yaml = generated_document(operations);
    assert!(yaml.len() > 10_000_000, "{} bytes", yaml.len());
    let tree = tree::parse(&yaml).unwrap();
    assert!(
        tree.len() < yaml.len() / 8,
        "{} nodes for {} bytes",
        tree.len(),
        yaml.len()
    );
    let mut problems = Problems::new(Path::new("big.yaml"));
    let contract = read_tree(Path::new("big.yaml"), &tree, &mut problems).unwrap();
    assert_eq!(problems.finish(), Vec::<Problem>::new());
    assert_eq!(contract.operations.len(), operations * 2);
    let last = contract.operations.last().unwrap();
    let expected = format!(
        "POST /resource{}/items/{{id}} 201 400 404 5XX",
        operations - 1
    );
    assert_eq!(describe(last), expected);
}

/// A document of `count` paths, two operations each, whose responses mostly point at shared
/// components, padded with descriptions and schemas the way real documents are.
fn generated_document(count: usize) -> String {
    let mut yaml = String::from("openapi: 3.1.0\ninfo: {title: Big, version: '1'}\npaths:\n");
    for index in 0..count {
        yaml.push_str(&format!(
            r"  /resource{index}/items/{{id}}:
    get:
      operationId: get{index}
      description: Reads one item of resource {index}. This sentence is here to give the document the length of a real description.
      responses:
        '200':
          description: the item
          content:
            application/json:
              schema: {{type: object, properties: {{id: {{type: string}}, name: {{type: string}}}}}}
        '404': {{$ref: '#/components/responses/NotFound'}}
    post:
      operationId: post{index}
      description: Adds an item to resource {index}; the request body is described in the schema below.
      requestBody:
        content:
          application/json:
            schema: {{type: object, properties: {{name: {{type: string, maxLength: 200}}}}}}
      responses:
        '201': {{description: made}}
        '400': {{$ref: '#/components/responses/Invalid'}}
        '404': {{$ref: '#/components/responses/NotFound'}}
        5XX: {{description: our fault}}
"
        ));
    }
    yaml.push_str(
        "components:\n  responses:\n    NotFound: {description: no such item}\n    Invalid: {description: bad input}\n",
    );
    yaml
}

#[test]
fn aliases_that_repeat_a_large_item_stop_reading_with_a_problem() {
    let mut yaml = String::from("openapi: 3.1.0\nx-item: &item\n  get:\n    responses:\n");
    for code in 200..600 {
        yaml.push_str(&format!("      '{code}': {{}}\n"));
    }
    yaml.push_str("paths:\n");
    let paths = 20_000;
    for index in 0..paths {
        yaml.push_str(&format!("  /p{index}: *item\n"));
    }
    let loaded = read_yaml(&yaml);
    let contract = loaded.contract.unwrap();
    let read = contract.operations.len();
    assert!(read > 100 && read < paths, "{read} operations read");
    assert!(
        contract
            .operations
            .iter()
            .all(|operation| operation.responses.len() == 400)
    );
    let [problem] = loaded.problems.as_slice() else {
        panic!("{:?}", loaded.problems);
    };
    assert_eq!(problem.line, 406 + u32::try_from(read).unwrap());
    assert!(
        problem
            .message
            .starts_with("this document repeats large parts"),
        "{}",
        problem.message
    );
}

#[test]
fn merge_keys_that_nest_and_repeat_count_each_mapping_once() {
    let mut yaml = String::from("openapi: 3.1.0\nx-0: &m0 {'200': {}, '201': {}}\n");
    for level in 1..30 {
        let sources = vec![format!("*m{}", level - 1); 8].join(", ");
        yaml.push_str(&format!(
            "x-{level}: &m{level} {{'{}': {{}}, <<: [{sources}]}}\n",
            300 + level
        ));
    }
    yaml.push_str("paths:\n  /a:\n    get:\n      responses: *m29\n");
    let loaded = read_yaml(&yaml);
    assert_eq!(problems(&loaded), Vec::<String>::new());
    let contract = loaded.contract.unwrap();
    let statuses = contract.operations[0].responses.len();
    assert_eq!(
        statuses,
        16 + 1,
        "merges nest 16 levels below the mapping itself"
    );
}
