import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import '../support/provided.js';
import { asAdmin } from '../support/api.js';
import { TEST_ADMIN_TOKEN } from '../support/test-config.js';
import { miniOnboarding } from '../support/sample-playbooks.js';
import { until } from '../support/until.js';
import { sampleAccountsCsv } from '../../bench/sample-accounts-csv.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: asAdmin(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function importCsv(text: string, kind = 'accounts', contentType = 'text/csv') {
  const res = await fetch(`${inject('apiUrl')}/api/accounts/import?kind=${kind}`, {
    method: 'POST',
    headers: asAdmin({ 'content-type': contentType }),
    body: text,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

// One stack serves every integration file: names unique to this run keep the tests apart.
const tag = randomUUID().slice(0, 8);
const ext = (name: string) => `${tag}-${name}`;

describe('accounts API', () => {
  it('creates, finds, lists and patches accounts, with 409 for a taken external id and 404 for unknown ones', async () => {
    const created = await api('POST', '/api/accounts', {
      externalId: ext('acme'),
      name: `${tag} Acme`,
      segment: 'high-touch',
      ownerCsmEmail: 'ana@cs.example',
      renewalDate: '2027-03-31',
      mrr: 2500,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ externalId: ext('acme'), locale: 'en', timeZone: 'UTC', custom: {} });
    const id: string = created.body.id;

    const again = await api('POST', '/api/accounts', { externalId: ext('acme'), name: 'Another' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(`external id '${ext('acme')}' already exists`);

    expect((await api('GET', `/api/accounts/${id}`)).body.name).toBe(`${tag} Acme`);
    expect((await api('GET', `/api/accounts/by-external-id/${ext('acme')}`)).body.id).toBe(id);
    expect((await api('GET', `/api/accounts/${randomUUID()}`)).status).toBe(404);
    expect((await api('GET', `/api/accounts/by-external-id/${ext('nobody')}`)).status).toBe(404);
    const notAnId = await api('GET', '/api/accounts/acme');
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.error.message).toContain('must be an account id');

    const bad = await api('POST', '/api/accounts', {
      externalId: ext('bad'),
      name: 'Bad',
      timeZone: 'Mars/Olympus',
      mrr: -1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: Json) => i.path).sort()).toEqual(['mrr', 'timeZone']);

    const patched = await api('PATCH', `/api/accounts/${id}`, { renewalDate: '2027-04-30', mrr: 2500 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ account: { renewalDate: '2027-04-30' }, changed: ['renewalDate'] });
    expect((await api('PATCH', `/api/accounts/${id}`, { owner: 'x' })).status).toBe(400);

    const listed = await api('GET', `/api/accounts?q=${tag}&segment=high-touch&owner=ANA@cs.example`);
    expect(listed.body.items.map((a: Json) => a.id)).toEqual([id]);
    expect(listed.body.nextCursor).toBeNull();
  });

  it('declares custom fields, checks account values against them, and compiles playbooks with them', async () => {
    const field = `seats_${tag}`;
    const usesField = structuredClone(miniOnboarding) as Json;
    usesField.key = `custom-field-${tag}`;
    usesField.nodes.find((n: Json) => n.id === 'segment').config.conditions[0].when = {
      field: `account.${field}`,
      op: 'gte',
      value: 10,
    };
    const before = await api('POST', '/api/playbooks/validate', { definition: usesField });
    expect(before.status).toBe(422);
    expect(before.body.error.issues.map((i: Json) => i.message).join('\n')).toContain(`no field '${field}'`);

    expect((await api('POST', '/api/account-fields', { name: field, type: 'number', label: 'Seats' })).status).toBe(
      201,
    );
    const retyped = await api('POST', '/api/account-fields', { name: field, type: 'string' });
    expect(retyped.status).toBe(409);
    expect(retyped.body.error.message).toContain('already declared as number');
    expect((await api('POST', '/api/account-fields', { name: 'mrr', type: 'number' })).status).toBe(409);
    const fields = await api('GET', '/api/account-fields');
    expect(fields.body.builtIn.map((f: Json) => f.name)).toContain('renewalDate');
    expect(fields.body.custom).toContainEqual(expect.objectContaining({ name: field, type: 'number', label: 'Seats' }));

    expect((await api('POST', '/api/playbooks/validate', { definition: usesField })).status).toBe(200);
    const typed = await api('POST', '/api/accounts', {
      externalId: ext('typed'),
      name: 'Typed',
      custom: { [field]: 'ten' },
    });
    expect(typed.status).toBe(400);
    expect(typed.body.error.issues).toEqual([
      expect.objectContaining({ path: `custom.${field}`, message: expect.stringContaining('must be a number') }),
    ]);
  });

  it('manages contacts under an account, keeping one primary', async () => {
    const { body: account } = await api('POST', '/api/accounts', { externalId: ext('people'), name: 'People' });
    const at = `/api/accounts/${account.id}/contacts`;
    const ana = await api('POST', at, { name: 'Ana', email: 'ana@people.example', role: 'CEO' });
    expect(ana.status).toBe(201);
    expect(ana.body.primary).toBe(true);
    const luis = await api('POST', at, { name: 'Luis', email: 'luis@people.example', primary: true });
    expect(luis.body.primary).toBe(true);
    expect((await api('POST', at, { name: 'Dup', email: 'LUIS@people.example' })).status).toBe(409);
    expect((await api('POST', at, { name: 'No email' })).status).toBe(400);
    const refused = await api('PATCH', `${at}/${luis.body.id}`, { primary: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('make another contact primary');
    const deleted = await api('DELETE', `${at}/${luis.body.id}`);
    expect(deleted.body).toEqual({ id: luis.body.id, deleted: true, primaryContactId: ana.body.id });
    const list = await api('GET', at);
    expect(list.body.items.map((c: Json) => [c.email, c.primary])).toEqual([['ana@people.example', true]]);
    expect((await api('GET', `/api/accounts/${randomUUID()}/contacts`)).status).toBe(404);
  });

  it('documents every accounts route in the OpenAPI document, the import as text/csv', async () => {
    const { body } = await api('GET', '/api/openapi.json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/accounts',
        '/api/accounts/import',
        '/api/accounts/by-external-id/{externalId}',
        '/api/accounts/{id}',
        '/api/accounts/{id}/contacts',
        '/api/accounts/{id}/contacts/{contactId}',
        '/api/account-fields',
      ]),
    );
    expect(Object.keys(body.paths['/api/accounts/import'].post.requestBody.content)).toEqual(['text/csv']);
    expect(body.paths['/api/accounts/import'].post.responses['413']).toBeDefined();
  });
});

describe('CSV import over HTTP', () => {
  it('reports created, updated, unchanged and rejected rows, and refuses what is not a CSV file', async () => {
    const file = [
      'external_id,name,segment,mrr,renewal_date',
      `${ext('csv-1')},One,high-touch,10,2027-01-01`,
      `${ext('csv-2')},Two,gold,x,tomorrow`,
    ].join('\n');
    const first = await importCsv(file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'accounts', rows: 2, created: 1, updated: 0, unchanged: 0 });
    expect(first.body.rejected).toEqual([
      {
        row: 3,
        externalId: ext('csv-2'),
        issues: [
          { column: 'segment', message: expect.any(String) },
          { column: 'mrr', message: 'must be a number' },
          { column: 'renewal_date', message: expect.stringContaining('YYYY-MM-DD') },
        ],
      },
    ]);
    expect((await importCsv(file)).body).toMatchObject({ created: 0, unchanged: 1 });

    const unknown = await importCsv(`external_id,name,favourite_colour\n${ext('csv-3')},Three,red\n`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("unknown column 'favourite_colour'");
    expect((await api('GET', `/api/accounts/by-external-id/${ext('csv-3')}`)).status).toBe(404);

    const json = await importCsv(JSON.stringify({ rows: [] }), 'accounts', 'application/json');
    expect(json.status).toBe(415);
    expect((await importCsv(file, 'people')).status).toBe(400);
  });

  it('answers 413 for a body over 20 MB without importing any of it', async () => {
    const row = `${ext('huge')},${'x'.repeat(1000)}\n`;
    const body = `external_id,name\n${row.repeat(21_000)}`;
    const answer = await importCsv(body);
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toContain('20 MB');
    expect((await api('GET', `/api/accounts/by-external-id/${ext('huge')}`)).status).toBe(404);

    // Sent in chunks, without a length: the import stops reading once it has seen too much.
    let sent = 0;
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = sent === 0 ? `external_id,name\n${row}` : row.repeat(1000);
        sent += chunk.length;
        if (sent > 25_000_000) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const streamed = await fetch(`${inject('apiUrl')}/api/accounts/import`, {
      method: 'POST',
      headers: asAdmin({ 'content-type': 'text/csv' }),
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await api('GET', `/api/accounts/by-external-id/${ext('huge')}`)).status).toBe(404);
  });

  it('imports 10,000 accounts, then their contacts, and a second run changes nothing', async () => {
    // Without dates: with them, the date-timed seeds would enroll all 10,000 accounts (catch-up) on the stack every
    // other test shares. Importing dates, and what they enroll, is tested on its own (catch-up tests).
    const file = sampleAccountsCsv(10_000, (i) => ext(`bulk-${i}`), { dates: false });
    const t0 = performance.now();
    const first = await importCsv(file);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`[accounts] 10,000-row CSV import (${(file.length / 1e6).toFixed(1)} MB): ${seconds} s`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 10_000, created: 10_000, updated: 0, unchanged: 0, rejected: [] });

    const t1 = performance.now();
    const second = await importCsv(file);
    console.log(`[accounts] the same file again: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    expect(second.body).toMatchObject({ created: 0, updated: 0, unchanged: 10_000 });

    const contacts = [
      'account_external_id,email,name',
      ...Array.from({ length: 10_000 }, (_, i) => `${ext(`bulk-${i}`)},contact${i}@bulk.example,Contact ${i}`),
    ].join('\n');
    const t2 = performance.now();
    const people = await importCsv(contacts, 'contacts');
    console.log(`[accounts] 10,000-row contacts CSV import: ${((performance.now() - t2) / 1000).toFixed(1)} s`);
    expect(people.body).toMatchObject({ created: 10_000, rejected: [] });

    const { body: one } = await api('GET', `/api/accounts/by-external-id/${ext('bulk-9999')}`);
    expect(one).toMatchObject({
      name: 'Bulk 9999, S.A.',
      locale: 'es',
      timeZone: 'America/Mexico_City',
      renewalDate: null,
    });
    const { body: itsContacts } = await api('GET', `/api/accounts/${one.id}/contacts`);
    expect(itsContacts.items).toEqual([expect.objectContaining({ email: 'contact9999@bulk.example', primary: true })]);
  }, 180_000);

  it('imports through the CLI: `stayflow import file.csv`, saying what it sets in motion, dry run first', async () => {
    // A renewal cadence of this test's own: the account's renewal date, inside its window, would start it.
    const key = `cli-import-${tag}`;
    const name = `Renewal cadence (CLI import ${tag})`;
    const seed = JSON.parse(readFileSync('playbooks/seed/renewal-cadence.json', 'utf8')) as Record<string, unknown>;
    expect((await api('POST', '/api/playbooks', { definition: { ...seed, key, name } })).status).toBe(201);
    expect((await api('POST', `/api/playbooks/${key}/publish`)).status).toBe(201);
    const renewal = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-import-'));
    const file = path.join(dir, 'accounts.csv');
    writeFileSync(
      file,
      `externalId,name,mrr,renewalDate\n${ext('cli-1')},From the CLI,5,${renewal}\n${ext('cli-2')},Bad,-1,\n`,
    );
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const stayflow = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['scripts/stayflow.mjs', 'import', file, '--server', inject('apiUrl'), ...args],
          {
            cwd: root,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, STAYFLOW_TOKEN: TEST_ADMIN_TOKEN },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const motion = [
      `  Will start: ${name} for up to 1 account (e.g. renewalDate set to ${renewal}`,
      // One account at the default 50 a second.
      '  Handing 1 account to their playbooks takes about 1 s (50 a second)',
    ];
    try {
      const dry = await stayflow('--dry-run');
      expect(dry.status, dry.stderr).toBe(1);
      expect(dry.stdout).toContain(
        '2 accounts rows: 1 created, 0 updated, 0 unchanged, 1 rejected (dry run: nothing was written)',
      );
      for (const line of motion) expect(dry.stdout).toContain(line);
      expect(dry.stderr).toContain(`row 3 (${ext('cli-2')}): mrr: must not be negative`);
      expect((await api('GET', `/api/accounts/by-external-id/${ext('cli-1')}`)).status).toBe(404);

      const outcome = await stayflow();
      expect(outcome.status, outcome.stderr).toBe(1);
      expect(outcome.stdout).toContain('2 accounts rows: 1 created, 0 updated, 0 unchanged, 1 rejected\n');
      for (const line of motion) expect(outcome.stdout).toContain(line);
      expect(outcome.stderr).toContain(`row 3 (${ext('cli-2')}): mrr: must not be negative`);
      expect((await api('GET', `/api/accounts/by-external-id/${ext('cli-1')}`)).body.name).toBe('From the CLI');
    } finally {
      await api('POST', `/api/playbooks/${key}/archive`);
    }
  });
});

describe('enrolling a stored account', () => {
  it('enrolls by account id or external id with the stored snapshot, and answers 404 for unknown accounts', async () => {
    const key = `stored-enroll-${tag}`;
    expect(
      (await api('POST', '/api/playbooks', { definition: { ...structuredClone(miniOnboarding), key } })).status,
    ).toBe(201);
    expect((await api('POST', `/api/playbooks/${key}/publish`)).status).toBe(201);
    const { body: account } = await api('POST', '/api/accounts', {
      externalId: ext('enrolled'),
      name: 'Enrolled',
      segment: 'tech-touch',
      timeZone: 'Europe/Madrid',
    });

    const byId = await api('POST', `/api/playbooks/${key}/enrollments`, { accountId: account.id });
    expect(byId.status).toBe(201);
    expect(byId.body.workflowId).toBe(`playbook:${key}:account:${account.id}`);
    const twice = await api('POST', `/api/playbooks/${key}/enrollments`, { externalId: ext('enrolled') });
    expect(twice.status).toBe(409);
    await until('the run listed under the stored account id', async () => {
      const { body } = await api('GET', `/api/runs?playbook=${key}&account=${account.id}`);
      return body.items.length === 1 ? body.items : undefined;
    });

    const unknown = await api('POST', `/api/playbooks/${key}/enrollments`, { externalId: ext('nobody') });
    expect(unknown.status).toBe(404);
    expect((await api('POST', `/api/playbooks/${key}/enrollments`, { accountId: randomUUID() })).status).toBe(404);
    const both = await api('POST', `/api/playbooks/${key}/enrollments`, {
      accountId: account.id,
      account: { id: 'x' },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('exactly one of accountId, externalId or account');
  });
});
