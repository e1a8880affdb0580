import { Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Param } from "@nestjs/common";
import { OrdersService } from "./orders.service";

@Controller("orders")
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Delete(":id")
  @HttpCode(HttpStatus.NO_CONTENT)
  //        ^^^^^^^^^^^^^^^^^^^^^ body-on-bodiless-status
  async cancel(@Param("id") id: string) {
    await this.orders.cancel(id);
    return { cancelled: true };
  }

  @Get(":id")
  async show(@Param("id") id: string) {
    const order = await this.orders.find(id);
    if (!order) throw new HttpException("no such order", 4004);
    //                                                   ^^^^ invalid-status-code
    return order;
  }
}
