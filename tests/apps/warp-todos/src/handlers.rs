use serde_json::{json, Value};
use warp::http::{StatusCode, Uri};
use warp::{Rejection, Reply};

pub async fn list() -> Result<impl Reply, Rejection> {
    Ok(warp::reply::json(&json!({ "todos": [] })))
}

pub async fn create(todo: Value) -> Result<impl Reply, Rejection> {
    Ok(warp::redirect(Uri::from_static("/todos")))
 //    ^^^^^^^^^^^^^^ redirect-changes-method
}

pub async fn remove(id: u64) -> Result<impl Reply, Rejection> {
    Ok(warp::reply::with_status(warp::reply::json(&json!({ "deleted": id })), StatusCode::NO_CONTENT))
 //                                                                           ^^^^^^^^^^^^^^^^^^^^^^ body-on-bodiless-status
 //                                                                           ^^^^^^^^^^^^^^^^^^^^^^ undeclared-status
}

pub async fn teapot() -> Result<impl Reply, Rejection> {
    Ok(warp::reply::with_status("short and stout", StatusCode::from_u16(4188).unwrap()))
 //                                                                     ^^^^ invalid-status-code
}
