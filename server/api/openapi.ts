import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ApiError } from '../../engine/errors.js';
import { PlaybookDefinition } from '../../engine/playbook/schema.js';
import type { Route } from './route.js';

const statusText: Record<number, string> = {
  400: 'The request is malformed; `issues` says where.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body is larger than the operation accepts.',
  415: 'The body is not in a format the operation accepts.',
  422: 'Understood but invalid; `issues` lists every problem.',
  503: 'A component Stayflow depends on is unavailable.',
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate each route. */
export function openApiDocument(routes: Route<never, never, never>[], version: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes as unknown as Route[]) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const operation: ZodOpenApiOperationObject = {
      summary: r.summary,
      tags: [r.tag],
      requestParams: { ...(r.params && { path: r.params as never }), ...(r.query && { query: r.query as never }) },
      responses: {},
    };
    const responses = operation.responses as Record<string, unknown>;
    responses[String(r.status ?? 200)] = { description: 'OK', content: { 'application/json': { schema: r.response } } };
    if (r.body) operation.requestBody = { content: { 'application/json': { schema: r.body } } };
    if (r.rawBody) {
      operation.requestBody = {
        description: r.rawBody.description,
        content: { [r.rawBody.contentType]: { schema: { type: 'string' } } },
      };
    }
    for (const status of [...(r.body || r.params || r.query ? [400] : []), ...(r.errors ?? [])]) {
      responses[String(status)] = {
        description: statusText[status] ?? 'Error',
        content: { 'application/json': { schema: ApiError } },
      };
    }
    paths[path] = { ...paths[path], [r.method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Stayflow API',
      version,
      description: 'Customer-success playbooks, run durably on Temporal. Errors share one shape: `ApiError`.',
    },
    paths,
    // Listed here because request bodies refer to it by name: a definition is accepted as any JSON (a draft may be
    // unfinished) and checked by the compiler, so the route's own schema cannot carry it.
    components: { schemas: { PlaybookDefinition } },
  });
}
