import { renderUsersMail } from './mail-templates';

describe('the users mail templates', () => {
  const link = 'https://shop.example/verify-email?token=id.secret';

  it('asks to confirm an address with the link and the code, greeting the account by name', () => {
    const mail = renderUsersMail(
      { template: 'verify_email', data: { name: 'Ann', link, token: 'id.secret' } },
      'Annie',
    );
    expect(mail.subject).toBe('Confirm your email address for Micro Foods Market');
    expect(mail.text.split('\n')).toEqual([
      'Hello Annie,',
      '',
      'please confirm your email address by opening this link (valid for 24 hours):',
      link,
      'Or enter this code: id.secret',
    ]);
    expect(mail.html).toContain(`<a href="${link}"`);
    expect(mail.highlight).toBe(link);
  });

  it('offers a password reset for 30 minutes', () => {
    const mail = renderUsersMail({
      template: 'password_reset',
      data: { name: 'Bob', link, token: 't' },
    });
    expect(mail.subject).toBe('Reset your Micro Foods Market password');
    expect(mail.text).toContain('Hello Bob,\n');
    expect(mail.text).toContain('Open this link within 30 minutes to choose a new one:');
  });

  it('confirms a new address', () => {
    const mail = renderUsersMail({
      template: 'email_change',
      data: { name: 'Cy', link, token: 't' },
    });
    expect(mail.subject).toBe('Confirm your new email address for Micro Foods Market');
    expect(mail.text).toContain('to use this address for your Micro Foods Market account');
  });

  it('carries a sign-in code in the body, never in the subject', () => {
    const mail = renderUsersMail({ template: 'login_code', data: { name: 'Di', code: '123456' } });
    expect(mail.subject).toBe('Your Micro Foods Market sign-in code');
    expect(mail.subject).not.toContain('123456');
    expect(mail.text.split('\n')[3]).toBe('123456');
  });

  it('tells the owner what changed on the account and when, in UTC', () => {
    const mail = renderUsersMail({
      template: 'account_changed',
      data: {
        name: 'Eve',
        change: 'passkey_added',
        at: '2026-03-01T09:05:30.000Z',
        link: 'https://shop.example/forgot-password',
      },
    });
    expect(mail.subject).toBe('Security notice: a change to your Micro Foods Market account');
    expect(mail.text).toContain(
      'A passkey was added on your Micro Foods Market account, on 2026-03-01 at 09:05 UTC.',
    );
  });

  it('forwards store feedback with its sender, escaped in the HTML part', () => {
    const mail = renderUsersMail({
      template: 'store_feedback',
      data: { fromName: 'Fay', fromEmail: 'fay@example.com', message: 'More <b>kale</b>' },
    });
    expect(mail.subject).toBe('Store feedback from Fay');
    expect(mail.text).toBe('From: Fay <fay@example.com>\n\nMore <b>kale</b>');
    expect(mail.html).toContain('More &lt;b&gt;kale&lt;/b&gt;');
  });
});
