use axum::{http::StatusCode, routing::post, Router};

async fn login() -> (StatusCode, [(&'static str, &'static str); 1]) {
    (StatusCode::FOUND, [("location", "/home")])
}

pub fn app() -> Router {
    Router::new().route("/login", post(login))
}
