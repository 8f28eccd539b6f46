import type { ErrorBody } from '@mfm/platform/errors/error-body';
import { OrderResponse } from './dto/order.response';
import type { Order } from './entities/order.entity';

/** How placing an order ended: CONFIRMED, or FAILED with the reason. */
export type OrderOutcome =
  { ok: true; order: Order } | { ok: false; order: Order; error: ErrorBody };

/** An HTTP answer as the API sends it, and as an Idempotency-Key replays it. */
export interface RenderedResponse {
  status: number;
  body: object;
}

/**
 * The API's answer to an outcome: 201 with the order, or the failure's error body naming the
 * failed order (details.orderId, details.orderStatus).
 */
export function renderOrderOutcome(outcome: OrderOutcome): RenderedResponse {
  if (outcome.ok) return { status: 201, body: OrderResponse.from(outcome.order) };
  const { error, order } = outcome;
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
  return {
    status: error.statusCode,
    body: { ...error, details: { ...details, orderId: order.id, orderStatus: 'FAILED' } },
  };
}
