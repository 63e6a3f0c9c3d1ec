import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { apiRoutes } from '../../server/api/app.js';
import { openApiDocument } from '../../server/api/openapi.js';
import { requestExamples } from '../../server/api/openapi-examples.js';
import type { Route } from '../../server/api/route.js';
import { loadConfig } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';

// The OpenAPI document is what generated clients and the fuzz lane read: every operation named once, every schema
// named, bodies required, examples that the API accepts, errors as problems, and the email link pages as they answer.

// The route table only builds closures over the context; nothing here is called.
const ctx = {
  config: loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: 'memory://' }),
  database: { db: {} },
} as unknown as AppContext;
const routes = apiRoutes(ctx) as unknown as Route[];
const doc = openApiDocument(routes as never, 'test') as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
interface Operation {
  operationId?: string;
  requestBody?: { required?: boolean; content: Record<string, { schema?: unknown; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }>; headers?: object }>;
}
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
);

describe('the OpenAPI document', () => {
  it('names every operation once, in camelCase', () => {
    expect(operations.length).toBe(routes.length);
    const ids = operations.map(({ where, op }) => {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]*$/);
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/runs/{id}']!.get!.operationId).toBe('getRunsById');
  });

  it('names every schema (none numbered __schemaN)', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names.filter((name) => /^__schema/.test(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Problem', 'JsonValue', 'Condition', 'AccountInput']));
    // Every reference resolves to a listed schema.
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((ref) => !names.includes(ref))).toEqual([]);
  });

  it('marks a request body required exactly when the operation cannot do without it', () => {
    const bodies = routes.filter((r) => r.body);
    expect(bodies.length).toBeGreaterThan(20);
    let required = 0;
    for (const r of bodies) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]![r.method]!;
      // The API reads an absent body as {} (route.ts): optional only where {} is accepted.
      const optional = (r.body as z.ZodType).safeParse({}).success;
      expect(op.requestBody!.required, `${r.method} ${r.path}`).toBe(!optional);
      if (!optional) required++;
    }
    expect(required).toBeGreaterThan(bodies.length / 2);
    expect(doc.paths['/api/accounts']!.post!.requestBody!.required).toBe(true);
    for (const { where, op } of operations) {
      if (op.requestBody && !op.requestBody.content['application/json']) {
        expect(op.requestBody.required, where).toBe(true); // raw bodies (a CSV file)
      }
    }
  });

  it('shows examples of the main bodies, each one the operation accepts', () => {
    expect(Object.keys(requestExamples).length).toBeGreaterThanOrEqual(8);
    for (const [key, example] of Object.entries(requestExamples)) {
      const route = routes.find((r) => `${r.method.toUpperCase()} ${r.path}` === key);
      expect(route, key).toBeDefined();
      const parsed = (route!.body as z.ZodType).safeParse(example);
      expect(parsed.success, `${key}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      const path = route!.path.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]![route!.method]!.requestBody!.content['application/json']!.example).toEqual(example);
    }
  });

  it('documents every error as an application/problem+json Problem, with Retry-After on 429 and 503', () => {
    for (const { where, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        expect(response.content?.['application/problem+json']?.schema?.$ref, `${where} ${status}`).toBe(
          '#/components/schemas/Problem',
        );
        if (status === '429' || status === '503')
          expect(response.headers, `${where} ${status}`).toHaveProperty('retry-after');
      }
    }
  });

  it('documents the email link pages as the pages, redirect and image they answer', () => {
    const page = doc.paths['/u/{token}']!;
    expect(Object.keys(page.get!.responses['200']!.content!)).toEqual(['text/html']);
    expect(page.get!.responses['400']!.content).toHaveProperty('text/html');
    expect(page.post!.operationId).toBe('unsubscribe');
    const redirect = doc.paths['/r/{token}']!.get!.responses['302']!;
    expect(redirect.headers).toHaveProperty('location');
    expect(redirect.content).toBeUndefined();
    expect(Object.keys(doc.paths['/o/{token}']!.get!.responses['200']!.content!)).toEqual(['image/gif']);
  });
});
