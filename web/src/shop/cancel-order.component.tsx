import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Order } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';

/** Cancel with a second, explicit confirmation; only a confirmed order can be cancelled. */
export function CancelOrder({ order }: { order: Order }) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const cancel = useMutation({
    mutationFn: () => storeApi.cancelOrder(order.id),
    onSuccess: (cancelled) => {
      queryClient.setQueryData(['order', order.id], cancelled);
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      setAsking(false);
    },
  });
  if (order.status !== 'CONFIRMED') return null;
  return (
    <div>
      {asking ? (
        <div className="actions" role="group" aria-label="Confirm cancellation">
          <span>Cancel this order?</span>
          <button
            type="button"
            className="danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            {cancel.isPending ? 'Cancelling…' : 'Yes, cancel it'}
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          Cancel order
        </button>
      )}
      <ErrorNotice error={cancel.error} />
    </div>
  );
}
