const { Router } = require("express");
const sessions = require("../handlers/sessions");
const { requireSession } = require("../middleware/session");

const router = Router();

router.get("/login", sessions.form);
router.post("/login", sessions.login);
router.post("/logout", requireSession, sessions.logout);
router.get("/", requireSession, sessions.profile);

module.exports = router;
