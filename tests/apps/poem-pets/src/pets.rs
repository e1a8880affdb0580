use poem::http::StatusCode;
use poem::web::{Json, Path, Redirect};
use poem::{handler, IntoResponse, Response};
use serde_json::{json, Value};

#[handler]
pub fn list() -> Json<Value> {
    Json(json!({ "pets": [] }))
}

#[handler]
pub fn create(Json(pet): Json<Value>) -> Redirect {
    Redirect::moved_permanent("/pets")
 // ^^^^^^^^^^^^^^^^^^^^^^^^^ redirect-changes-method
 // ^^^^^^^^^^^^^^^^^^^^^^^^^ undeclared-status
}

#[handler]
pub fn replace(Path(id): Path<u64>) -> Redirect {
    Redirect::see_other("/pets") // 303: the method becomes GET on purpose
}

#[handler]
pub fn remove(Path(id): Path<u64>) -> Response {
    Response::builder()
        .status(StatusCode::NO_CONTENT)
 //             ^^^^^^^^^^^^^^^^^^^^^^ body-on-bodiless-status
        .body(format!("deleted {id}"))
}

/// A `GET`: a permanent redirect for old links is fine.
#[handler]
pub fn old_link(Path(id): Path<u64>) -> Redirect {
    Redirect::moved_permanent("/pets")
}

#[handler]
pub fn teapot() -> impl IntoResponse {
    "short and stout".with_status(StatusCode::from_u16(4188).unwrap())
 //                                                    ^^^^ invalid-status-code
}
