use actix_web::web;

use crate::handlers::{auth, posts};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/posts")
            .route(web::get().to(posts::index))
            .route(web::post().to(posts::create)),
    )
    .service(
        web::scope("/posts/{id}")
            .route("", web::get().to(posts::show))
            .route("", web::delete().to(posts::remove))
            .route("/legacy", web::get().to(posts::legacy_link)),
    )
    .service(auth::login)
    .service(auth::logout);
}
