use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, Responder, web};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct NewPost {
    pub title: String,
}

pub async fn index() -> impl Responder {
    web::Json(json!({ "posts": [] }))
}

pub async fn create(form: web::Form<NewPost>) -> HttpResponse {
    if form.title.is_empty() {
        return HttpResponse::UnprocessableEntity().body("a title is required");
        //     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ undeclared-status
    }
    HttpResponse::Found()
 // ^^^^^^^^^^^^^^^^^^^ redirect-changes-method
        .insert_header((header::LOCATION, "/posts/1"))
        .finish()
}

pub async fn show(path: web::Path<u64>) -> impl Responder {
    (web::Json(json!({ "id": path.into_inner() })), StatusCode::OK)
}

/// A `GET`: a permanent redirect for old links is fine.
pub async fn legacy_link() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, "/posts"))
        .finish()
}

pub async fn remove(path: web::Path<u64>) -> HttpResponse {
    HttpResponse::NoContent().json(json!({ "deleted": path.into_inner() }))
 // ^^^^^^^^^^^^^^^^^^^^^^^ body-on-bodiless-status
}
