use axum::{
    Router,
    routing::{get, post},
};
use axum_extra::routing::RouterExt;

use crate::handlers::{auth, cart, checkout, products};
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(products::index))
        .route("/products/{id}", get(products::show))
        .route("/p/{id}", get(products::legacy_link))
        .route("/products/{id}/stock", post(products::restock))
        .nest("/cart", cart_routes())
        .route("/checkout", get(checkout::form).post(checkout::submit))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", get(auth::logout))
        .typed_post(auth::signup)
        .with_state(state)
}

fn cart_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(cart::show).delete(cart::clear))
        .route("/items", post(cart::add))
        .route(
            "/items/{id}",
            axum::routing::put(cart::update_item).delete(cart::remove_item),
        )
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::{Request, StatusCode}};
    use tower::ServiceExt;

    #[tokio::test]
    async fn logout_redirects_home() {
        let app = super::router(Default::default());
        let res = app
            .oneshot(Request::get("/logout").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
    }
}
