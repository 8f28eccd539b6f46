/** What every mail's HTML is built of: escaped values in one frame, so mails look alike. */

export const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The HTML frame of every mail from `store`; `body` is already escaped HTML. */
export function layout(store: string, title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; color: #1f2d1f; max-width: 36rem">',
    `<h1 style="font-size: 1.25rem; color: #2f6b2f">${store}</h1>`,
    body,
    '<p style="color: #667; font-size: 0.85rem">You get this mail because of your account at ',
    `${store}. If you did not ask for it, you can ignore it.</p>`,
    '</body></html>',
  ].join('\n');
}

/** The first line of a mail to a person, by name when it is known. */
export const greeting = (name?: string): string => `Hello ${name ?? 'there'},`;

export const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
export const button = (link: string, label: string) =>
  `<p><a href="${escapeHtml(link)}" style="background: #2f6b2f; color: #fff; padding: 0.5rem 1rem; text-decoration: none; border-radius: 4px">${escapeHtml(label)}</a></p>`;
export const code = (value: string) =>
  `<p style="font-size: 1.5rem; letter-spacing: 0.3rem; font-weight: bold">${escapeHtml(value)}</p>`;
