import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, Repository } from 'typeorm';
import { ProductsMessages } from '@mfm/contracts/products.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { OrdersErrors } from '@mfm/contracts/errors.contract';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { ListOrdersQuery } from './dto/list-orders.query';
import { Order } from './entities/order.entity';

/** Order history and cancellation. */
@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(Order, 'orders') private readonly orders: Repository<Order>,
    @Inject(outboxToken('orders')) private readonly outbox: Outbox,
  ) {}

  /** Customers see their own orders; employees see all, optionally one user's or one status. */
  async list(
    caller: VerifiedUser,
    query: ListOrdersQuery,
  ): Promise<{ items: Order[]; total: number }> {
    const where: FindOptionsWhere<Order> = {};
    if (caller.role !== 'employee') where.userId = caller.userId;
    else if (query.userId) where.userId = query.userId;
    if (query.status) where.status = query.status;
    const [items, total] = await this.orders.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return { items, total };
  }

  /**
   * Whether the customer has a CONFIRMED order with the product (who may review it). The
   * requested lines are JSON text; the product id (a validated UUID) is matched as its quoted value.
   */
  async hasConfirmedOrder(userId: string, productId: string): Promise<boolean> {
    return this.orders
      .createQueryBuilder('o')
      .where('o.userId = :userId', { userId })
      .andWhere('o.status = :status', { status: 'CONFIRMED' })
      .andWhere('o.requested LIKE :product', { product: `%"${productId}"%` })
      .getExists();
  }

  /** The owner or an employee; anyone else gets the same 404 as for a missing order (no existence leak). */
  async get(caller: VerifiedUser, id: string): Promise<Order> {
    const order = await this.orders.findOneBy({ id });
    if (!order || (order.userId !== caller.userId && caller.role !== 'employee')) {
      throw OrdersErrors.ORDER_NOT_FOUND.error({ id });
    }
    return order;
  }

  /**
   * The owner while CONFIRMED, or an employee. The order is CANCELLED and the release of its stock
   * queued in one transaction, so the stock comes back even if products is down right now.
   * Cancelling a cancelled order returns it unchanged.
   */
  async cancel(caller: VerifiedUser, id: string): Promise<Order> {
    const order = await this.get(caller, id);
    if (order.status === 'CANCELLED') return order;
    if (order.status !== 'CONFIRMED') {
      throw OrdersErrors.ORDER_NOT_CANCELLABLE.error(
        { status: order.status },
        { status: order.status },
      );
    }
    return this.outbox.write(async (manager, out) => {
      const result = await manager.update(
        Order,
        { id, status: 'CONFIRMED' },
        { status: 'CANCELLED', updatedAt: new Date() },
      );
      const current = await manager.findOneByOrFail(Order, { id });
      if (result.affected !== 1) return current;
      await out.send(ProductsMessages.releaseStock, { reservationId: id });
      await out.audit({
        type: 'order_cancelled',
        actor: { userId: caller.userId, username: caller.username },
        subject: { kind: 'order', id, name: `order of ${order.username}` },
        payload: {
          totalCents: order.totalCents,
          byEmployee: caller.role === 'employee' && caller.userId !== order.userId,
        },
      });
      await out.mail(
        { userId: order.userId },
        { template: 'order_cancelled', data: { orderId: id, totalCents: order.totalCents ?? 0 } },
      );
      return current;
    });
  }
}
