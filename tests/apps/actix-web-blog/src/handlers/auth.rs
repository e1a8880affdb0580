use actix_web::http::StatusCode;
use actix_web::{HttpResponse, Responder, post, web};

/// `web::Redirect::to` is `307 Temporary Redirect`: the method is kept, nothing to report.
#[post("/login")]
pub async fn login() -> impl Responder {
    web::Redirect::to("/")
}

#[post("/logout")]
pub async fn logout() -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(299).unwrap()).body("bye")
 //                                          ^^^ invalid-status-code
}
