import { describe, expect, inject, it } from 'vitest';
import '../support/provided.js';
import { asAdmin } from '../support/api.js';
import { until } from '../support/until.js';

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${inject('apiUrl')}${path}`, { ...init, headers: asAdmin(init.headers as Record<string, string>) });
const postJson = (path: string, body: string) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the local stack', () => {
  it('reports every component up at /api/health', async () => {
    const res = await api('/api/health');
    expect(res.status).toBe(200);
    const health = (await res.json()) as {
      status: string;
      components: Record<string, { state: string; detail: string }>;
    };
    expect(health.status).toBe('ok');
    expect(Object.keys(health.components).sort()).toEqual(['database', 'smtp', 'temporal', 'worker']);
    for (const component of Object.values(health.components)) expect(component.state).toBe('up');
    expect(health.components.worker!.detail).toContain(inject('taskQueue'));
  });

  it('runs a workflow on the Temporal dev server whose email reaches the SMTP server', async () => {
    const res = await postJson('/api/system/stack-check', JSON.stringify({ to: 'ops@acme.example' }));
    expect(res.status).toBe(202);
    const { workflowId } = (await res.json()) as { workflowId: string };
    const items = await until('the stack-check email in the outbox', async () => {
      const list = (await (await api('/api/outbox?to=ops@acme.example')).json()) as {
        items: { id: string; subject: string }[];
      };
      return list.items.length > 0 ? list.items : undefined;
    });
    expect(items[0]!.subject).toBe(`Stayflow stack check ${workflowId}`);
    const message = (await (await api(`/api/outbox/${items[0]!.id}`)).json()) as {
      to: string[];
      text: string;
      headers: Record<string, string>;
    };
    expect(message.to).toEqual(['ops@acme.example']);
    expect(message.text).toContain('durable timer');
    expect(message.headers['message-id']).toBeDefined();
  });
});

describe('bad requests get a clear 4xx and the one error shape', () => {
  it.each([
    ['unknown route', () => api('/api/no-such-thing'), 404, 'not_found'],
    ['malformed JSON', () => postJson('/api/system/stack-check', '{"to": '), 400, 'invalid_json'],
    [
      'a body that fails its schema',
      () => postJson('/api/system/stack-check', '{"to": "not-an-email"}'),
      400,
      'invalid_request',
    ],
    ['a bad path parameter', () => api('/api/outbox/not-a-uuid'), 400, 'invalid_request'],
    ['a message that does not exist', () => api('/api/outbox/00000000-0000-4000-8000-000000000000'), 404, 'not_found'],
    ['a query parameter out of range', () => api('/api/outbox?limit=100000'), 400, 'invalid_request'],
    [
      'a body over the size limit',
      () => postJson('/api/system/stack-check', JSON.stringify({ to: 'x'.repeat(2_000_000) })),
      413,
      'body_too_large',
    ],
  ])('%s', async (_name, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(5);
  });

  it('names the field at fault', async () => {
    const res = await postJson('/api/system/stack-check', '{"to": "nope"}');
    const body = (await res.json()) as { error: { message: string; issues: { path: string }[] } };
    expect(body.error.message).toContain('to: must be an email address');
    expect(body.error.issues[0]!.path).toBe('to');
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await (await api('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/outbox', '/api/outbox/{id}', '/api/system/stack-check']),
    );
    expect(Object.keys(doc.paths['/api/outbox/{id}']!.get!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Problem', 'HealthReport', 'CaughtMail']),
    );
  });

  it('serves a readable docs page with its assets from this server', async () => {
    const page = await api('/api/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect((await api('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});
