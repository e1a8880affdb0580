import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

export const create = async (c: Context) => {
  const note = await db.notes.insert(await c.req.json());
  return c.redirect(`/notes/${note.id}`, 303);
};

export const remove = async (c: Context) => {
  await db.notes.delete(c.req.param("id"));
  return c.body("deleted", 204);
  //                       ^^^ body-on-bodiless-status
  //                       ^^^ undeclared-status
};

export const show = async (c: Context) => {
  const note = await db.notes.find(c.req.param("id"));
  if (!note) throw new HTTPException(4040, { message: "no such note" });
  //                                 ^^^^ invalid-status-code
  return c.json(note);
};
