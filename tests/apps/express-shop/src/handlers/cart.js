const carts = require("../services/carts");

exports.show = async (req, res) => {
  const cart = await carts.forUser(req.session.userId);
  if (cart.items.length === 0) {
    return res.redirect("/api/products");
  }
  res.render("cart", { cart });
};

exports.addItem = async (req, res) => {
  await carts.add(req.session.userId, req.body.productId, Number(req.body.quantity) || 1);
  res.redirect("/cart");
  //  ^^^^^^^^ redirect-changes-method
  // fix: res.redirect(303, "/cart");
  // fix?: res.redirect(307, "/cart");
};

exports.removeItem = async (req, res) => {
  const cart = await carts.remove(req.session.userId, req.params.id);
  res.status(204).json({ items: cart.items.length });
  //         ^^^ body-on-bodiless-status
  // fix?: res.status(204).end();
  // fix?: res.status(200).json({ items: cart.items.length });
};
