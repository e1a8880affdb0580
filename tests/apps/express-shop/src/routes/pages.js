const express = require("express");

const router = express.Router();

router.get("/", (req, res) => res.render("home"));

// Old catalogue URLs: GET redirects are safe with 301/302.
router.get("/shop", (req, res) => res.redirect(301, "/api/products"));
router.get("/specials", (req, res) => {
  res.redirect("/api/products?sale=1");
});

router.get("/health", (req, res) => res.sendStatus(200));

module.exports = router;
