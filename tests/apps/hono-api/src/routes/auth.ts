import type { Context } from "hono";

export const form = (c: Context) => c.html(loginPage());

export const login = async (c: Context) => {
  const body = await c.req.parseBody();
  if (!(await verify(body))) return c.json({ error: "invalid credentials" }, 401);
  return c.redirect("/dashboard");
  //       ^^^^^^^^ redirect-changes-method
};
