import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TextField } from './text-field.component';

type Props = Parameters<typeof TextField>[0];
const base = { id: 'email-new', label: 'New email', value: 'a@b.c', onChange: () => undefined };
const render = (props: Partial<Props>, ...children: ReturnType<typeof createElement>[]) =>
  renderToStaticMarkup(createElement(TextField, { ...base, ...props }, ...children));
const inputOf = (html: string) => /<input [^>]*\/>/.exec(html)?.[0] ?? '';

describe('TextField', () => {
  it('is a labelled, required input with nothing said about it while it is fine', () => {
    const html = render({ type: 'email', autoComplete: 'email' });
    expect(html).toMatch(/^<div class="field"><label for="email-new">New email<\/label><input /);
    expect(inputOf(html)).toContain('required=""');
    expect(inputOf(html)).toContain('type="email"');
    expect(html).not.toContain('aria-');
    expect(html).not.toContain('field-error');
  });

  it('marks the input invalid and ties the refusal to it, announced only when asked', () => {
    const html = render({ problem: 'Taken.' });
    expect(inputOf(html)).toContain('aria-invalid="true"');
    expect(inputOf(html)).toContain('aria-describedby="email-new-error"');
    expect(html).toContain('/><span id="email-new-error" class="field-error">Taken.</span></div>');
    expect(render({ problem: 'Taken.', alert: true })).toContain(
      '<span id="email-new-error" class="field-error" role="alert">Taken.</span>',
    );
  });

  it('names its rules first, then the refusal, and shows the rules between input and refusal', () => {
    const rules = createElement('ul', { id: 'pw-rules' });
    const fine = render({ describedBy: 'pw-rules' }, rules);
    expect(inputOf(fine)).toContain('aria-describedby="pw-rules"');
    expect(fine).toContain('/><ul id="pw-rules"></ul></div>');
    const refused = render({ describedBy: 'pw-rules', problem: 'Too short.' }, rules);
    expect(inputOf(refused)).toContain('aria-describedby="pw-rules email-new-error"');
    expect(refused).toContain('/><ul id="pw-rules"></ul><span id="email-new-error"');
  });
});
