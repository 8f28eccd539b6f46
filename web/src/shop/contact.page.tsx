import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-error';
import type { Feedback, FeedbackTopic } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { useCurrentUser } from '../auth/session.hooks';
import { ErrorNotice } from '../ui/error-notice.component';
import { usePageTitle } from '../ui/page-title.hook';
import { TextField } from '../ui/text-field.component';

const TOPICS: Array<[FeedbackTopic, string]> = [
  ['general', 'General'],
  ['products', 'Products'],
  ['delivery', 'Delivery'],
  ['website', 'This website'],
  ['other', 'Something else'],
];

/** The contact form: anyone may write, signed in or not; a signed-in person's details are filled in. */
export function ContactPage() {
  const user = useCurrentUser();
  usePageTitle('Contact us');
  const [form, setForm] = useState<Required<Feedback>>(() => ({
    name: user ? `${user.firstName} ${user.lastName}` : '',
    email: user?.email ?? '',
    topic: 'general',
    message: '',
  }));
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>();

  const set = (field: keyof Feedback) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }));
  const problem = (field: string) =>
    error instanceof ApiError ? error.fieldMessage(field) : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await storeApi.sendFeedback({ ...form, name: form.name.trim(), email: form.email.trim() });
      setSent(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (sent)
    return (
      <div className="form-narrow">
        <h1>Contact us</h1>
        <div className="notice success" role="status">
          <p>Thank you, your message is sent. We answer at {form.email}.</p>
        </div>
        <p>
          <Link to="/">Back to the shop</Link>
        </p>
      </div>
    );

  const fieldProblems = ['name', 'email', 'topic', 'message'].some((f) => problem(f));
  return (
    <div className="form-narrow">
      <h1>Contact us</h1>
      <p>Questions, ideas or a problem with an order: write to us and we will answer by mail.</p>
      {!fieldProblems && <ErrorNotice error={error} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="contact-name"
          label="Your name"
          autoComplete="name"
          maxLength={100}
          value={form.name}
          onChange={set('name')}
          problem={problem('name')}
        />
        <TextField
          id="contact-email"
          label="Your email"
          type="email"
          autoComplete="email"
          maxLength={254}
          value={form.email}
          onChange={set('email')}
          problem={problem('email')}
        />
        <div className="field">
          <label htmlFor="contact-topic">Topic</label>
          <select
            id="contact-topic"
            value={form.topic}
            onChange={(event) => set('topic')(event.target.value)}
          >
            {TOPICS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="contact-message">Message</label>
          <textarea
            id="contact-message"
            rows={6}
            required
            maxLength={4000}
            value={form.message}
            onChange={(event) => set('message')(event.target.value)}
            aria-invalid={problem('message') ? true : undefined}
            aria-describedby={problem('message') ? 'contact-message-error' : undefined}
          />
          {problem('message') && (
            <span id="contact-message-error" className="field-error">
              {problem('message')}
            </span>
          )}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send message'}
        </button>
      </form>
    </div>
  );
}
