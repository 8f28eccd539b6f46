import { Inject, Injectable } from '@nestjs/common';
import { OrdersErrors } from '@mfm/contracts/errors.contract';
import { ProductsClient } from '@mfm/contracts/products.contract';
import { UsersClient } from '@mfm/contracts/users.contract';
import {
  CLASSIC_NULL,
  ClassicAdapter,
  ClassicRequest,
  ClassicRoute,
} from '@mfm/platform/classic/classic-http';
import { centsToClassicText, classicCaller } from '@mfm/platform/classic/classic-fields';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { IdempotencyRecord } from '../entities/idempotency-record.entity';
import { Order } from '../entities/order.entity';
import { PlaceOrderService, RequestedLine } from '../place-order.service';

const MAX_LINES = 100;
const MAX_QUANTITY = 999;

/** `[{"product": "milk", "quantity": 3}]` → lines by name; null when it is not such a list. */
function parseClassicOrder(
  text: string | undefined,
): Array<{ name: string; quantity: number }> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_LINES) return null;
  const lines: Array<{ name: string; quantity: number }> = [];
  for (const line of parsed as unknown[]) {
    const { product, quantity } = (line ?? {}) as { product?: unknown; quantity?: unknown };
    const q = typeof quantity === 'string' && /^\d+$/.test(quantity) ? Number(quantity) : quantity;
    if (typeof product !== 'string' || product.trim() === '') return null;
    if (typeof q !== 'number' || !Number.isInteger(q) || q < 1 || q > MAX_QUANTITY) return null;
    lines.push({ name: product, quantity: q });
  }
  return lines;
}

/**
 * The original orders service (port 9003) over PlaceOrderService: product names are resolved to
 * ids by the products module (ProductsClient.getMany by names), then the order goes through the
 * same saga as a modern one (prices from products, stock reserved, `order_placed`). The classic
 * cost is the sum of price × quantity (the order's subtotal, before any TAX_RATES).
 */
@Injectable()
export class OrdersClassicAdapter implements ClassicAdapter {
  readonly module = 'orders' as const;

  constructor(
    private readonly placeOrder: PlaceOrderService,
    private readonly users: UsersClient,
    private readonly products: ProductsClient,
    @Inject(transactionRunnerToken('orders')) private readonly tx: TransactionRunner,
  ) {}

  routes(): ClassicRoute[] {
    return [{ method: 'POST', path: '/order', handle: (r) => this.order(r) }];
  }

  /** 1 with the cost; 2 bad token; 3 unknown product; 4 malformed order or not enough stock. */
  async order({ fields, token }: ClassicRequest): Promise<Record<string, unknown>> {
    const caller = await classicCaller(this.users, token);
    if (!caller) return { status: 2, cost: CLASSIC_NULL };
    const lines = parseClassicOrder(fields.order);
    if (!lines) return { status: 4, cost: CLASSIC_NULL };
    const names = [...new Set(lines.map((line) => line.name.trim().toLowerCase()))];
    const { items } = await this.products.getMany({ names });
    const live = new Map(
      items.filter((p) => !p.archived).map((p) => [p.name.trim().toLowerCase(), p.id]),
    );
    const requested: RequestedLine[] = [];
    for (const line of lines) {
      const productId = live.get(line.name.trim().toLowerCase());
      if (!productId) return { status: 3, cost: CLASSIC_NULL };
      requested.push({ productId, quantity: line.quantity });
    }
    const placed = await this.placeOrder.place(caller, requested);
    if (placed.ok) return { status: 1, cost: centsToClassicText(placed.order.subtotalCents ?? 0) };
    const { code } = placed.error;
    if (code === OrdersErrors.UNKNOWN_PRODUCT.code) return { status: 3, cost: CLASSIC_NULL };
    if (code === OrdersErrors.INSUFFICIENT_STOCK.code) return { status: 4, cost: CLASSIC_NULL };
    throw new Error(`The order failed: ${placed.error.message}`);
  }

  /** Orders and idempotency records go (the outbox stays: releases already owed still happen). */
  clear(): Promise<void> {
    return this.tx.run(async (manager) => {
      await manager.createQueryBuilder().delete().from(IdempotencyRecord).execute();
      await manager.createQueryBuilder().delete().from(Order).execute();
    });
  }
}
