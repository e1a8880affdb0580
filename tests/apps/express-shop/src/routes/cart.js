const express = require("express");
const cart = require("../handlers/cart");
const { showCheckout, submitOrder } = require("../handlers/checkout");
const { requireSession } = require("../middleware/session");
const asyncHandler = require("../middleware/async-handler");

const router = express.Router();

router.get("/", requireSession, cart.show);
router.post("/items", requireSession, asyncHandler(cart.addItem));
router.delete("/items/:id", requireSession, asyncHandler(cart.removeItem));
router
  .route("/checkout")
  .get(requireSession, showCheckout)
  .post(requireSession, asyncHandler(submitOrder));

module.exports = router;
