import { fieldKey, reservedFieldName } from '../../engine/accounts/custom-fields.js';
import type { AccountFieldDeclaration, AccountFieldDefinition } from '../../engine/accounts/schema.js';
import type { AccountFieldType } from '../../engine/playbook/account-fields.js';
import { DomainError } from '../errors.js';
import type { Db } from '../db/database.js';
import { keysetPage } from '../db/page-cursor.js';

// The install's custom account fields. A declaration is permanent in name and type: accounts, playbooks and
// CSV files already refer to it, so a second declaration with another type is a conflict, not a change.

const toDefinition = (row: { name: string; type: string; label: string; created_at: Date }) => ({
  name: row.name,
  type: row.type as AccountFieldType,
  label: row.label,
  createdAt: row.created_at.toISOString(),
});

export async function listFieldDefinitions(db: Db): Promise<AccountFieldDefinition[]> {
  return (await db.selectFrom('account_field_definitions').selectAll().orderBy('name').execute()).map(toDefinition);
}

/** The declared fields by name a page at a time (names are unique). */
export async function pageFieldDefinitions(db: Db, page: { limit: number; cursor?: string }) {
  return keysetPage(db.selectFrom('account_field_definitions').selectAll(), page, {
    order: 'asc',
    keys: [['name', 'text']],
    item: toDefinition,
  });
}

/** Name → type of every custom field: the compiler's `accountFields` and the import's column types. */
export async function compileAccountFields(db: Db): Promise<Record<string, AccountFieldType>> {
  return Object.fromEntries((await listFieldDefinitions(db)).map((field) => [field.name, field.type]));
}

/** Declares a custom field, or relabels it when it exists with the same type. */
export async function declareField(db: Db, declaration: AccountFieldDeclaration): Promise<AccountFieldDefinition> {
  const { name, type } = declaration;
  const builtIn = reservedFieldName(name);
  if (builtIn !== undefined) {
    throw new DomainError(
      'conflict',
      'conflict',
      `'${name}' cannot be a custom field: accounts already have '${builtIn}' built in`,
    );
  }
  const conflict = (declared: string) =>
    new DomainError(
      'conflict',
      'conflict',
      `Custom field '${name}' is already declared as ${declared}; a field's type cannot change (declare a new field instead)`,
    );
  return db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('account_field_definitions').selectAll().execute();
    const same = existing.find((field) => field.name === name);
    if (same && same.type !== type) throw conflict(same.type);
    const lookalike = existing.find((field) => field.name !== name && fieldKey(field.name) === fieldKey(name));
    if (lookalike) {
      throw new DomainError(
        'conflict',
        'conflict',
        `'${name}' is too close to the custom field '${lookalike.name}': CSV columns would not tell them apart`,
      );
    }
    const label = declaration.label ?? same?.label ?? name;
    const row = await tx
      .insertInto('account_field_definitions')
      .values({ name, type, label })
      .onConflict((oc) => oc.column('name').doUpdateSet({ label }))
      .returningAll()
      .executeTakeFirstOrThrow();
    // A concurrent declaration of the same name may have won the insert.
    if (row.type !== type) throw conflict(row.type);
    return toDefinition(row);
  });
}
