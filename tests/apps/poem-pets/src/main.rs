mod pets;

use poem::{get, listener::TcpListener, post, Route, Server};

#[tokio::main]
async fn main() -> Result<(), std::io::Error> {
    let app = Route::new()
        .at("/pets", get(pets::list).post(pets::create))
        .at("/pets/:id", poem::delete(pets::remove).put(pets::replace))
        .at("/p/:id", get(pets::old_link));
    Server::new(TcpListener::bind("127.0.0.1:3000")).run(app).await
}
