import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ApiError } from '../../engine/errors.js';
import { PlaybookDefinition } from '../../engine/playbook/schema.js';
import type { Access, Route } from './route.js';

/** The operation's rule in words, for readers of the docs. */
function describeAccess(access: Access): string {
  if ('public' in access) return `Public: ${access.public}.`;
  const token = access.scope ? `; API tokens with the \`${access.scope}\` scope` : '; not API tokens';
  const owner = access.owner
    ? `. A CSM only for their own accounts, a manager for their team's (${access.owner.what})`
    : '';
  return `Who: ${access.roles.join(', ')}${token}${owner}.`;
}

const statusText: Record<number, string> = {
  400: 'The request is malformed; `issues` says where.',
  401: 'Not signed in, or the API token is missing, unknown, expired or revoked.',
  403: 'Signed in, but the role or token scope is not admitted, the account is not the caller’s, or a CSRF check failed.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body is larger than the operation accepts.',
  415: 'The body is not in a format the operation accepts.',
  422: 'Understood but invalid; `issues` lists every problem.',
  429: 'Too many attempts; try again later.',
  503: 'A component Stayflow depends on is unavailable.',
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate each route. */
export function openApiDocument(routes: Route<never, never, never>[], version: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes as unknown as Route[]) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const access: Access = (r.access as Access | undefined) ?? { roles: [] };
    const operation: ZodOpenApiOperationObject = {
      summary: r.summary,
      description: describeAccess(access),
      // Public: no credentials. Otherwise a session cookie, or a bearer token with the route's scope.
      security: 'public' in access ? [] : [{ session: [] }, ...(access.scope ? [{ bearer: [access.scope] }] : [])],
      'x-stayflow-access':
        'public' in access
          ? { public: true }
          : { roles: access.roles, scope: access.scope ?? null, owner: access.owner?.what ?? null },
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
    const denials = 'public' in access ? [] : [401, 403];
    for (const status of [...(r.body || r.params || r.query ? [400] : []), ...denials, ...(r.errors ?? [])]) {
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
    components: {
      schemas: { PlaybookDefinition },
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'stayflow_session',
          description:
            'The session cookie POST /api/session sets (named __Host-stayflow_session under https). Unsafe methods also need the X-CSRF-Token header (GET /api/session).',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (POST /api/tokens); the scope each operation needs is listed with it.',
        },
      },
    },
  });
}
