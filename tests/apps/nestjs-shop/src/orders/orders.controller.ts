import { Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Param } from "@nestjs/common";
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse } from "@nestjs/swagger";
import { OrdersService } from "./orders.service";

// In-code contracts: a class-level `@ApiNotFoundResponse` holds for every method.
@ApiNotFoundResponse({ description: "No such order" })
@Controller("orders")
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Delete(":id")
  @HttpCode(HttpStatus.NO_CONTENT)
  //        ^^^^^^^^^^^^^^^^^^^^^ body-on-bodiless-status
  @ApiNoContentResponse({ description: "Cancelled" })
  async cancel(@Param("id") id: string) {
    await this.orders.cancel(id);
    return { cancelled: true };
  }

  @Get(":id")
  @ApiOkResponse({ description: "The order" })
  async show(@Param("id") id: string) {
    const order = await this.orders.find(id);
    if (!order) throw new HttpException("no such order", 4004);
    //                                                   ^^^^ invalid-status-code
    return order;
  }
}
