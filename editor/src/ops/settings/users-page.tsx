import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { UserInput, UserRole, type User, type UserPatch } from '../../../../engine/people/user.js';
import { api } from '../../api/client.js';
import { Empty, ErrorMessage } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { AsyncView } from '../ui/async-view.js';
import { SettingsTabs } from './settings-tabs.js';
import '../ops.css';

const usersApi = {
  list: (signal?: AbortSignal) => api.get<{ items: User[] }>('/api/users', signal),
  create: (input: UserInput) => api.post<User>('/api/users', input),
  patch: (id: string, patch: UserPatch) => api.patch<User>(`/api/users/${encodeURIComponent(id)}`, patch),
};

/** People, their roles and teams (a CSM's manager); an admin's page. */
export function UsersPage() {
  const users = useAsync((signal) => usersApi.list(signal), []);
  return (
    <div className="page wide">
      <h1>Settings</h1>
      <SettingsTabs />
      <AsyncView
        state={users}
        what="users"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title="No users yet" />}
      >
        {(data) => <UserTable users={data.items} onChanged={users.reload} />}
      </AsyncView>
      <h2>Add a person</h2>
      <NewUser
        managers={users.status === 'ready' ? users.data.items.filter((u) => u.role === 'manager') : []}
        onAdded={users.reload}
      />
    </div>
  );
}

function UserTable({ users, onChanged }: { users: User[]; onChanged: () => void }) {
  const [failure, setFailure] = useState<unknown>();
  const managers = users.filter((u) => u.role === 'manager');
  const change = async (user: User, patch: UserPatch) => {
    setFailure(undefined);
    try {
      await usersApi.patch(user.id, patch);
      onChanged();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <>
      {failure !== undefined && <ErrorMessage error={failure} />}
      <table className="table" data-testid="user-list">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role</th>
            <th scope="col">Manager (team)</th>
            <th scope="col">Sign-in</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row">
                {user.name ?? user.email}
                <div className="muted">{user.email}</div>
              </th>
              <td>
                <select
                  aria-label={`Role of ${user.email}`}
                  value={user.role}
                  onChange={(e) => void change(user, { role: UserRole.parse(e.target.value) })}
                >
                  {UserRole.options.map((role) => (
                    <option key={role}>{role}</option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  aria-label={`Manager of ${user.email}`}
                  value={user.managerId ?? ''}
                  onChange={(e) => void change(user, { managerId: e.target.value || null })}
                >
                  <option value="">none</option>
                  {managers
                    .filter((m) => m.id !== user.id)
                    .map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name ?? m.email}
                      </option>
                    ))}
                </select>
              </td>
              <td>
                {user.active ? (user.canSignIn ? 'can sign in' : 'no password') : 'deactivated'}{' '}
                <button type="button" className="link" onClick={() => void change(user, { active: !user.active })}>
                  {user.active ? 'Deactivate' : 'Reactivate'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function NewUser({ managers, onAdded }: { managers: User[]; onAdded: () => void }) {
  const [failure, setFailure] = useState<unknown>();
  const form = useForm({ resolver: zodResolver(UserInput), defaultValues: { email: '', role: 'csm' as const } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      await usersApi.create({ ...values, managerId: values.managerId || null, password: values.password || undefined });
      form.reset();
      onAdded();
    } catch (error) {
      setFailure(error);
    }
  });
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a person">
      <div className="filters">
        <label className="field">
          <span>Email</span>
          <input type="email" {...form.register('email')} aria-invalid={errors.email ? true : undefined} />
          {errors.email && <span className="field-error">Email {errors.email.message}</span>}
        </label>
        <label className="field">
          <span>Name</span>
          <input {...form.register('name', { setValueAs: (v: string) => v.trim() || undefined })} />
        </label>
        <label className="field">
          <span>Role</span>
          <select {...form.register('role')}>
            {UserRole.options.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Manager</span>
          <select {...form.register('managerId', { setValueAs: (v: string) => v || null })}>
            <option value="">none</option>
            {managers.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name ?? m.email}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Password (12+ characters; empty: cannot sign in yet)</span>
          <input
            type="password"
            autoComplete="new-password"
            {...form.register('password', { setValueAs: (v: string) => v || undefined })}
            aria-invalid={errors.password ? true : undefined}
          />
          {errors.password && <span className="field-error">Password {errors.password.message}</span>}
        </label>
        <button type="submit" className="primary" disabled={isSubmitting}>
          Add
        </button>
      </div>
      {failure !== undefined && <ErrorMessage error={failure} />}
    </form>
  );
}
