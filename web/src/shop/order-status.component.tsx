import type { OrderStatus } from '../api/api.types';

const LABELS: Record<OrderStatus, string> = {
  PENDING: 'Being placed',
  CONFIRMED: 'Confirmed',
  FAILED: 'Not placed',
  CANCELLED: 'Cancelled',
};

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge ${status}`}>{LABELS[status]}</span>;
}
