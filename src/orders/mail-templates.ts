import { MAIL_STORE_NAME as STORE, type OrdersMail } from '@mfm/contracts/mail';
import { escapeHtml, greeting, layout, paragraph } from '@mfm/platform/mail/mail-layout';
import type { RenderedMail } from '@mfm/platform/mail/mail-renderer';

const money = (cents: number): string => `${(cents / 100).toFixed(2)}`;

/** Renders one of the orders module's mails: a plain-text part and an HTML part saying the same. */
export function renderOrdersMail(content: OrdersMail, recipientName?: string): RenderedMail {
  const hello = greeting(recipientName);
  switch (content.template) {
    case 'order_confirmed': {
      const { orderId, lines, totalCents } = content.data;
      const rows = lines.map((l) => `${l.quantity} × ${l.name}: ${money(l.totalCents)}`);
      return {
        subject: `Your ${STORE} order is confirmed`,
        text: [
          hello,
          '',
          `thank you for your order ${orderId}:`,
          ...rows,
          `Total: ${money(totalCents)}`,
        ].join('\n'),
        html: layout(
          STORE,
          'Order confirmed',
          paragraph(hello) +
            paragraph(`thank you for your order ${orderId}:`) +
            `<ul>${rows.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` +
            paragraph(`Total: ${money(totalCents)}`),
        ),
      };
    }
    case 'order_cancelled': {
      const { orderId, totalCents } = content.data;
      const line = `your order ${orderId} (${money(totalCents)}) has been cancelled.`;
      return {
        subject: `Your ${STORE} order was cancelled`,
        text: [hello, '', line].join('\n'),
        html: layout(STORE, 'Order cancelled', paragraph(hello) + paragraph(line)),
      };
    }
  }
}
