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

// Bulk import: the catalogue service validates each row.
exports.importRows = async (req, res) => {
  if (!req.get("authorization")) {
    return res.status(403).json({ error: "sign in first" });
    //                ^^^ unauthenticated-as-forbidden
    //                ^^^ undeclared-status
  }
  try {
    const rows = await catalogue.importRows(req.body.rows);
    // A bulk import creates rows no route reads back by id: no `Location` to give.
    res.status(201).json({ imported: rows.length });
  } catch (err) {
    res.json({ success: false, error: err.message });
    //  ^^^^ error-body-on-success
    //  ^^^^ undeclared-status
  }
};

// Price lookups hit a rate-limited upstream.
exports.price = async (req, res) => {
  if (await catalogue.throttled()) {
    return res.status(429).json({ error: "too many price lookups" });
    //                ^^^ retry-after-missing
  }
  res.json(await catalogue.price(req.params.id));
};
