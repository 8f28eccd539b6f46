import { renderOrdersMail } from './mail-templates';

describe('the orders mail templates', () => {
  it('confirms an order with its lines and total', () => {
    const mail = renderOrdersMail(
      {
        template: 'order_confirmed',
        data: {
          orderId: 'o-1',
          totalCents: 1234,
          lines: [
            { name: 'Apples & pears', quantity: 2, totalCents: 1000 },
            { name: 'Milk', quantity: 1, totalCents: 234 },
          ],
        },
      },
      'Ann',
    );
    expect(mail.subject).toBe('Your Micro Foods Market order is confirmed');
    expect(mail.text.split('\n')).toEqual([
      'Hello Ann,',
      '',
      'thank you for your order o-1:',
      '2 × Apples & pears: 10.00',
      '1 × Milk: 2.34',
      'Total: 12.34',
    ]);
    expect(mail.html).toContain('<li>2 × Apples &amp; pears: 10.00</li>');
  });

  it('tells of a cancelled order, greeting whoever reads it when the name is unknown', () => {
    const mail = renderOrdersMail({
      template: 'order_cancelled',
      data: { orderId: 'o-2', totalCents: 99 },
    });
    expect(mail.subject).toBe('Your Micro Foods Market order was cancelled');
    expect(mail.text).toBe('Hello there,\n\nyour order o-2 (0.99) has been cancelled.');
  });
});
