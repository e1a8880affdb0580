import { Module } from "@nestjs/common";
import { AuthController } from "./auth/auth.controller";
import { OrdersController } from "./orders/orders.controller";

@Module({ controllers: [AuthController, OrdersController] })
export class AppModule {}
