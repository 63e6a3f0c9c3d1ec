import { z } from 'zod';
import { AccountFieldType } from '../playbook/account-fields.js';
import { AccountFieldDefinition } from './schema.js';

// The account fields an install offers, as `GET /api/account-fields` answers: the built-in ones every install has
// and the custom ones declared (engine/accounts/schema.ts AccountFieldDeclaration declares one).

export const BuiltInAccountField = z
  .object({
    name: z.string(),
    type: AccountFieldType,
    values: z.array(z.string()).optional(),
    computed: z.boolean().optional(),
  })
  .meta({ id: 'BuiltInAccountField' });
export type BuiltInAccountField = z.infer<typeof BuiltInAccountField>;

export const AccountFieldList = z.object({
  builtIn: z.array(BuiltInAccountField),
  custom: z.array(AccountFieldDefinition),
});
export type AccountFieldList = z.infer<typeof AccountFieldList>;
