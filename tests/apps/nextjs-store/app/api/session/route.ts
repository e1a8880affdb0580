import { NextRequest, NextResponse } from "next/server";
import { signIn, signOut } from "@/lib/auth";

export async function POST(request: NextRequest) {
  const ok = await signIn(await request.formData());
  if (!ok) return NextResponse.json({ error: "invalid credentials" }, { status: 401 });
  return NextResponse.redirect(new URL("/account", request.url), 302);
  //                                                             ^^^ redirect-changes-method
}

export async function DELETE(request: NextRequest) {
  await signOut();
  return NextResponse.redirect(new URL("/", request.url));
  //                  ^^^^^^^^ undeclared-status
}
