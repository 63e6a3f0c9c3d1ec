import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { Problem } from './http-error.js';
import { requestExamples } from './openapi-examples.js';
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
  400: 'The request is malformed (`issues` says where), or its cursor is not one this API gave out.',
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

const VERB = { get: 'get', post: 'post', put: 'put', patch: 'update', delete: 'delete' } as const;
const pascal = (word: string) =>
  word
    .split(/[-_.]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * A stable camelCase operationId from the method and path: the HTTP verb (patch: update), the path's fixed words, and
 * `By<Param>` where a parameter stands — GET /api/runs/:id → getRunsById, POST /api/runs/:id/cancel →
 * postRunsByIdCancel (after a `by-…` word the parameter adds nothing: getAccountsByExternalId). A route may name its
 * own (`operationId`).
 */
export function operationIdOf(r: Pick<Route, 'method' | 'path' | 'operationId'>): string {
  if (r.operationId) return r.operationId;
  const parts = r.path.split('/').filter((part) => part && part !== 'api');
  const words = parts.map((part, i) => {
    if (!part.startsWith(':')) return pascal(part);
    return parts[i - 1]?.startsWith('by-') ? '' : `By${pascal(part.slice(1))}`;
  });
  return `${VERB[r.method]}${words.join('')}`;
}

const problemContent = { 'application/problem+json': { schema: Problem } };

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate each route. */
export function openApiDocument(routes: Route<never, never, never>[], version: string) {
  const paths: ZodOpenApiPathsObject = {};
  const operationIds = new Set<string>();
  for (const r of routes as unknown as Route[]) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const access: Access = (r.access as Access | undefined) ?? { roles: [] };
    const operationId = operationIdOf(r);
    if (operationIds.has(operationId)) throw new Error(`Two API operations are named ${operationId}`);
    operationIds.add(operationId);
    const operation: ZodOpenApiOperationObject = {
      operationId,
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
    const status = String(r.status ?? 200);
    if (r.produces?.redirect) {
      responses[status] = {
        description: 'Redirect',
        headers: { location: { description: 'Where the link leads.', schema: { type: 'string' } } },
      };
    } else if (r.produces?.contentType) {
      responses[status] = {
        description: 'OK',
        content: { [r.produces.contentType]: { schema: { type: 'string', format: 'binary' } } },
      };
    } else {
      responses[status] = { description: 'OK', content: { 'application/json': { schema: r.response } } };
    }
    const example = requestExamples[`${r.method.toUpperCase()} ${r.path}`];
    // An absent body is read as {} (route.ts): a body is required exactly when its schema refuses {}. (All-optional
    // bodies — a publish note, a task's outcome note — may be left out, and clients do.)
    if (r.body) {
      operation.requestBody = {
        required: !r.body.safeParse({}).success,
        content: { 'application/json': { schema: r.body, ...(example !== undefined && { example }) } },
      };
    }
    if (r.rawBody) {
      operation.requestBody = {
        required: true,
        description: r.rawBody.description,
        content: { [r.rawBody.contentType]: { schema: { type: 'string' } } },
      };
    }
    const denials = 'public' in access ? [] : [401, 403];
    const html = new Set(r.produces?.htmlErrors ?? []);
    for (const code of [...(r.body || r.params || r.query ? [400] : []), ...denials, ...(r.errors ?? []), 500]) {
      responses[String(code)] = {
        description: code === 500 ? 'Stayflow failed; the server log has the details.' : (statusText[code] ?? 'Error'),
        content: html.has(code) ? { ...problemContent, 'text/html': { schema: { type: 'string' } } } : problemContent,
        ...((code === 429 || code === 503) && {
          headers: {
            'retry-after': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
          },
        }),
      };
    }
    paths[path] = { ...paths[path], [r.method]: operation };
  }
  return nameSchemas(
    createDocument({
      openapi: '3.1.0',
      info: {
        title: 'Stayflow API',
        version,
        description:
          'Customer-success playbooks, run durably on Temporal. Errors are RFC 9457 problems (`application/problem+json`, schema `Problem`). Lists page with `cursor` and `limit` and answer `nextCursor` (null on the last page).',
      },
      paths,
      // Listed here because request bodies refer to it by name: a definition is accepted as any JSON (a draft may be
      // unfinished) and checked by the compiler, so the route's own schema cannot carry it.
      components: {
        // In its input form (`unusedIO` in its meta): as drawn, defaults not filled in, as requests send it and as a
        // version's definition is answered.
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
    }),
  );
}

type Document = ReturnType<typeof createDocument>;
const REF = '#/components/schemas/';
const JSON_VALUE_TYPES = ['array', 'boolean', 'null', 'number', 'object', 'string'];

/**
 * Names the components zod-openapi could only number (`__schema0…`): a recursive schema without an id of its own —
 * `z.json()` (any JSON value; each use is a copy) and the lazy wrapper of a named recursive schema (`Condition`).
 * The JSON values become one `JsonValue`; a wrapper that only points at a named schema is replaced by it. Anything
 * else keeps its number, and tests/unit/openapi-document.test.ts names the schema that needs `.meta({ id })`.
 */
function nameSchemas(document: Document): Document {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
  const renames = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    if (!name.startsWith('__schema')) continue;
    const keys = Object.keys(schema);
    if (keys.length === 1 && typeof schema.$ref === 'string') {
      renames.set(name, schema.$ref.slice(REF.length));
      continue;
    }
    const types = Array.isArray(schema.anyOf)
      ? (schema.anyOf as { type?: string }[]).map((branch) => branch.type).sort()
      : [];
    const selfRefs = JSON.stringify(schema).split(`"${REF}${name}"`).length - 1;
    if (JSON.stringify(types) === JSON.stringify(JSON_VALUE_TYPES) && selfRefs === 2) renames.set(name, 'JsonValue');
  }
  if (renames.size === 0) return document;
  // An alias may point at another alias: follow to the end.
  const target = (name: string): string => {
    const next = renames.get(name);
    return next && next !== name && renames.has(next) && next !== 'JsonValue' ? target(next) : (next ?? name);
  };
  const text = JSON.stringify(document).replace(/"#\/components\/schemas\/(__schema\d+)"/g, (ref, name: string) =>
    renames.has(name) ? `"${REF}${target(name)}"` : ref,
  );
  const renamed = JSON.parse(text) as Document;
  const out = renamed.components!.schemas as Record<string, unknown>;
  for (const [name, to] of renames) {
    if (to === 'JsonValue' && !out.JsonValue) out.JsonValue = out[name];
    delete out[name];
  }
  return renamed;
}
