import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-error';
import type { NewAccount, Role, User } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { useCurrentUser } from '../auth/session.hooks';
import { formatDate } from '../format/dates.format';
import { ErrorNotice } from '../ui/error-notice.component';
import { useListParams, useListing } from '../ui/list-params.hook';
import { PagedTable } from '../ui/paged-table.component';
import { usePageTitle } from '../ui/page-title.hook';
import { SelectFilter } from '../ui/select-filter.component';
import { PasswordRules, passwordIsValid } from '../ui/password-rules.component';

const PAGE_SIZE = 20;

export function UsersAdminPage() {
  const { params, page, change } = useListParams();
  const role = (params.get('role') as Role | null) || undefined;
  const enabledParam = params.get('enabled');
  const enabled = enabledParam === 'true' ? true : enabledParam === 'false' ? false : undefined;
  const query = { role, enabled, page, limit: PAGE_SIZE };
  const users = useListing(['office', 'users'], query, (q) => storeApi.users(q));
  usePageTitle('Users');

  return (
    <>
      <h1>Users</h1>
      <div className="filter-bar" role="group" aria-label="Filter users">
        <SelectFilter
          id="users-role"
          label="Role"
          value={role ?? ''}
          options={[
            ['', 'Any'],
            ['customer', 'Customers'],
            ['employee', 'Employees'],
          ]}
          onChange={(value) => change({ role: value })}
        />
        <SelectFilter
          id="users-enabled"
          label="Status"
          value={enabledParam ?? ''}
          options={[
            ['', 'Any'],
            ['true', 'Enabled'],
            ['false', 'Disabled'],
          ]}
          onChange={(value) => change({ enabled: value })}
        />
      </div>
      <PagedTable
        query={users}
        noun={['account', 'accounts']}
        columns={[
          { label: 'Username' },
          { label: 'Name' },
          { label: 'Role' },
          { label: 'Status' },
          { label: 'Joined' },
        ]}
        row={(user) => <UserRow key={user.id} user={user} />}
        page={page}
        limit={PAGE_SIZE}
        onPage={(next) => change({ page: String(next) })}
      />
      <NewAccountForm />
    </>
  );
}

/** One account, with its role and status changeable in place. */
function UserRow({ user }: { user: User }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (changes: Partial<Pick<User, 'role' | 'enabled'>>) =>
      storeApi.updateUser(user.id, changes),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['office', 'users'] }),
  });
  const self = me?.id === user.id;
  return (
    <tr>
      <td>
        <Link to={`/office/users/${user.id}`}>{user.username}</Link>
      </td>
      <td>
        {user.firstName} {user.lastName}
        <div className="muted">{user.email}</div>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {user.username}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={self || update.isPending}
          onChange={(event) => update.mutate({ role: event.target.value as Role })}
        >
          <option value="customer">Customer</option>
          <option value="employee">Employee</option>
        </select>
        {update.error && (
          <div className="field-error" role="alert">
            {update.error instanceof ApiError ? update.error.message : 'Not saved'}
          </div>
        )}
      </td>
      <td>
        <span className={`badge ${user.enabled ? 'ok' : 'off'}`}>
          {user.enabled ? 'Enabled' : 'Disabled'}
        </span>{' '}
        {!self && (
          <button
            type="button"
            className="secondary"
            disabled={update.isPending}
            aria-label={`${user.enabled ? 'Disable' : 'Enable'} ${user.username}`}
            onClick={() => update.mutate({ enabled: !user.enabled })}
          >
            {user.enabled ? 'Disable' : 'Enable'}
          </button>
        )}
      </td>
      <td>{formatDate(user.createdAt)}</td>
    </tr>
  );
}

const EMPTY: NewAccount & { role: Role } = {
  firstName: '',
  lastName: '',
  username: '',
  email: '',
  password: '',
  role: 'customer',
};

function NewAccountForm() {
  const queryClient = useQueryClient();
  const [account, setAccount] = useState(EMPTY);
  const [created, setCreated] = useState<User>();
  const create = useMutation({
    mutationFn: () => storeApi.createUser(account),
    onSuccess: (user) => {
      setCreated(user);
      setAccount(EMPTY);
      void queryClient.invalidateQueries({ queryKey: ['office', 'users'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (passwordIsValid(account.password, account)) create.mutate();
  };
  const fieldError = (field: string) =>
    create.error instanceof ApiError ? create.error.fieldMessage(field) : undefined;
  const input = (field: keyof NewAccount, label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`new-${field}`}>{label}</label>
      <input
        id={`new-${field}`}
        type={type}
        autoComplete="off"
        value={account[field]}
        onChange={(event) => setAccount({ ...account, [field]: event.target.value })}
        aria-describedby={field === 'password' ? 'new-password-rules' : undefined}
      />
      {fieldError(field) && <span className="field-error">{fieldError(field)}</span>}
    </div>
  );
  return (
    <details className="panel">
      <summary>Create an account</summary>
      <form onSubmit={submit} noValidate>
        {created && (
          <div className="notice success" role="status">
            <p>
              Account <Link to={`/office/users/${created.id}`}>{created.username}</Link> created.
            </p>
          </div>
        )}
        {create.error && !fieldError('username') && !fieldError('email') && (
          <ErrorNotice error={create.error} />
        )}
        <div className="form-grid">
          {input('firstName', 'First name')}
          {input('lastName', 'Last name')}
          {input('username', 'Username')}
          {input('email', 'Email', 'email')}
          {input('password', 'Password', 'password')}
          <div className="field">
            <label htmlFor="new-role">Role</label>
            <select
              id="new-role"
              value={account.role}
              onChange={(event) => setAccount({ ...account, role: event.target.value as Role })}
            >
              <option value="customer">Customer</option>
              <option value="employee">Employee</option>
            </select>
          </div>
        </div>
        <PasswordRules id="new-password-rules" password={account.password} owner={account} />
        <div className="actions">
          <button
            type="submit"
            disabled={create.isPending || !passwordIsValid(account.password, account)}
          >
            {create.isPending ? 'Creating…' : 'Create account'}
          </button>
        </div>
      </form>
    </details>
  );
}
