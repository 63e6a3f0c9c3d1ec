import type { Client } from '@temporalio/client';
import { AccountPatch } from '../../engine/accounts/schema.js';
import type { Effect, EffectOutcome } from '../../engine/interpreter/types.js';
import { accountField, BUILT_IN_ACCOUNT_FIELDS } from '../../engine/playbook/account-fields.js';
import { isDomainError } from '../errors.js';
import { notifyFieldsChanged } from '../accounts/entity-signals.js';
import { accountSnapshot, patchAccount, storedAccount } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import type { Deliverer } from './perform.js';
import { deliveryLog } from './deliveries.js';

type UpdateFieldEffect = Extract<Effect, { kind: 'updateField' }>;

/** The account change a step asks for: a built-in property by its own name, anything else a custom field. */
export function patchFor(field: string, value: UpdateFieldEffect['value']): unknown {
  return accountField(BUILT_IN_ACCOUNT_FIELDS, field) ? { [field]: value } : { custom: { [field]: value } };
}

/**
 * updateField steps: write the field through the account store (the same checks as PATCH /api/accounts/:id) and
 * tell the account's workflow, so "field changed" triggers and this account's other runs see it, as they would see
 * an operator's edit. A value the account cannot hold is `failed` with the reason, not retried.
 */
export function updateFieldDeliverer(deps: {
  db: Db;
  temporal: Client;
  taskQueue: string;
}): Deliverer<UpdateFieldEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect } = step;
    const accountId = step.run?.accountId;
    const account = await storedAccount(deps.db, accountId);
    if (!accountId || !account) {
      return {
        status: 'skipped',
        detail: `account ${accountId ?? '(unknown)'} is not stored: '${effect.field}' changes only within this run`,
      };
    }
    const log = deliveryLog(deps.db, step, 'updateField', `${account.name}.${effect.field}`);
    const earlier = await log.earlier();
    if (earlier.some((attempt) => attempt.status === 'done'))
      return { status: 'done', detail: 'set by an earlier attempt' };
    await log.start();
    const parsed = AccountPatch.safeParse(patchFor(effect.field, effect.value));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const detail = `'${effect.field}' cannot be set to ${JSON.stringify(effect.value)}: ${issue.message}`;
      await log.finish('failed', detail);
      return { status: 'failed', detail };
    }
    const before = await accountSnapshot(deps.db, accountId);
    let changed: string[];
    try {
      ({ changed } = await patchAccount(deps.db, accountId, parsed.data));
    } catch (error) {
      if (!isDomainError(error) || error.kind === 'unavailable') throw error;
      await log.finish('failed', error.message);
      return { status: 'failed', detail: error.message };
    }
    // A retry after the write but before the account's workflow heard of it finds nothing changed: tell it anyway.
    const owed = changed.length > 0 ? changed : earlier.length > 0 ? [effect.field] : [];
    if (owed.length > 0) {
      const after = await accountSnapshot(deps.db, accountId);
      const fields = Object.fromEntries(
        owed.map((field) => [field, { from: before.fields[field] ?? null, to: after.fields[field] ?? null }]),
      );
      try {
        await notifyFieldsChanged({ temporal: deps.temporal, taskQueue: deps.taskQueue }, accountId, fields);
      } catch (error) {
        await log.finish('retrying', `written; telling the account's workflow failed: ${(error as Error).message}`);
        throw error;
      }
    }
    const detail =
      changed.length > 0
        ? `set ${effect.field} to ${JSON.stringify(effect.value)} on ${account.name}`
        : `${effect.field} already was ${JSON.stringify(effect.value)}`;
    await log.finish('done', detail);
    return { status: 'done', detail };
  };
}
