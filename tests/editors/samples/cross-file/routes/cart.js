const express = require("express");
const cart = require("../handlers/cart");

const router = express.Router();

router.get("/cart", cart.show);
router.post("/cart/items", cart.addItem);

module.exports = router;
