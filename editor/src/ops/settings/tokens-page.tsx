import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import {
  NewApiToken,
  SCOPE_DESCRIPTIONS,
  TokenScope,
  type ApiToken,
  type CreatedApiToken,
} from '../../../../engine/people/api-token.js';
import { Empty, ErrorMessage } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { when } from '../ui/format.js';
import { SettingsTabs } from './settings-tabs.js';
import '../ops.css';

// The form checks the API's own rules (engine/people/api-token.ts); the expiry is picked as a day, which the token
// reaches at the start of (UTC), since people think of "valid until the 31st" rather than an instant.
const TokenForm = NewApiToken.omit({ expiresAt: true }).extend({
  expiresOn: z.iso.date({ error: 'must be a day' }).optional(),
});
type TokenForm = z.infer<typeof TokenForm>;

/** What a token is now, in words: revoked and expired ones stop working at once. */
function stateOf(token: ApiToken, now = Date.now()): string {
  if (token.revokedAt) return `revoked ${when(token.revokedAt)}`;
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return `expired ${when(token.expiresAt)}`;
  return 'active';
}

/** API tokens for the systems that call Stayflow: create one (its secret shown once), see their use, revoke. */
export function TokensPage() {
  const tokens = useAsync((signal) => opsApi.tokens(signal), []);
  const [created, setCreated] = useState<CreatedApiToken>();
  return (
    <div className="page wide">
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>API tokens</h2>
      <p className="muted">
        Systems that send events or read Stayflow (your product, a help desk, the CLI in CI) sign in with a token, as{' '}
        <code>Authorization: Bearer &lt;secret&gt;</code>. Give each one only the scopes it needs.
      </p>
      {created && <NewSecret created={created} onDone={() => setCreated(undefined)} />}
      <AsyncView
        state={tokens}
        what="API tokens"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title="No API tokens yet">Create one below for each system that calls Stayflow.</Empty>}
      >
        {(data) => <TokenTable tokens={data.items} onChanged={tokens.reload} />}
      </AsyncView>
      <h2>Create a token</h2>
      <NewToken
        onCreated={(answer) => {
          setCreated(answer);
          tokens.reload();
        }}
      />
    </div>
  );
}

/** The secret of the token just made: shown this once, with a way to copy it. */
function NewSecret({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a refused permission): the box is selectable instead.
      setCopied(false);
    }
  };
  return (
    <section className="card notice-ok" aria-labelledby="new-secret-title" data-testid="new-token-secret">
      <h3 id="new-secret-title">Token “{created.token.name}” created</h3>
      <p>Copy its secret now: Stayflow keeps only a hash of it and cannot show it again.</p>
      <label className="field">
        <span>Secret</span>
        <input
          readOnly
          value={created.secret}
          size={Math.min(created.secret.length + 2, 60)}
          onFocus={(e) => e.target.select()}
        />
      </label>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy the secret'}
        </button>
        <button type="button" onClick={onDone}>
          I have saved it
        </button>
      </div>
    </section>
  );
}

function TokenTable({ tokens, onChanged }: { tokens: ApiToken[]; onChanged: () => void }) {
  const [failure, setFailure] = useState<unknown>();
  const [confirming, setConfirming] = useState<string>();
  const revoke = async (token: ApiToken) => {
    setFailure(undefined);
    try {
      await opsApi.revokeToken(token.id);
      setConfirming(undefined);
      onChanged();
    } catch (error) {
      setFailure(error);
    }
  };
  const columns: Column<ApiToken>[] = [
    { header: 'Name', rowHeader: true, cell: (token) => token.name },
    { header: 'Scopes', cell: (token) => token.scopes.join(', ') },
    { header: 'Created', className: 'nowrap', cell: (token) => when(token.createdAt) },
    { header: 'Expires', className: 'nowrap', cell: (token) => (token.expiresAt ? when(token.expiresAt) : 'never') },
    {
      header: 'Last used',
      className: 'nowrap',
      cell: (token) => (token.lastUsedAt ? when(token.lastUsedAt) : 'never'),
    },
    { header: 'State', cell: (token) => stateOf(token) },
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (token) =>
        token.revokedAt ? null : confirming === token.id ? (
          <span className="row">
            <span>Revoke “{token.name}”? It stops working at once.</span>
            <button type="button" className="danger" onClick={() => void revoke(token)}>
              Yes, revoke
            </button>
            <button type="button" onClick={() => setConfirming(undefined)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" className="link danger" onClick={() => setConfirming(token.id)}>
            Revoke<span className="visually-hidden"> {token.name}</span>
          </button>
        ),
    },
  ];
  return (
    <>
      {failure !== undefined && <ErrorMessage error={failure} />}
      <DataTable rows={tokens} columns={columns} rowKey={(token) => token.id} testId="token-list" label="API tokens" />
    </>
  );
}

function NewToken({ onCreated }: { onCreated: (created: CreatedApiToken) => void }) {
  const [failure, setFailure] = useState<unknown>();
  const form = useForm<TokenForm>({
    resolver: zodResolver(TokenForm),
    defaultValues: { name: '', scopes: ['read'] },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async ({ expiresOn, ...values }) => {
    setFailure(undefined);
    try {
      onCreated(await opsApi.createToken({ ...values, ...(expiresOn ? { expiresAt: `${expiresOn}T00:00:00Z` } : {}) }));
      form.reset();
    } catch (error) {
      setFailure(error);
    }
  });
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-label="Create a token">
      <label className="field">
        <span>Name (what will use it)</span>
        <input {...form.register('name')} aria-invalid={errors.name ? true : undefined} />
        {errors.name && <span className="field-error">Name {errors.name.message}</span>}
      </label>
      <fieldset className="field" aria-invalid={errors.scopes ? true : undefined}>
        <legend>Scopes</legend>
        {TokenScope.options.map((scope) => (
          <label key={scope} className="row">
            <input type="checkbox" value={scope} {...form.register('scopes')} />
            <span>
              <code>{scope}</code> <span className="muted">— {SCOPE_DESCRIPTIONS[scope]}</span>
            </span>
          </label>
        ))}
        {errors.scopes && <span className="field-error">Scopes: {errors.scopes.message}</span>}
      </fieldset>
      <label className="field">
        <span>Expires on (UTC; empty: until revoked)</span>
        <input
          type="date"
          {...form.register('expiresOn', { setValueAs: (v: string) => v || undefined })}
          aria-invalid={errors.expiresOn ? true : undefined}
        />
        {errors.expiresOn && <span className="field-error">Expiry {errors.expiresOn.message}</span>}
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={isSubmitting}>
          Create token
        </button>
      </div>
      {failure !== undefined && <ErrorMessage error={failure} />}
    </form>
  );
}
