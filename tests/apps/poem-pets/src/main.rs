mod pets;
mod shelter;

use poem::{get, listener::TcpListener, post, Route, Server};
use poem_openapi::OpenApiService;

#[tokio::main]
async fn main() -> Result<(), std::io::Error> {
    let app = Route::new()
        .at("/pets", get(pets::list).post(pets::create))
        .at("/pets/:id", poem::delete(pets::remove).put(pets::replace))
        .at("/p/:id", get(pets::old_link))
        .nest("/api", OpenApiService::new(shelter::ShelterApi, "Shelter", "1.0"));
    Server::new(TcpListener::bind("127.0.0.1:3000")).run(app).await
}
