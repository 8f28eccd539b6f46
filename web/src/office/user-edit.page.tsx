import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import type { Role, User } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { useCurrentUser } from '../auth/session.hooks';
import { session } from '../auth/session.store';
import { formatDateTime } from '../format/dates.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';

type Editable = Pick<User, 'firstName' | 'lastName' | 'email' | 'role' | 'enabled'>;

export function UserEditPage() {
  const { id = '' } = useParams();
  const user = useQuery({ queryKey: ['office', 'user', id], queryFn: () => storeApi.user(id) });
  usePageTitle(user.data ? `Account ${user.data.username}` : 'Account');
  if (user.isPending) return <Loading label="Loading the account…" />;
  if (user.error)
    return (
      <>
        <h1>Account</h1>
        <ErrorNotice error={user.error} />
        <Link to="/office/users">All users</Link>
      </>
    );
  return <UserEditor key={user.data.updatedAt} user={user.data} />;
}

function UserEditor({ user }: { user: User }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Editable>({
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    role: user.role,
    enabled: user.enabled,
  });
  const save = useMutation({
    mutationFn: () => {
      const changes: Partial<Editable> = {};
      for (const key of Object.keys(form) as Array<keyof Editable>)
        if (form[key] !== user[key]) Object.assign(changes, { [key]: form[key] });
      return storeApi.updateUser(user.id, changes);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(['office', 'user', user.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['office', 'users'] });
      session.updateUser(updated);
    },
  });
  const self = me?.id === user.id;
  const fieldError = (field: string) =>
    save.error instanceof ApiError ? save.error.fieldMessage(field) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const text = (field: 'firstName' | 'lastName' | 'email', label: string) => (
    <div className="field">
      <label htmlFor={`user-${field}`}>{label}</label>
      <input
        id={`user-${field}`}
        type={field === 'email' ? 'email' : 'text'}
        value={form[field]}
        onChange={(event) => setForm({ ...form, [field]: event.target.value })}
      />
      {fieldError(field) && <span className="field-error">{fieldError(field)}</span>}
    </div>
  );
  return (
    <>
      <h1>Account {user.username}</h1>
      <p className="muted">
        Joined {formatDateTime(user.createdAt)} · last changed {formatDateTime(user.updatedAt)}
      </p>
      <p>
        <Link to={`/office/orders?userId=${user.id}&username=${encodeURIComponent(user.username)}`}>
          Orders of {user.username}
        </Link>{' '}
        ·{' '}
        <Link to={`/office/audit?username=${encodeURIComponent(user.username)}`}>
          What they did
        </Link>
      </p>
      {save.isSuccess && (
        <div className="notice success" role="status">
          <p>Saved.</p>
        </div>
      )}
      {save.error && !fieldError('email') && <ErrorNotice error={save.error} />}
      <form className="panel form-narrow" onSubmit={submit} noValidate>
        {text('firstName', 'First name')}
        {text('lastName', 'Last name')}
        {text('email', 'Email')}
        <div className="field">
          <label htmlFor="user-role">Role</label>
          <select
            id="user-role"
            value={form.role}
            disabled={self}
            onChange={(event) => setForm({ ...form, role: event.target.value as Role })}
          >
            <option value="customer">Customer</option>
            <option value="employee">Employee</option>
          </select>
          {self && <span className="hint">You cannot change your own role.</span>}
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.enabled}
            disabled={self}
            onChange={(event) => setForm({ ...form, enabled: event.target.checked })}
          />
          Enabled (a disabled account cannot sign in)
        </label>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </>
  );
}
