import { BUILT_IN_ACCOUNT_FIELDS, type AccountFieldType } from '../playbook/account-fields.js';
import { ACCOUNT_PROPERTIES, IsoDate, type CustomFields } from './schema.js';

/**
 * The form of a name that CSV headers are matched on: `external_id`, `externalId` and `External ID` are one
 * column. Field names that agree in this form would make a header ambiguous, so no two fields may.
 */
export const fieldKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

// Custom fields sit beside these in a run's `account.*` (the snapshot is flat), so none may take their names.
const RESERVED = new Map(
  [...Object.keys(BUILT_IN_ACCOUNT_FIELDS), ...ACCOUNT_PROPERTIES, 'id', 'createdAt', 'updatedAt']
    .filter((name) => name !== 'custom')
    .map((name) => [fieldKey(name), name]),
);

/** The built-in field or account property a custom field name would collide with, if any. */
export const reservedFieldName = (name: string): string | undefined => RESERVED.get(fieldKey(name));

const TYPE_CHECKS: Record<AccountFieldType, { test: (value: unknown) => boolean; expected: string }> = {
  string: { test: (value) => typeof value === 'string', expected: 'text' },
  number: { test: (value) => typeof value === 'number' && Number.isFinite(value), expected: 'a number' },
  boolean: { test: (value) => typeof value === 'boolean', expected: 'true or false' },
  date: {
    test: (value) => typeof value === 'string' && IsoDate.safeParse(value).success,
    expected: 'a date written YYYY-MM-DD',
  },
};

export interface CustomFieldIssue {
  field: string;
  message: string;
}

/** Every custom value checked against the declared fields: an undeclared name or a value of the wrong type. */
export function checkCustomFields(
  custom: CustomFields,
  declared: Readonly<Record<string, AccountFieldType>>,
): CustomFieldIssue[] {
  const issues: CustomFieldIssue[] = [];
  for (const [field, value] of Object.entries(custom)) {
    const type = Object.prototype.hasOwnProperty.call(declared, field) ? declared[field] : undefined;
    if (type === undefined) {
      issues.push({ field, message: `is not a declared custom field (declare it first: POST /api/account-fields)` });
    } else if (value !== null && !TYPE_CHECKS[type].test(value)) {
      issues.push({ field, message: `must be ${TYPE_CHECKS[type].expected} (the field is declared as ${type})` });
    }
  }
  return issues;
}
