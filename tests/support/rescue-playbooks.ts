import { randomUUID } from 'node:crypto';
import { expect, inject } from 'vitest';
import './provided.js';
import { asAdmin } from './api.js';
import { until } from './until.js';

// The integration lane's client for the shared stack, and the rescue playbooks of domain.md (one per risk level,
// exit when the level falls back below its floor), for tests of the account workflows.

/** Where the helpers send requests: the lane's shared stack unless a test started its own (`useStack`). */
const target: { apiUrl?: string; eventsToken?: string } = {};
export function useStack(apiUrl: string, eventsToken: string) {
  target.apiUrl = apiUrl;
  target.eventsToken = eventsToken;
}

export const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${target.apiUrl ?? inject('apiUrl')}${path}`, {
    method,
    headers: asAdmin(body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

export interface EventToPost {
  name: string;
  data?: Record<string, unknown>;
  occurredAt?: string;
  idempotencyKey?: string;
}

/** Posts events for the account by external id, with the events token; each with its own idempotency key. */
export async function postEvents(externalId: string, events: EventToPost[]) {
  const res = await api(
    'POST',
    '/api/events',
    { events: events.map((e) => ({ idempotencyKey: randomUUID(), ...e, externalId, data: e.data ?? {} })) },
    { authorization: `Bearer ${target.eventsToken ?? inject('apiTokens').events}` },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as { accepted: number; duplicates: number; results: { seq: number; status: string }[] };
}

export const FLOOR = { high: 80, medium: 50, low: 20 } as const;
export type Level = keyof typeof FLOOR;

/** A rescue for one level: entering it enrolls; a score back below the level's floor ends the run. */
export function rescuePlaybook(key: string, level: Level) {
  return {
    schemaVersion: 1,
    key,
    name: `Rescue ${level} ${key}`,
    triggers: [{ type: 'riskLevelEntered', level }],
    enrollment: { mode: 'oneAtATime' },
    exit: [
      {
        kind: 'condition',
        label: `Risk back below ${FLOOR[level]}`,
        when: { field: 'account.riskScore', op: 'lt', value: FLOOR[level] },
      },
    ],
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'hold', type: 'wait', label: 'Work the rescue', config: { kind: 'duration', amount: 30, unit: 'days' } },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'hold' },
      { id: 'e2', source: 'hold', target: 'done' },
    ],
  };
}

export async function publish(definition: { key: string } & Record<string, unknown>) {
  const created = await api('POST', '/api/playbooks', { definition });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await api('POST', `/api/playbooks/${definition.key}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}

/** Publishes a rescue per level; `archive` takes them out of trigger evaluation again (other files share the stack). */
export async function publishRescues(prefix: string) {
  const keys = { high: `${prefix}-high`, medium: `${prefix}-medium`, low: `${prefix}-low` };
  for (const level of ['high', 'medium', 'low'] as const) await publish(rescuePlaybook(keys[level], level));
  return {
    keys,
    archive: async () => {
      for (const key of Object.values(keys)) await api('POST', `/api/playbooks/${key}/archive`);
    },
  };
}

export async function newAccount(name = 'Rescue Test Co') {
  const externalId = `rescue-${randomUUID()}`;
  const res = await api('POST', '/api/accounts', { externalId, name, timeZone: 'Europe/Madrid' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, externalId };
}

export interface RunSummary {
  workflowId: string;
  status: string;
  startedAt: string;
}
export const runsOf = async (accountId: string, key: string) =>
  (await api('GET', `/api/runs?account=${accountId}&playbook=${key}`)).body.items as RunSummary[];

export const runDetail = async (workflowId: string) =>
  (await api('GET', `/api/runs/${encodeURIComponent(workflowId)}`)).body as {
    status: string;
    timeline: { kind: string; summary: string; why: string }[];
    position: { waiting?: { kind: string } } | null;
  };

/** Waits for the account's run of the playbook whose status passes `accept` (default: any). */
export const runOf = (accountId: string, key: string, accept: (status: string) => boolean = () => true) =>
  until(`a run of ${key}`, async () => (await runsOf(accountId, key)).find((r) => accept(r.status)), 45_000);

/** Waits until the run's detail passes `done`, and answers it. */
export const runUntil = (
  workflowId: string,
  what: string,
  done: (detail: Awaited<ReturnType<typeof runDetail>>) => boolean,
) =>
  until(
    what,
    async () => {
      const detail = await runDetail(workflowId);
      return done(detail) ? detail : undefined;
    },
    45_000,
  );

export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
