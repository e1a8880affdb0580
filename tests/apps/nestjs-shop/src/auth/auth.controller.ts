import { Body, Controller, Get, HttpStatus, Post, Redirect, Render } from "@nestjs/common";
import { ApiResponse, ApiUnauthorizedResponse } from "@nestjs/swagger";
import { AuthService } from "./auth.service";

// In-code contracts (@nestjs/swagger): the sign-in form declares nothing, so it has no
// contract and is never reported; `logout` promises a `302` where it answers `303`.
@Controller("auth")
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get("login")
  @Render("login")
  form() {
    return {};
  }

  @Post("login")
  @Redirect("/account")
 //^^^^^^^^ redirect-changes-method
  @ApiResponse({ status: "3XX", description: "Signed in; on to the account" })
  @ApiUnauthorizedResponse({ description: "Wrong credentials" })
  async login(@Body() body: LoginDto) {
    await this.auth.login(body);
  }

  @Post("logout")
  @Redirect("/", HttpStatus.SEE_OTHER)
  //             ^^^^^^^^^^^^^^^^^^^^ undeclared-status
  @ApiResponse({ status: HttpStatus.FOUND, description: "Signed out" })
  logout() {}
}
