const express = require("express");

const app = express();

app.post("/login", (req, res) => {
  res.redirect('/x');
});

module.exports = app;
