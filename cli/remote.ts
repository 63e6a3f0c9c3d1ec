import type { Issue } from '../engine/errors.js';
import { PlaybookKey } from '../engine/playbook/index.js';
import { realAccount } from './account.js';
import { formatIssue } from './format.js';
import { DEFAULT_SERVER, UsageError } from './usage.js';
import { NO_TOKEN_HINT, readCliConfig, tokenFor } from './credentials.js';
import { catalogueFromServer, NO_CATALOGUE } from './fields.js';
import { checkFile, issueLines } from './validate.js';

export { DEFAULT_SERVER };
const TIMEOUT_MS = 30_000;

/** The server to talk to: --server, else $STAYFLOW_URL, else the config file's, else the local default. */
export function serverUrl(option: string | undefined): string {
  const raw = option ?? (process.env.STAYFLOW_URL || readCliConfig().server || DEFAULT_SERVER);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${option !== undefined ? '--server' : 'STAYFLOW_URL'} is not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the server must be an http:// or https:// URL, not ${raw}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** A request that got no usable answer, or an answer that is an error; `message` is ready to print. */
class RemoteFailure extends Error {
  constructor(
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

interface Answer {
  status: number;
  body: unknown;
}

export function call(
  server: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Answer> {
  return send(server, method, path, {
    contentType: 'application/json',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A request with a body of any type (a CSV file); the answer is parsed as JSON when it is JSON. */
export async function send(
  server: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  request: { contentType: string; body: string | undefined; timeoutMs?: number },
): Promise<Answer> {
  const timeoutMs = request.timeoutMs ?? TIMEOUT_MS;
  const credential = tokenFor(server);
  let response: Response;
  try {
    response = await fetch(`${server}${path}`, {
      method,
      headers: {
        ...(request.body !== undefined && { 'content-type': request.contentType }),
        accept: 'application/json',
        ...(credential && { authorization: `Bearer ${credential.token}` }),
      },
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new RemoteFailure(`Stayflow at ${server} did not answer within ${timeoutMs / 1000} s`);
    }
    throw new RemoteFailure(`cannot reach Stayflow at ${server} (is \`npm start\` running?)`);
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page, another program on the port): reported by status below.
  }
  return { status: response.status, body: parsed };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Turns a non-2xx answer into a RemoteFailure carrying the server's message and issues. */
export function failure(what: string, answer: Answer): RemoteFailure {
  const error = field(answer.body, 'error');
  const message = field(error, 'message');
  const issues = field(error, 'issues');
  const hint = answer.status === 401 ? `; ${NO_TOKEN_HINT}` : '';
  return new RemoteFailure(
    `${what} failed: ${typeof message === 'string' ? message : 'unexpected answer'} (HTTP ${answer.status})${hint}`,
    Array.isArray(issues) ? (issues as Issue[]) : [],
  );
}

export const ok = (answer: Answer) => answer.status >= 200 && answer.status < 300;

export async function reportFailures(prefix: string, action: () => Promise<number | void>): Promise<number> {
  try {
    return (await action()) ?? 0;
  } catch (error) {
    if (!(error instanceof RemoteFailure)) throw error;
    console.error(`stayflow: ${error.message}`);
    for (const issue of error.issues) console.error(formatIssue(prefix, issue));
    return 1;
  }
}

/**
 * Saves the file as the playbook's draft (creating the playbook, or updating it when the key exists) and publishes
 * it. The file is compiled here first, so a broken definition never reaches the server.
 */
export async function publishCommand(file: string, options: { server?: string }): Promise<number> {
  const server = serverUrl(options.server);
  // Custom fields are checked against the server's own catalogue; should it not answer, the server checks them.
  const checked = checkFile(file, (await catalogueFromServer(server)) ?? NO_CATALOGUE);
  if (!checked.ok) {
    for (const line of issueLines(checked)) console.error(line);
    return 1;
  }
  // The author's definition goes to the server as written (it keeps positions for the editor), not the IR.
  const { definition } = checked;
  const key = checked.playbook.key;
  const at = `/api/playbooks/${encodeURIComponent(key)}`;
  return reportFailures(file, async () => {
    const created = await call(server, 'POST', '/api/playbooks', { definition });
    let saved = 'created';
    if (created.status === 409 && field(field(created.body, 'error'), 'code') === 'conflict') {
      const updated = await call(server, 'PUT', at, { definition });
      if (!ok(updated)) throw failure(`updating the draft of ${key}`, updated);
      saved = 'updated';
    } else if (!ok(created)) {
      throw failure(`saving ${key}`, created);
    }
    const published = await call(server, 'POST', `${at}/publish`, {});
    if (!ok(published)) throw failure(`publishing ${key}`, published);
    const version = field(published.body, 'version');
    console.log(`✓ ${file} — ${key} ${saved} and published as version ${String(version)} on ${server}`);
  });
}

/** Starts a run of the playbook's published version for one account: a stored one by external id, or inline. */
export async function enrollCommand(
  key: string,
  options: { account?: string; 'account-id'?: string; server?: string },
): Promise<number> {
  const server = serverUrl(options.server);
  if (!PlaybookKey.safeParse(key).success) {
    throw new UsageError(`'${key}' is not a playbook key (a slug such as welcome-and-checkin)`);
  }
  const externalId = options['account-id']?.trim();
  if (options['account-id'] !== undefined && options.account !== undefined) {
    throw new UsageError('enroll takes --account-id <external id> or --account <json>, not both');
  }
  if (externalId === undefined && options.account === undefined) {
    throw new UsageError('enroll needs --account-id <external id> (a stored account) or --account <json or @file>');
  }
  if (externalId === '') throw new UsageError('--account-id must not be empty');
  const at = `/api/playbooks/${encodeURIComponent(key)}`;
  if (externalId !== undefined) {
    return reportFailures(key, async () => {
      const answer = await call(server, 'POST', `${at}/enrollments`, { externalId });
      if (!ok(answer)) throw failure(`enrolling account ${externalId} in ${key}`, answer);
      printEnrolled(`account ${externalId}`, key, answer.body);
    });
  }
  const account = realAccount(options.account);
  return reportFailures(key, async () => {
    // An account described inline has no contacts: a playbook that sends email would skip every one of them.
    const stored = await storedAccountId(server, account.id);
    if (stored) {
      const answer = await call(server, 'POST', `${at}/enrollments`, { accountId: stored });
      if (!ok(answer)) throw failure(`enrolling ${account.id} in ${key}`, answer);
      printEnrolled(account.id, key, answer.body);
      return;
    }
    const emails = await emailSteps(server, key);
    if (emails.length > 0) {
      console.error(
        `stayflow: not enrolled: account '${account.id}' is not stored, so every email of ${key} would be skipped (${emails.join(', ')}: no contact to send to). Import the account and its contacts (stayflow import accounts.csv; stayflow import contacts.csv --contacts), then run: stayflow enroll ${key} --account-id <external id>`,
      );
      return 1;
    }
    const answer = await call(server, 'POST', `${at}/enrollments`, { account });
    if (!ok(answer)) throw failure(`enrolling ${account.id} in ${key}`, answer);
    printEnrolled(`${account.id} (not stored)`, key, answer.body);
  });
}

function printEnrolled(who: string, key: string, body: unknown) {
  const [workflowId, runId, version] = ['workflowId', 'runId', 'version'].map((name) => field(body, name));
  console.log(
    `✓ ${who} enrolled in ${key} version ${String(version)}: workflow ${String(workflowId)} (run ${String(runId)})`,
  );
}

/** The stored account an inline `id` names (a stored id, or an external id), if any. */
async function storedAccountId(server: string, id: string): Promise<string | undefined> {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? await call(server, 'GET', `/api/accounts/${id}`)
    : undefined;
  if (byId && ok(byId)) return String(field(byId.body, 'id'));
  const byExternal = await call(server, 'GET', `/api/accounts/by-external-id/${encodeURIComponent(id)}`);
  if (ok(byExternal)) return String(field(byExternal.body, 'id'));
  if (byExternal.status !== 404) throw failure(`looking up account ${id}`, byExternal);
  return undefined;
}

/** The labels of the email steps of the playbook's published version (empty when it sends none). */
async function emailSteps(server: string, key: string): Promise<string[]> {
  const at = `/api/playbooks/${encodeURIComponent(key)}`;
  const playbook = await call(server, 'GET', at);
  if (!ok(playbook)) throw failure(`reading ${key}`, playbook);
  const version = field(field(playbook.body, 'playbook') ?? playbook.body, 'currentVersion');
  if (typeof version !== 'number') return [];
  const published = await call(server, 'GET', `${at}/versions/${version}`);
  if (!ok(published)) throw failure(`reading ${key} version ${version}`, published);
  const nodes = field(field(published.body, 'definition'), 'nodes');
  return (Array.isArray(nodes) ? nodes : [])
    .filter((node) => field(node, 'type') === 'email')
    .map((node) => String(field(node, 'label') ?? field(node, 'id')));
}
