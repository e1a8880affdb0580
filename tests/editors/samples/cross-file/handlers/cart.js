// Nothing in this file says which method these handlers serve: routes/cart.js does.
exports.show = (req, res) => {
  res.render("cart");
};

exports.addItem = (req, res) => {
  req.session.cart.push(req.body.productId);
  res.redirect("/cart");
};
