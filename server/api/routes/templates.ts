import { z } from 'zod';
import { renderEmail } from '../../email/templates/render-pool.js';
import { TemplateError } from '../../email/templates/liquid.js';
import { TemplateKey } from '../../../engine/playbook/nodes.js';
import { RenderedEmail } from '../../../engine/templates/rendered.js';
import { EmailLocale, EmailTemplateContent, LocalizedEmail } from '../../../engine/templates/schema.js';
import type { AppContext } from '../../context.js';
import { previewData } from '../../templates/preview.js';
import {
  checkTemplateForInstall,
  findTemplate,
  InvalidTemplateError,
  pageTemplates,
  saveTemplate,
} from '../../templates/store.js';
import { recordAudit } from '../../audit/log.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { accountOwners } from '../../auth/ownership.js';
import { DESIGNERS, EVERYONE } from '../roles.js';

const TemplateRef = z.object({ key: TemplateKey });

const TemplateRecord = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string().optional(),
    locales: z.object({ es: LocalizedEmail.optional(), en: LocalizedEmail.optional() }),
    defaultLocale: EmailLocale,
    variables: z.array(z.string()).meta({ description: 'Every variable the template reads, in any language.' }),
    origin: z.enum(['shipped', 'custom']).meta({
      description: 'shipped: installed from playbooks/templates/ at start; custom: made in this install.',
    }),
    edited: z.boolean().meta({ description: 'A shipped template changed here; new releases leave it as it is.' }),
    updatedAt: z.string(),
  })
  .meta({ id: 'EmailTemplateRecord' });

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const SampleValues = z
  .strictObject({
    account: z.record(z.string(), Scalar).optional().meta({ description: 'e.g. { "name": "Acme", "plan": "Pro" }' }),
    contact: z
      .strictObject({ first_name: z.string(), name: z.string(), email: z.string(), locale: z.string() })
      .partial()
      .optional(),
    csm: z
      .strictObject({
        first_name: z.string(),
        name: z.string(),
        email: z.string(),
        booking_link: z.string(),
        signature: z.string(),
      })
      .partial()
      .optional(),
    run: z
      .strictObject({ playbook: z.string(), day: z.number().int().min(0) })
      .partial()
      .optional(),
    approval: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .meta({ description: 'Values an approval before the email decided, e.g. { "discount": 15 }.' }),
  })
  .meta({ description: 'Values laid over the account’s (or, without an account, over a sample customer’s).' });

const RenderRequest = z
  .strictObject({
    key: TemplateKey.optional().meta({ description: 'A saved template…' }),
    template: EmailTemplateContent.optional().meta({ description: '…or one being edited, not saved yet.' }),
    accountId: z.uuid().optional().meta({ description: 'Render for this account, its primary contact and its CSM.' }),
    variables: SampleValues.optional(),
    locale: EmailLocale.optional().meta({
      description: 'Render this language; without it the contact’s, then the account’s locale decides.',
    }),
  })
  .refine((body) => (body.key === undefined) !== (body.template === undefined), {
    error: 'give either key (a saved template) or template (one being edited), not both',
    path: ['key'],
  });

function templateProblem(error: TemplateError): InvalidTemplateError {
  const path = error.place ? `locales.${error.place.locale}.${error.place.field}` : '(root)';
  return new InvalidTemplateError([{ path, code: error.code, message: error.message }]);
}

export const templateRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/templates',
      tag: 'email',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'Every email template, with the variables it reads, by key.',
      query: WholeListPage,
      response: z.object({ items: z.array(TemplateRecord), nextCursor: NextCursor }),
      errors: [400],
      async handler({ query }) {
        return pageTemplates(db, query);
      },
    }),
    route({
      method: 'get',
      path: '/api/templates/:key',
      tag: 'email',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'One email template.',
      params: TemplateRef,
      response: TemplateRecord,
      errors: [404],
      async handler({ params }) {
        return findTemplate(db, params.key);
      },
    }),
    route({
      method: 'put',
      path: '/api/templates/:key',
      tag: 'email',
      access: { roles: DESIGNERS, scope: 'templates:write' },
      summary:
        'Creates or replaces a template. 422 when a subject or body does not parse or uses a variable that does not exist, each problem naming the language and part (locales.es.body).',
      params: TemplateRef,
      body: EmailTemplateContent,
      response: TemplateRecord,
      errors: [422],
      async handler({ params, body, principal }) {
        const { template } = await saveTemplate(db, params.key, body);
        await recordAudit(db, {
          actor: principal!,
          action: 'template.saved',
          target: { kind: 'template', id: params.key },
          detail: { template: body },
        });
        return template;
      },
    }),
    route({
      method: 'post',
      path: '/api/templates/render',
      tag: 'email',
      access: {
        roles: EVERYONE,
        scope: 'read',
        // Rendering for an account shows its data: that account must be the caller's.
        owner: {
          what: 'the account (accountId)',
          of: async ({ body }) => (body.accountId ? [await accountOwners(db, body.accountId)] : []),
        },
      },
      summary:
        'Renders a saved or unsaved template for an account or sample values: the subject, HTML and plain text as sent, and why that language.',
      body: RenderRequest,
      response: RenderedEmail,
      errors: [404, 422],
      async handler({ body }) {
        const template = body.template ?? (await findTemplate(db, body.key!));
        if (body.template) await checkTemplateForInstall(db, body.template);
        const data = await previewData(db, { accountId: body.accountId, sample: body.variables });
        try {
          return await renderEmail(template, {
            variables: data.variables,
            locale: { requested: body.locale, contact: data.contactLocale },
          });
        } catch (error) {
          if (error instanceof TemplateError) throw templateProblem(error);
          throw error;
        }
      },
    }),
  ];
};
