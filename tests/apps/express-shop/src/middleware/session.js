// Sends visitors without a session to the login page.
exports.requireSession = (req, res, next) => {
  if (req.session && req.session.userId) {
    return next();
  }
  res.redirect("/account/login");
  //  ^^^^^^^^ redirect-changes-method
  // fix: res.redirect(303, "/account/login");
  // fix?: res.redirect(307, "/account/login");
};
