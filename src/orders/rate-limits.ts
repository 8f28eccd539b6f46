import { rateLimit } from '@mfm/platform/config/rate-limit-rules';

/** Per account: a shopper's checkouts, wherever they come from. */
export const OrdersLimits = {
  orders: rateLimit('orders', 'account', [600, 60], 'order placements per account'),
};
