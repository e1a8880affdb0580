use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

#[derive(Clone, Default)]
pub struct AppState {
    pub products: Arc<Mutex<HashMap<u64, Product>>>,
    pub cart: Arc<Mutex<Vec<CartItem>>>,
    pub orders: Arc<Mutex<Vec<Order>>>,
}

#[derive(Clone, Serialize)]
pub struct Product {
    pub id: u64,
    pub name: String,
    pub price_cents: u64,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct CartItem {
    pub product_id: u64,
    pub quantity: u32,
}

#[derive(Clone, Serialize)]
pub struct Order {
    pub id: u64,
    pub items: Vec<CartItem>,
}
