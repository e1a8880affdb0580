const users = require("../services/users");

module.exports = {
  form(req, res) {
    if (req.session.userId) {
      return res.redirect("/account");
    }
    res.render("login");
  },

  async login(req, res) {
    const user = await users.authenticate(req.body.email, req.body.password);
    if (!user) {
      return res.status(401).render("login", { error: "Wrong email or password" });
    }
    req.session.userId = user.id;
    res.redirect(req.query.next || "/account");
    //  ^^^^^^^^ redirect-changes-method
    // fix: res.redirect(303, req.query.next || "/account");
    // fix?: res.redirect(307, req.query.next || "/account");
  },

  logout(req, res) {
    req.session = null;
    res.redirect(303, "/");
  },

  async profile(req, res) {
    res.render("account", { user: await users.find(req.session.userId) });
  },
};
