import type { Order } from '../api/api.types';
import { formatDateTime } from '../format/dates.format';
import { formatPrice, formatTaxRate } from '../format/money.format';
import { OrderStatusBadge } from './order-status.component';

/** An order as the store priced it: its lines, tax per line and the totals. */
export function OrderDetails({ order }: { order: Order }) {
  return (
    <>
      <p>
        <OrderStatusBadge status={order.status} /> · placed {formatDateTime(order.createdAt)} by{' '}
        {order.username}
      </p>
      {order.failure && (
        <div className="notice warning">
          <p>{order.failure.message}</p>
        </div>
      )}
      <div className="table-wrap">
        <table>
          <caption>Products</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Unit price
              </th>
              <th scope="col" className="num">
                Quantity
              </th>
              <th scope="col" className="num">
                Tax
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.productId}>
                <td>{line.name}</td>
                <td className="num">{formatPrice(line.unitPriceCents)}</td>
                <td className="num">{line.quantity}</td>
                <td className="num">
                  {formatPrice(line.taxCents)}{' '}
                  <span className="muted">({formatTaxRate(line.taxRateBps)})</span>
                </td>
                <td className="num">{formatPrice(line.totalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="totals panel" aria-label="Order totals">
        <div>
          <dt>Subtotal</dt>
          <dd data-testid="order-subtotal">{formatPrice(order.subtotalCents)}</dd>
        </div>
        <div>
          <dt>Tax</dt>
          <dd data-testid="order-tax">{formatPrice(order.taxCents)}</dd>
        </div>
        <div className="grand">
          <dt>Total</dt>
          <dd data-testid="order-total">{formatPrice(order.totalCents)}</dd>
        </div>
      </dl>
    </>
  );
}
