const express = require("express");
const pages = require("./routes/pages");
const account = require("./routes/account");
const cart = require("./routes/cart");
const products = require("./routes/products");

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));

app.use("/", pages);
app.use("/account", account);
app.use("/cart", cart);
app.use("/api/products", products);

// Errors: the status comes from the error, else 500.
app.use((err, req, res, next) => {
  res.status(err.status || 500).json({ error: err.message });
});

if (require.main === module) {
  app.listen(process.env.PORT || 3000);
}

module.exports = app;
