mod filters;
mod handlers;

#[tokio::main]
async fn main() {
    warp::serve(filters::todos()).run(([127, 0, 0, 1], 3030)).await;
}
