import { AccountFieldDeclaration, AccountFieldDefinition } from '../../../engine/accounts/schema.js';
import { AccountFieldList } from '../../../engine/accounts/field-list.js';
import { BUILT_IN_ACCOUNT_FIELDS } from '../../../engine/playbook/account-fields.js';
import { declareField, pageFieldDefinitions } from '../../accounts/field-definitions.js';
import type { AppContext } from '../../context.js';
import { recordAudit } from '../../audit/log.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { DESIGNERS, EVERYONE } from '../roles.js';

export const accountFieldRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/account-fields',
      tag: 'accounts',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'The account fields playbooks, templates and CSV files can use: the built-in ones and the declared custom ones.',
      query: WholeListPage,
      response: AccountFieldList.extend({
        nextCursor: NextCursor.meta({
          description:
            'Pass as `cursor` for the next page of `custom` fields (by name); null on the last. The built-in fields come on the first page only.',
        }),
      }),
      errors: [400],
      async handler({ query }) {
        const custom = await pageFieldDefinitions(db, query);
        return {
          builtIn: query.cursor
            ? []
            : Object.entries(BUILT_IN_ACCOUNT_FIELDS).map(([name, spec]) => ({
                name,
                type: spec.type,
                ...(spec.values && { values: [...spec.values] }),
                ...(spec.computed && { computed: true }),
              })),
          custom: custom.items,
          nextCursor: custom.nextCursor,
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/account-fields',
      tag: 'accounts',
      access: { roles: DESIGNERS, scope: 'accounts:write' },
      summary:
        'Declares a custom account field (or relabels one). Its name and type are permanent: another type for a declared name, or a built-in name, is a 409.',
      body: AccountFieldDeclaration,
      status: 201,
      response: AccountFieldDefinition,
      errors: [409],
      async handler({ body, principal }) {
        const field = await declareField(db, body);
        await recordAudit(db, {
          actor: principal!,
          action: 'account_field.declared',
          target: { kind: 'account_field', id: body.name },
          detail: { ...body },
        });
        return field;
      },
    }),
  ];
};
