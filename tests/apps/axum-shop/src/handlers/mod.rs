pub mod auth;
pub mod cart;
pub mod checkout;
pub mod products;
