const Router = require("@koa/router");
const sessions = require("./controllers/sessions");
const orders = require("./controllers/orders");

const router = new Router();
router.get("/login", sessions.form);
router.post("/login", sessions.login);
router.post("/orders", orders.create);
router.delete("/orders/:id", orders.cancel);
router.get("/orders/:id", orders.show);
router.redirect("/signin", "/login");

module.exports = router;
