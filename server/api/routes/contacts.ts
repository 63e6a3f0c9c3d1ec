import { z } from 'zod';
import { Contact, ContactInput, ContactPatch } from '../../../engine/accounts/schema.js';
import { createContact, deleteContact, pageContacts, patchContact } from '../../accounts/contacts.js';
import type { AppContext } from '../../context.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { ownAccount } from '../../auth/ownership.js';
import { ACCOUNT_TEAM, EVERYONE } from '../roles.js';
import { AccountRef } from './accounts.js';

const ContactRef = AccountRef.extend({ contactId: z.uuid({ error: 'must be a contact id (a UUID)' }) });

export const contactRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/accounts/:id/contacts',
      tag: 'accounts',
      access: { roles: EVERYONE, scope: 'read', owner: ownAccount(db) },
      summary: 'The account’s contacts, oldest first; exactly one is primary while there are any.',
      params: AccountRef,
      query: WholeListPage,
      response: z.object({ items: z.array(Contact), nextCursor: NextCursor }),
      errors: [404],
      async handler({ params, query }) {
        return pageContacts(db, params.id, query);
      },
    }),
    route({
      method: 'post',
      path: '/api/accounts/:id/contacts',
      tag: 'accounts',
      access: { roles: ACCOUNT_TEAM, scope: 'accounts:write', owner: ownAccount(db) },
      summary:
        'Adds a contact. The first contact is primary; `primary: true` moves the flag to this one. An email may appear once per account (any case).',
      params: AccountRef,
      body: ContactInput,
      status: 201,
      response: Contact,
      errors: [404, 409],
      async handler({ params, body }) {
        return createContact(db, params.id, body);
      },
    }),
    route({
      method: 'patch',
      path: '/api/accounts/:id/contacts/:contactId',
      tag: 'accounts',
      access: { roles: ACCOUNT_TEAM, scope: 'accounts:write', owner: ownAccount(db) },
      summary:
        'Changes a contact. `primary: true` moves the flag here; the primary contact cannot give it up (409) — make another one primary.',
      params: ContactRef,
      body: ContactPatch,
      response: Contact,
      errors: [404, 409],
      async handler({ params, body }) {
        return patchContact(db, params.id, params.contactId, body);
      },
    }),
    route({
      method: 'delete',
      path: '/api/accounts/:id/contacts/:contactId',
      tag: 'accounts',
      access: { roles: ACCOUNT_TEAM, scope: 'accounts:write', owner: ownAccount(db) },
      summary: 'Deletes a contact; when it was primary, the oldest remaining contact becomes primary.',
      params: ContactRef,
      response: z.object({ id: z.string(), deleted: z.literal(true), primaryContactId: z.string().nullable() }),
      errors: [404],
      async handler({ params }) {
        const { primaryContactId } = await deleteContact(db, params.id, params.contactId);
        return { id: params.contactId, deleted: true as const, primaryContactId };
      },
    }),
  ];
};
