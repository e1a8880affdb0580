use axum::{
    Json,
    extract::{Path, State},
    http::{StatusCode, header},
    response::IntoResponse,
};

use crate::error::AppError;
use crate::state::{AppState, Product};

#[utoipa::path(get, path = "/", responses((status = 200, description = "The catalogue")))]
pub async fn index(State(state): State<AppState>) -> Json<Vec<Product>> {
    let products = state.products.lock().unwrap();
    Json(products.values().cloned().collect())
}

#[utoipa::path(
    get,
    path = "/products/{id}",
    responses(
        (status = OK, description = "The product", body = Product),
        (status = NOT_FOUND, description = "No such product")
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<Product>, AppError> {
    let products = state.products.lock().unwrap();
    let product = products.get(&id).cloned().ok_or(AppError::NotFound)?;
    Ok(Json(product))
}

/// Old `/p/{id}` links from the first shop. A `GET`, so `301` is the right answer.
#[utoipa::path(get, path = "/p/{id}", responses((status = StatusCode::MOVED_PERMANENTLY)))]
pub async fn legacy_link(Path(id): Path<u64>) -> impl IntoResponse {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, format!("/products/{id}"))],
    )
}

/// Clients that hang up before the catalogue loads (nginx's non-standard `499`).
pub fn client_closed() -> StatusCode {
    StatusCode::from_u16(499).unwrap()
}

/// Stock edits are for staff only.
#[utoipa::path(
    post,
    path = "/products/{id}/stock",
    responses((status = 200), (status = 401, description = "Not signed in"), (status = 403))
)]
pub async fn restock(
    State(state): State<AppState>,
    Path(id): Path<u64>,
    Json(change): Json<serde_json::Value>,
) -> impl IntoResponse {
    let Some(user) = state.current_user() else {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    };
    if !user.is_admin {
        return StatusCode::UNAUTHORIZED.into_response();
        //     ^^^^^^^^^^^^^^^^^^^^^^^^ forbidden-as-unauthorized
    }
    state.restock(id, &change);
    (StatusCode::OK, Json(serde_json::json!({ "ok": false, "error": "queued" }))).into_response()
  // ^^^^^^^^^^^^^^ error-body-on-success
}
