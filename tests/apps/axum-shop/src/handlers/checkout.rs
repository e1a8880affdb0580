use axum::{
    Form,
    extract::State,
    http::{StatusCode, header},
    response::{Html, IntoResponse},
};
use serde::Deserialize;

use crate::error::AppError;
use crate::state::{AppState, Order};

#[derive(Deserialize)]
pub struct Payment {
    pub card: String,
}

#[utoipa::path(get, path = "/checkout", responses((status = 200, description = "The form")))]
pub async fn form() -> Html<&'static str> {
    Html("<form method=post><input name=card><button>Pay</button></form>")
}

#[utoipa::path(
    post,
    path = "/checkout",
    responses(
        (status = "3XX", description = "Paid; the order is in Location"),
        (status = 402, description = "The payment was declined"),
        (status = 422, description = "The cart is empty")
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Form(payment): Form<Payment>,
) -> Result<impl IntoResponse, AppError> {
    let items = std::mem::take(&mut *state.cart.lock().unwrap());
    if items.is_empty() {
        return Err(AppError::EmptyCart);
    }
    if payment.card.len() != 16 {
        return Err(AppError::PaymentDeclined("card number".to_string()));
    }
    let mut orders = state.orders.lock().unwrap();
    let id = orders.len() as u64 + 1;
    orders.push(Order { id, items });
    Ok((
        StatusCode::FOUND,
     // ^^^^^^^^^^^^^^^^^ redirect-changes-method
        // fix: StatusCode::SEE_OTHER,
        // fix?: StatusCode::TEMPORARY_REDIRECT,
        [(header::LOCATION, format!("/orders/{id}"))],
    ))
}

/// The payment gateway's answer, passed through to the client.
pub fn gateway_status(code: u16) -> StatusCode {
    match code {
        402 => StatusCode::from_u16(4022).unwrap(),
        //                          ^^^^ invalid-status-code
        // fix?: 402 => StatusCode::from_u16(402).unwrap(),
        other => StatusCode::from_u16(other).unwrap_or(StatusCode::BAD_GATEWAY),
    }
}
