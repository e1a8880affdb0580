use axum::{
    Form,
    http::{StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::routing::TypedPath;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(TypedPath)]
#[typed_path("/signup")]
pub struct Signup;

#[utoipa::path(get, path = "/login", responses((status = 200, description = "The form")))]
pub async fn login_form() -> Html<&'static str> {
    Html("<form method=post>...</form>")
}

/// The contract forgets the `401` a failed sign-in answers.
#[utoipa::path(post, path = "/login", responses((status = "3XX", description = "Signed in")))]
pub async fn login(Form(credentials): Form<Credentials>) -> Response {
    if credentials.password.is_empty() {
        return StatusCode::UNAUTHORIZED.into_response();
        //     ^^^^^^^^^^^^^^^^^^^^^^^^ undeclared-status
    }
    let cookie = format!("session={}; HttpOnly", credentials.email);
    (
        axum::http::StatusCode::FOUND,
     // ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ redirect-changes-method
        // fix: axum::http::StatusCode::SEE_OTHER,
        // fix?: axum::http::StatusCode::TEMPORARY_REDIRECT,
        [(header::SET_COOKIE, cookie), (header::LOCATION, "/".to_string())],
    )
        .into_response()
}

/// A `GET`: a `302` back home is fine here. No `#[utoipa::path]`: no contract, never reported.
pub async fn logout() -> impl IntoResponse {
    (
        StatusCode::FOUND,
        [(header::SET_COOKIE, "session=; Max-Age=0"), (header::LOCATION, "/")],
    )
}

pub async fn signup(_: Signup, Form(credentials): Form<Credentials>) -> Response {
    if credentials.email.ends_with("@example.com") {
        return (StatusCode::FOUND, [(header::LOCATION, "/login")]).into_response();
        //      ^^^^^^^^^^^^^^^^^ redirect-changes-method
        // fix: return (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
        // fix?: return (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, "/login")]).into_response();
    }
    Redirect::to("/welcome").into_response()
}
