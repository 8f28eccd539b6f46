import { STORE_MAIL_TEMPLATES } from './mail-templates';

describe('the store mail templates', () => {
  it('renders each mail with the template of the module that sends it', () => {
    const users = STORE_MAIL_TEMPLATES.render(
      { template: 'login_code', data: { name: 'Di', code: '123456' } },
      'Di',
    );
    const orders = STORE_MAIL_TEMPLATES.render({
      template: 'order_cancelled',
      data: { orderId: 'o-2', totalCents: 99 },
    });
    expect([users.subject, orders.subject]).toEqual([
      'Your Micro Foods Market sign-in code',
      'Your Micro Foods Market order was cancelled',
    ]);
  });

  it('refuses a template the store does not have, so the mail waits instead of going out empty', () => {
    expect(() => STORE_MAIL_TEMPLATES.render({ template: 'newsletter', data: {} })).toThrow(
      'no mail template "newsletter"',
    );
  });
});
