import { Hono } from "hono";
import * as auth from "./routes/auth";
import * as notes from "./routes/notes";

const app = new Hono();
app.get("/login", auth.form);
app.post("/login", auth.login);
app.post("/notes", notes.create);
app.delete("/notes/:id", notes.remove);
app.get("/notes/:id", notes.show);

export default app;
