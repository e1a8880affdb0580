const carts = require("../services/carts");
const orders = require("../services/orders");

async function showCheckout(req, res) {
  const cart = await carts.forUser(req.session.userId);
  if (cart.items.length === 0) {
    res.statusCode = 302;
    res.setHeader("Location", "/cart");
    return res.end();
  }
  res.render("checkout", { cart });
}

async function submitOrder(req, res) {
  const order = await orders.place(req.session.userId, req.body);
  res.status(302).location(`/orders/${order.id}`).end();
  //         ^^^ redirect-changes-method
  // fix: res.status(303).location(`/orders/${order.id}`).end();
  // fix?: res.status(307).location(`/orders/${order.id}`).end();
}

module.exports = { showCheckout, submitOrder };
