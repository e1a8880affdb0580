//! The Rust extractor on small sources: helper defaults, headers, insertions, bodies.

use hsl_facts::{Language, SiteRole};

/// The codes set in a handler body written after `prelude` (the framework's `use` lines).
fn codes(prelude: &str, body: &str) -> Vec<u16> {
    let source = format!("{prelude}\nasync fn h() -> R {{\n    {body}\n}}\n");
    let (facts, _) = crate::analyze(Language::Rust, &source);
    facts
        .responses
        .iter()
        .filter(|response| response.role == SiteRole::Sets)
        .filter_map(|response| response.status.code)
        .collect()
}

/// actix-web 4.15.0, actix/actix-web@4dc9f1d38 actix-web/src/redirect.rs: `Redirect::to`
/// and `Redirect::new` are 307 (:77, :99; the doc at :130 says 308, the code says 307),
/// `.see_other()` 303 (:124-125), `.temporary()` 307 (:117-118), `.permanent()` 308
/// (:108-109). Builders: actix-web/src/response/http_codes.rs:37-43.
#[test]
fn actix_web_redirect_defaults() {
    let prelude = "use actix_web::{web, HttpResponse};";
    assert_eq!(codes(prelude, r#"web::Redirect::to("/x")"#), [307]);
    assert_eq!(
        codes(prelude, r#"web::Redirect::to("/x").see_other()"#),
        [303]
    );
    assert_eq!(
        codes(prelude, r#"web::Redirect::to("/x").temporary()"#),
        [307]
    );
    assert_eq!(
        codes(prelude, r#"web::Redirect::to("/x").permanent()"#),
        [308]
    );
    assert_eq!(codes(prelude, "HttpResponse::Found().finish()"), [302]);
    assert_eq!(codes(prelude, "HttpResponse::SeeOther().finish()"), [303]);
    assert_eq!(
        codes(prelude, "HttpResponse::MovedPermanently().finish()"),
        [301]
    );
    assert_eq!(
        codes(prelude, "HttpResponse::TemporaryRedirect().finish()"),
        [307]
    );
    assert_eq!(
        codes(prelude, "HttpResponse::PermanentRedirect().finish()"),
        [308]
    );
}

/// axum 0.8.9, tokio-rs/axum@3d78036d axum/src/response/redirect.rs: `to` 303 (:37-38),
/// `temporary` 307 (:47-48), `permanent` 308 (:54-55).
#[test]
fn axum_redirect_defaults() {
    let prelude = "use axum::response::Redirect;";
    assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), [303]);
    assert_eq!(codes(prelude, r#"Redirect::temporary("/x")"#), [307]);
    assert_eq!(codes(prelude, r#"Redirect::permanent("/x")"#), [308]);
}

/// Rocket 0.5, rwf2/Rocket@3a54d079 core/lib/src/response/redirect.rs (same codes at tag
/// v0.5.1): `to` 303 (:66-67), `temporary` 307 (:86-87), `permanent` 308 (:106-107),
/// `found` 302 (:126-127), `moved` 301 (:144-145).
#[test]
fn rocket_redirect_defaults() {
    let prelude = "use rocket::response::Redirect;";
    assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), [303]);
    assert_eq!(codes(prelude, r#"Redirect::temporary("/x")"#), [307]);
    assert_eq!(codes(prelude, r#"Redirect::permanent("/x")"#), [308]);
    assert_eq!(codes(prelude, r#"Redirect::found("/x")"#), [302]);
    assert_eq!(codes(prelude, r#"Redirect::moved("/x")"#), [301]);
    // `#[macro_use] extern crate rocket;` shows the framework as a `use` does.
    let prelude = "#[macro_use]\nextern crate rocket;";
    assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), [303]);
}

/// warp 0.4.3, seanmonstar/warp@118d504 src/redirect.rs (same codes at v0.3.7):
/// `warp::redirect` 301 (:26-28, re-exported at src/lib.rs:160), `redirect::found` 302
/// (:49-50), `see_other` 303 (:70-71), `temporary` 307 (:92-94), `permanent` 308 (:118-120).
#[test]
fn warp_redirect_defaults() {
    let prelude = "use warp::Filter;";
    assert_eq!(codes(prelude, "warp::redirect(uri)"), [301]);
    assert_eq!(codes(prelude, "warp::redirect::redirect(uri)"), [301]);
    assert_eq!(codes(prelude, "warp::redirect::found(uri)"), [302]);
    assert_eq!(codes(prelude, "warp::redirect::see_other(uri)"), [303]);
    assert_eq!(codes(prelude, "warp::redirect::temporary(uri)"), [307]);
    assert_eq!(codes(prelude, "warp::redirect::permanent(uri)"), [308]);
}

/// poem 3.1.12, poem-web/poem@6ede4fb8 poem/src/web/redirect.rs: no default constructor;
/// `see_other` 303 (:56), `temporary` 307 (:64), `permanent` 308 (:40), `moved_permanent`
/// 301 (:48).
#[test]
fn poem_redirect_defaults() {
    let prelude = "use poem::web::Redirect;";
    assert_eq!(codes(prelude, r#"Redirect::see_other("/x")"#), [303]);
    assert_eq!(codes(prelude, r#"Redirect::temporary("/x")"#), [307]);
    assert_eq!(codes(prelude, r#"Redirect::permanent("/x")"#), [308]);
    assert_eq!(codes(prelude, r#"Redirect::moved_permanent("/x")"#), [301]);
    assert_eq!(codes(prelude, r#"Redirect::to("/x")"#), Vec::<u16>::new());
}

/// Status helpers that are not redirects: actix `error::ErrorX` (actix-web/src/error/
/// internal.rs:130-185), Rocket `status::Created::new` and wrappers (core/lib/src/response/
/// status.rs:54,299-304), poem `Error::from_status` (poem/src/error.rs:335).
#[test]
fn status_helpers_and_functions() {
    let actix = "use actix_web::{error, HttpResponse};";
    assert_eq!(codes(actix, r#"Err(error::ErrorNotFound("x"))"#), [404]);
    assert_eq!(
        codes(actix, "HttpResponse::VersionNotSupported().finish()"),
        [505]
    );
    let rocket = "use rocket::response::status;";
    assert_eq!(codes(rocket, r#"status::Created::new("/x")"#), [201]);
    assert_eq!(codes(rocket, r#"status::Conflict("taken")"#), [409]);
    // Rocket's `Status` consts need Rocket imported: `Status` alone is a common name.
    let status = "use rocket::http::Status;";
    assert_eq!(codes(status, r#"(Status::SeeOther, "x")"#), [303]);
    assert_eq!(codes("", r#"(Status::SeeOther, "x")"#), Vec::<u16>::new());
    // A bare `Status` responder sends 100, 200-205 and 400-599 as written; a 3xx becomes
    // 500 (core/lib/src/response/responder.rs:520-552).
    assert_eq!(codes(status, "Status::NoContent"), [204]);
    assert_eq!(codes(status, "Status::SeeOther"), Vec::<u16>::new());
    assert_eq!(
        codes(
            actix,
            "Err(InternalError::new(e, StatusCode::CONFLICT).into())"
        ),
        [409]
    );
    assert_eq!(codes(status, "res.set_status(Status::Accepted)"), [202]);
    let poem = "use poem::{http::StatusCode, Error};";
    assert_eq!(codes(poem, "Error::from_status(StatusCode::GONE)"), [410]);
}

/// A helper several frameworks define with different codes is read only with the table
/// of the framework the file imports.
#[test]
fn ambiguous_redirect_helpers_need_the_framework() {
    assert_eq!(codes("", r#"Redirect::to("/x")"#), Vec::<u16>::new());
}

/// The set responses of a file: code, whether its headers are all visible, the header names.
fn header_facts(source: &str) -> Vec<(u16, bool, Vec<String>)> {
    let (facts, _) = crate::analyze(Language::Rust, source);
    facts
        .responses
        .iter()
        .filter(|response| response.role == SiteRole::Sets)
        .map(|response| {
            let mut names: Vec<String> = response.headers.iter().map(|h| h.name.clone()).collect();
            names.sort();
            names.dedup();
            (
                response.status.code.unwrap_or(0),
                response.headers_complete,
                names,
            )
        })
        .collect()
}

fn one(source: &str) -> (u16, bool, Vec<String>) {
    let found = header_facts(source);
    assert_eq!(found.len(), 1, "{found:?} in\n{source}");
    found.into_iter().next().unwrap_or_default()
}

const AXUM: &str = "use axum::{http::{header, header::LOCATION, HeaderMap, StatusCode}, response::IntoResponse};\n";

/// Headers written in the construction itself are all the response has.
#[test]
fn constructions_returned_as_built_are_complete() {
    let tuple = format!(
        "{AXUM}async fn h() -> impl IntoResponse {{ (StatusCode::CREATED, [(header::LOCATION, url)], Json(x)) }}"
    );
    assert_eq!(one(&tuple), (201, true, vec!["location".to_string()]));
    let parts_first = format!(
        "{AXUM}async fn h() -> impl IntoResponse {{ ([(LOCATION, u)], StatusCode::FOUND) }}"
    );
    assert_eq!(one(&parts_first), (302, true, vec!["location".to_string()]));
    let bare = format!("{AXUM}async fn h() -> StatusCode {{ StatusCode::METHOD_NOT_ALLOWED }}");
    assert_eq!(one(&bare), (405, true, vec![]));
    let builder = "use http::{header, Response, StatusCode};\nfn h() -> Response<()> { Response::builder().status(405).header(header::ALLOW, \"GET\").body(()).unwrap() }";
    assert_eq!(one(builder), (405, true, vec!["allow".to_string()]));
    let actix = "use actix_web::{http::header::ALLOW, HttpResponse};\nasync fn h() -> HttpResponse { HttpResponse::MethodNotAllowed().insert_header((ALLOW, \"GET\")).finish() }";
    assert_eq!(one(actix), (405, true, vec!["allow".to_string()]));
    // A helper below a status method sets its header (`Redirect::to` sets `Location`).
    let redirect = "use actix_web::{web, http::StatusCode};\nasync fn h() -> impl Responder { web::Redirect::to(\"/x\").using_status_code(StatusCode::FOUND) }";
    assert_eq!(one(redirect), (302, true, vec!["location".to_string()]));
    let warp = "use warp::{http::{header, StatusCode}, reply};\nasync fn h() -> Result<impl Reply, Rejection> { Ok(reply::with_header(reply::with_status(reply(), StatusCode::CREATED), header::LOCATION, \"/x\")) }";
    assert_eq!(one(warp), (201, true, vec!["location".to_string()]));
    let poem = "use poem::{http::{header, StatusCode}, IntoResponse};\nfn h() -> impl IntoResponse { StatusCode::UNAUTHORIZED.with_header(header::WWW_AUTHENTICATE, \"Bearer\") }";
    assert_eq!(one(poem), (401, true, vec!["www-authenticate".to_string()]));
}

/// A header source the syntax cannot read makes the headers incomplete.
#[test]
fn hidden_header_sources_are_incomplete() {
    let map = format!(
        "{AXUM}async fn h(headers: HeaderMap) -> impl IntoResponse {{ (StatusCode::FOUND, headers) }}"
    );
    assert!(!one(&map).1);
    let middle = format!(
        "{AXUM}async fn h(headers: HeaderMap) -> impl IntoResponse {{ (StatusCode::CREATED, headers, Json(x)) }}"
    );
    assert!(!one(&middle).1);
    let inner = "use warp::{http::StatusCode, reply};\nasync fn h(r: impl Reply) -> Result<impl Reply, Rejection> { Ok(reply::with_status(r, StatusCode::CREATED)) }";
    assert!(!one(inner).1);
    let receiver = "use poem::{http::StatusCode, IntoResponse, Response};\nfn h(inner: Response) -> impl IntoResponse { inner.with_status(StatusCode::FOUND) }";
    assert!(!one(receiver).1);
    // A builder started by an unknown function may carry headers already.
    let helper = "use http::StatusCode;\nfn h() -> Response<()> { base().status(StatusCode::FOUND).body(()).unwrap() }";
    assert!(!one(helper).1);
    // A response passed to a helper is changed out of sight.
    let passed = "use actix_web::HttpResponse;\nasync fn h() -> HttpResponse { finish(HttpResponse::Found().finish()) }";
    assert!(!one(passed).1);
    // An error converted into a custom type may get headers from its `IntoResponse`.
    let custom = format!(
        "{AXUM}async fn h(t: Option<u8>) -> Result<String, AppError> {{ t.ok_or(StatusCode::UNAUTHORIZED)?; Ok(String::new()) }}"
    );
    assert!(!one(&custom).1);
    let plain = format!(
        "{AXUM}async fn h(t: Option<u8>) -> Result<String, StatusCode> {{ t.ok_or(StatusCode::UNAUTHORIZED)?; Ok(String::new()) }}"
    );
    assert!(one(&plain).1);
    let into = format!(
        "{AXUM}async fn h() -> Result<String, ApiError> {{ Err(StatusCode::UNAUTHORIZED.into()) }}"
    );
    assert!(!one(&into).1);
    // Rocket `#[derive(Responder)]` fields may be headers.
    let derived = "use rocket::http::Header;\n#[derive(Responder)]\n#[response(status = 201)]\nstruct Made(Json<Value>, Header<'static>);";
    assert!(!one(derived).1);
}

/// A response bound to a name is complete when every later use of the name is seen.
#[test]
fn bindings_are_followed_in_their_block() {
    let prelude = "use hyper::{header, header::HeaderValue, Response, StatusCode};\n";
    let inserted = format!(
        "{prelude}fn h() -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    res.headers_mut().insert(header::LOCATION, HeaderValue::from_static(\"/x\"));\n    res\n}}"
    );
    assert_eq!(one(&inserted), (302, true, vec!["location".to_string()]));
    let plain = format!(
        "{prelude}fn h() -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    Ok(res)\n}}"
    );
    assert_eq!(one(&plain), (302, true, vec![]));
    let handed = format!(
        "{prelude}fn h() -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    locate(&mut res);\n    res\n}}"
    );
    assert!(!one(&handed).1);
    // A response that is a parameter was built elsewhere.
    let parameter = format!(
        "{prelude}fn h(mut res: Response<()>) -> Response<()> {{\n    *res.status_mut() = StatusCode::FOUND;\n    res\n}}"
    );
    assert!(!one(&parameter).1);
    // A binding from an unknown call may already have headers.
    let unknown = format!(
        "{prelude}fn h() -> Response<()> {{\n    let mut res = make();\n    *res.status_mut() = StatusCode::FOUND;\n    res\n}}"
    );
    assert!(!one(&unknown).1);
    let built = "use actix_web::{http::header, HttpResponse};\nasync fn h() -> HttpResponse {\n    let mut builder = HttpResponse::MethodNotAllowed();\n    builder.insert_header((header::ALLOW, \"GET\"));\n    builder.finish()\n}";
    assert_eq!(one(built), (405, true, vec!["allow".to_string()]));
    let rebound = "use warp::{http::StatusCode, reply};\nasync fn h() -> Result<impl Reply, Rejection> {\n    let r = reply::with_status(reply(), StatusCode::SEE_OTHER);\n    Ok(reply::with_header(r, \"location\", \"/x\"))\n}";
    assert_eq!(one(rebound), (303, true, vec!["location".to_string()]));
    // A header named by a variable could be any header.
    let variable = format!(
        "{prelude}fn h(name: HeaderName) -> Response<()> {{\n    let mut res = Response::new(());\n    *res.status_mut() = StatusCode::FOUND;\n    res.headers_mut().insert(name, v);\n    res\n}}"
    );
    assert!(!one(&variable).1);
}

/// Where a header is added, in the framework's idiom, and only where the type stays valid.
#[test]
fn header_insertions_follow_the_idiom() {
    let insert = |source: &str| {
        let (facts, _) = crate::analyze(Language::Rust, source);
        facts
            .responses
            .iter()
            .find(|r| r.role == SiteRole::Sets)
            .and_then(|r| r.header_insert.clone())
            .map(|i| {
                let (before, after) = source.split_at_checked(i.at).expect("a boundary");
                format!("{before}{}{after}", i.template)
            })
    };
    let actix = "use actix_web::HttpResponse;\nasync fn h() -> HttpResponse { HttpResponse::MethodNotAllowed().finish() }";
    assert_eq!(
        insert(actix).as_deref(),
        Some(
            "use actix_web::HttpResponse;\nasync fn h() -> HttpResponse { HttpResponse::MethodNotAllowed().insert_header((\"{name}\", \"{value}\")).finish() }"
        )
    );
    let builder = "use http::{Response, StatusCode};\nfn h() -> Response<()> { Response::builder().status(StatusCode::METHOD_NOT_ALLOWED).body(()).unwrap() }";
    assert!(insert(builder).is_some_and(|s| s.contains(
        ".status(StatusCode::METHOD_NOT_ALLOWED).header(\"{name}\", \"{value}\").body(())"
    )));
    let tuple = format!(
        "{AXUM}async fn h() -> impl IntoResponse {{ (StatusCode::METHOD_NOT_ALLOWED, \"no\") }}"
    );
    assert!(insert(&tuple).is_some_and(|s| {
        s.contains("(StatusCode::METHOD_NOT_ALLOWED, [(\"{name}\", \"{value}\")], \"no\")")
    }));
    // Another branch returns another type: a longer tuple would not compile.
    let branches = format!(
        "{AXUM}async fn h(x: bool) -> impl IntoResponse {{ if x {{ return (StatusCode::OK, \"yes\"); }} (StatusCode::METHOD_NOT_ALLOWED, \"no\") }}"
    );
    let (facts, _) = crate::analyze(Language::Rust, &branches);
    assert!(facts.responses.iter().all(|r| r.header_insert.is_none()));
    let concrete = format!(
        "{AXUM}async fn h() -> (StatusCode, &'static str) {{ (StatusCode::METHOD_NOT_ALLOWED, \"no\") }}"
    );
    assert_eq!(insert(&concrete), None);
}

/// `json!({ .. })` bodies are literal objects, and a body wrapper returned alone is the
/// framework's implicit 200.
#[test]
fn json_objects_and_implicit_wrapper_status() {
    use hsl_facts::{Body, LiteralValue};
    let source = format!(
        "{AXUM}use serde_json::json;\nasync fn h() -> Json<Value> {{ Json(json!({{ \"ok\": false, error: \"x\", \"n\": -1, \"data\": null, \"list\": [1] }})) }}"
    );
    let (facts, _) = crate::analyze(Language::Rust, &source);
    let [response] = facts.responses.as_slice() else {
        panic!("{:?}", facts.responses);
    };
    assert_eq!(response.status.code, Some(200));
    assert_eq!(response.role, SiteRole::Sets);
    let Body::Object(object) = &response.body else {
        panic!("{:?}", response.body);
    };
    assert_eq!(
        object.entries,
        vec![
            ("ok".to_string(), LiteralValue::Bool(false)),
            ("error".to_string(), LiteralValue::String("x".to_string())),
            ("n".to_string(), LiteralValue::Number),
            ("data".to_string(), LiteralValue::Null),
            ("list".to_string(), LiteralValue::Other),
        ]
    );
    // In a tuple the status is explicit; a wrapper of a variable sends the framework's 200
    // too, with a body that is no literal object.
    let tuple = format!(
        "{AXUM}async fn h() -> impl IntoResponse {{ (StatusCode::OK, Json(json!({{ \"error\": \"x\" }}))) }}"
    );
    let (facts, _) = crate::analyze(Language::Rust, &tuple);
    assert_eq!(facts.responses.len(), 1);
    assert!(matches!(facts.responses[0].body, Body::Object(_)));
    let variable = format!("{AXUM}async fn h(v: Value) -> Json<Value> {{ Json(v) }}");
    let (facts, _) = crate::analyze(Language::Rust, &variable);
    let [response] = facts.responses.as_slice() else {
        panic!("{:?}", facts.responses);
    };
    assert_eq!(response.status.code, Some(200));
    assert!(!matches!(response.body, Body::Object(_)));
}

/// A type that sends its const argument: the conversion is a helper whose status is the
/// argument at the parameter's position, and a return type naming a type with a status (alone
/// or as a `Result`'s success) is a call the index answers only when such a helper exists; a
/// conversion that does not send its number (a size) is no helper, and a type beside others
/// in a tuple is no call.
#[test]
fn status_types_and_their_uses() {
    use hsl_facts::{Argument, CallForm, HelperStatus};
    let source = format!(
        "{AXUM}pub struct Typed<T, const C: u16>(pub T);\n\
         impl<T: Serialize, const C: u16> IntoResponse for Typed<T, C> {{\n\
             fn into_response(self) -> Response {{ (StatusCode::from_u16(C).unwrap(), Json(self.0)).into_response() }}\n\
         }}\n\
         pub struct Page<const N: usize, T>(pub Vec<T>);\n\
         impl<const N: usize, T: Serialize> IntoResponse for Page<N, T> {{\n\
             fn into_response(self) -> Response {{ (StatusCode::OK, Json(self.0)).into_response() }}\n\
         }}\n\
         async fn add() -> Result<Typed<Item, 201>, E> {{ Ok(Typed(item())) }}\n\
         async fn list() -> Page<200, Item> {{ Page(items()) }}\n\
         async fn pair() -> (HeaderMap, Typed<Item, 201>) {{ (HeaderMap::new(), Typed(item())) }}\n"
    );
    let (facts, _) = crate::analyze(Language::Rust, &source);
    let typed: Vec<_> = facts
        .helpers
        .iter()
        .map(|helper| {
            (
                helper.name.as_str(),
                helper.status.clone(),
                helper.headers_complete,
            )
        })
        .collect();
    assert_eq!(
        typed,
        [("Typed", HelperStatus::TypeArgument { index: 1 }, true)]
    );
    let uses: Vec<_> = facts
        .helper_calls
        .iter()
        .filter(|call| call.form == CallForm::TypeArguments)
        .collect();
    let [typed_use, page_use] = uses.as_slice() else {
        panic!("{uses:?}");
    };
    assert_eq!(typed_use.callee, ["Typed"]);
    assert!(
        matches!(&typed_use.args[..], [Argument::Other, Argument::Status(site)] if site.code == Some(201))
    );
    assert_eq!(page_use.callee, ["Page"]);
}

/// A free function matching its one parameter's variants maps that error type, and keeps the
/// parameter's name; one matching a field of its parameter maps nothing.
#[test]
fn error_mapping_functions() {
    let source = "use actix_web::HttpResponse;\n\
        fn to_response(e: AppError) -> HttpResponse {\n\
            match e { AppError::Denied => HttpResponse::Unauthorized().finish(), _ => HttpResponse::NotFound().finish() }\n\
        }\n\
        fn of_report(r: &Report) -> HttpResponse {\n\
            match r.kind { AppError::Denied => HttpResponse::Unauthorized().finish(), _ => HttpResponse::NotFound().finish() }\n\
        }\n";
    let (facts, _) = crate::analyze(Language::Rust, source);
    let mapped: Vec<_> = facts
        .handlers
        .iter()
        .map(|h| (h.name.as_deref(), h.error_type.as_deref(), h.params.clone()))
        .collect();
    assert_eq!(
        mapped,
        [
            (Some("to_response"), Some("AppError"), vec!["e".to_string()]),
            (Some("of_report"), None, Vec::new()),
        ]
    );
}

/// axum-extra typed routes: a handler taking a `#[typed_path(..)]` struct of the same file
/// first serves that struct's path; one taking another type first serves none.
#[test]
fn typed_path_of_the_first_parameter() {
    let source = r#"use axum::http::StatusCode;
use axum_extra::routing::TypedPath;

#[derive(TypedPath)]
#[typed_path("/items/:id")]
struct ItemPath {
    id: u32,
}

struct Other;

async fn show(ItemPath { id }: ItemPath) -> StatusCode {
    StatusCode::NOT_FOUND
}

async fn list(other: Other, path: ItemPath) -> StatusCode {
    StatusCode::OK
}
"#;
    let (facts, _) = crate::analyze(Language::Rust, source);
    let paths: Vec<(Option<&str>, Option<&str>)> = facts
        .handlers
        .iter()
        .map(|h| (h.name.as_deref(), h.typed_path.as_deref()))
        .collect();
    assert_eq!(
        paths,
        [(Some("show"), Some("/items/:id")), (Some("list"), None)]
    );
}

/// poem-openapi: an endpoint of `#[OpenApi(prefix_path = ..)] impl Api` serves its path under
/// the prefix and is mounted as `Api`; the response enum it returns is its contract (a
/// `status_range` variant a class, a variant without a status `default`); a service built
/// from `Api` and nested under a prefix mounts `Api`.
#[test]
fn poem_openapi_endpoints_prefixes_contracts_and_services() {
    let source = r#"use poem::Route;
use poem_openapi::{payload::Json, ApiResponse, OpenApi, OpenApiService};

#[derive(ApiResponse)]
enum AddResponse {
    #[oai(status = 201)]
    Added(Json<u64>),
    #[oai(status_range = "4XX")]
    Refused(StatusCode),
    Other(StatusCode),
}

struct Api;

#[OpenApi(prefix_path = "/v1")]
impl Api {
    #[oai(path = "/items", method = "post")]
    async fn add(&self) -> poem::Result<AddResponse> {
        Ok(AddResponse::Added(Json(1)))
    }
}

fn app() -> Route {
    let service = OpenApiService::new(Api, "Items", "1.0").server("/api");
    Route::new().nest("/api", service)
}
"#;
    let (facts, _) = crate::analyze(Language::Rust, source);
    let add = facts
        .handlers
        .iter()
        .find(|h| h.name.as_deref() == Some("add"))
        .expect("the endpoint is a handler");
    let evidence: Vec<(Option<&str>, Option<&str>)> = add
        .methods
        .iter()
        .map(|e| (e.path.as_deref(), e.mounted_as.as_deref()))
        .collect();
    assert_eq!(evidence, [(Some("/v1/items"), Some("Api"))]);
    let keys = add.declared.as_ref().map(|d| d.keys.clone());
    assert_eq!(
        keys,
        Some(vec![
            hsl_facts::DeclaredKey::Code(201),
            hsl_facts::DeclaredKey::Class(4),
            hsl_facts::DeclaredKey::Default,
        ])
    );
    let mounts: Vec<(Option<&str>, &hsl_facts::HandlerRef)> = facts
        .registrations
        .iter()
        .filter(|r| r.kind == hsl_facts::RegistrationKind::Handler)
        .map(|r| (r.path.as_deref(), &r.handler))
        .collect();
    assert_eq!(
        mounts,
        [(
            Some("/api"),
            &hsl_facts::HandlerRef::Named(vec!["Api".to_string()])
        )]
    );
}
