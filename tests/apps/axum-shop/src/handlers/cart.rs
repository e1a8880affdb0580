use axum::{
    Json,
    body::Body,
    extract::{Path, State},
    http::{Response, StatusCode, header::LOCATION},
    response::{IntoResponse, Redirect},
};
use serde_json::json;

use crate::error::AppError;
use crate::state::{AppState, CartItem};

#[utoipa::path(get, path = "/cart", responses((status = 200, body = [CartItem])))]
pub async fn show(State(state): State<AppState>) -> Json<Vec<CartItem>> {
    Json(state.cart.lock().unwrap().clone())
}

#[utoipa::path(post, path = "/cart/items", responses((status = SEE_OTHER)))]
pub async fn add(State(state): State<AppState>, Json(item): Json<CartItem>) -> Redirect {
    state.cart.lock().unwrap().push(item);
    // `303 See Other`: the browser fetches the cart with `GET`.
    Redirect::to("/cart")
}

#[utoipa::path(
    put,
    path = "/cart/items/{id}",
    responses((status = "3XX"), (status = "4XX", description = "No such line"))
)]
pub async fn update_item(
    State(state): State<AppState>,
    Path(id): Path<u64>,
    Json(item): Json<CartItem>,
) -> Result<Response<Body>, AppError> {
    let mut cart = state.cart.lock().unwrap();
    let line = cart
        .iter_mut()
        .find(|line| line.product_id == id)
        .ok_or(AppError::NotFound)?;
    line.quantity = item.quantity;
    Ok(Response::builder()
        .status(StatusCode::FOUND)
        //      ^^^^^^^^^^^^^^^^^ redirect-changes-method
        // fix: .status(StatusCode::SEE_OTHER)
        // fix?: .status(StatusCode::TEMPORARY_REDIRECT)
        .header(LOCATION, "/cart")
        .body(Body::empty())
        .unwrap())
}

#[utoipa::path(delete, path = "/cart/items/{id}", responses((status = NO_CONTENT)))]
pub async fn remove_item(State(state): State<AppState>, Path(id): Path<u64>) -> StatusCode {
    state.cart.lock().unwrap().retain(|line| line.product_id != id);
    StatusCode::NO_CONTENT
}

#[utoipa::path(delete, path = "/cart", responses((status = NO_CONTENT)))]
pub async fn clear(State(state): State<AppState>) -> impl IntoResponse {
    let removed = std::mem::take(&mut *state.cart.lock().unwrap()).len();
    (StatusCode::NO_CONTENT, Json(json!({ "removed": removed })))
  // ^^^^^^^^^^^^^^^^^^^^^^ body-on-bodiless-status
    // fix?: StatusCode::NO_CONTENT
    // fix?: (StatusCode::OK, Json(json!({ "removed": removed })))
}
