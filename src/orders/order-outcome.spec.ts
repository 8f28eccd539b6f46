import { randomUUID } from 'node:crypto';
import type { ErrorBody } from '@mfm/platform/errors/error-body';
import type { Order } from './entities/order.entity';
import { renderOrderOutcome } from './order-outcome';

const order = (status: Order['status']): Order => ({
  id: randomUUID(),
  userId: randomUUID(),
  username: 'customer',
  status,
  failure: null,
  requested: [{ productId: 'p', quantity: 1 }],
  lines: [],
  subtotalCents: 0,
  taxCents: 0,
  totalCents: 0,
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  updatedAt: new Date('2026-01-01T00:00:00.000Z'),
});
const error = (details?: unknown): ErrorBody => ({
  statusCode: 409,
  error: 'Conflict',
  code: 'INSUFFICIENT_STOCK',
  message: 'Not enough stock for: Milk (asked 2, 1 left)',
  ...(details !== undefined && { details }),
});

describe('renderOrderOutcome', () => {
  it('answers a confirmed order with 201 and the order', () => {
    const confirmed = order('CONFIRMED');
    const rendered = renderOrderOutcome({ ok: true, order: confirmed });
    expect(rendered.status).toBe(201);
    expect(rendered.body).toMatchObject({ id: confirmed.id, status: 'CONFIRMED' });
  });

  it('answers a failure with its own status and body, naming the failed order', () => {
    const failed = order('FAILED');
    const items = [{ productId: 'p', requested: 2, available: 1 }];
    expect(renderOrderOutcome({ ok: false, order: failed, error: error({ items }) })).toEqual({
      status: 409,
      body: {
        ...error(),
        details: { items, orderId: failed.id, orderStatus: 'FAILED' },
      },
    });
  });

  it('names the failed order also when the failure had no details (or no object of them)', () => {
    const failed = order('FAILED');
    for (const details of [undefined, null, 'text'])
      expect(renderOrderOutcome({ ok: false, order: failed, error: error(details) }).body).toEqual({
        ...error(),
        details: { orderId: failed.id, orderStatus: 'FAILED' },
      });
  });
});
