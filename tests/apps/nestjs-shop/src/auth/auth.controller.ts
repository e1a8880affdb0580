import { Body, Controller, Get, HttpStatus, Post, Redirect, Render } from "@nestjs/common";
import { AuthService } from "./auth.service";

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
  async login(@Body() body: LoginDto) {
    await this.auth.login(body);
  }

  @Post("logout")
  @Redirect("/", HttpStatus.SEE_OTHER)
  logout() {}
}
