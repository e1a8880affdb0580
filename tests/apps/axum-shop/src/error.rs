use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

/// Errors the handlers return; each maps to one status.
pub enum AppError {
    NotFound,
    EmptyCart,
    PaymentDeclined(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "not found".to_string()),
            AppError::EmptyCart => (StatusCode::UNPROCESSABLE_ENTITY, "cart is empty".to_string()),
            AppError::PaymentDeclined(reason) => (StatusCode::PAYMENT_REQUIRED, reason),
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}
