const express = require("express");
const products = require("../handlers/products");

const router = express.Router();

router.get("/", products.list);
router.get("/:id", products.show);
router.post("/", products.create);
router.put("/:id", products.replace);
router.post("/import", products.importRows);
router.get("/:id/price", products.price);

module.exports = router;
