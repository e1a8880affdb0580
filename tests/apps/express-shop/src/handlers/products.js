const catalogue = require("../services/catalogue");

exports.list = async (req, res) => {
  res.json(await catalogue.search(req.query));
};

exports.show = async (req, res) => {
  const product = await catalogue.find(req.params.id);
  if (!product) {
    return res.status(4004).json({ error: "product not found" });
    //                ^^^^ invalid-status-code
    // fix?: return res.status(404).json({ error: "product not found" });
  }
  res.json(product);
};

exports.create = async (req, res) => {
  const product = await catalogue.insert(req.body);
  res.status(201).location(`/api/products/${product.id}`).json(product);
};

// A PUT that moved: 308 keeps the method and the body.
exports.replace = (req, res) => {
  res.redirect(308, `/api/products/${req.params.id}/v2`);
};
