use warp::Filter;

use crate::handlers;

pub fn todos() -> impl Filter<Extract = (impl warp::Reply,), Error = warp::Rejection> + Clone {
    let list = warp::path!("todos").and(warp::get()).and_then(handlers::list);
    let create = warp::path!("todos")
        .and(warp::post())
        .and(warp::body::json())
        .and_then(handlers::create);
    let remove = warp::path!("todos" / u64)
        .and(warp::delete())
        .and_then(handlers::remove);
    let old = warp::path!("t").and(warp::get()).map(|| warp::redirect(warp::http::Uri::from_static("/todos")));
    list.or(create).or(remove).or(old)
}
