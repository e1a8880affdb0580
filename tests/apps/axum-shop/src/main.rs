mod error;
mod handlers;
mod routes;
mod state;

use state::AppState;

#[tokio::main]
async fn main() {
    let app = routes::router(AppState::default());
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
