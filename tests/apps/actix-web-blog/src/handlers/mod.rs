pub mod auth;
pub mod posts;
