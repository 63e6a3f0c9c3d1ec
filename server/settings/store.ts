import type { z } from 'zod';
import type { AuditActor } from '../audit/log.js';
import { recordAudit } from '../audit/log.js';
import type { Db } from '../db/database.js';

// The install's settings, one JSON document per section. Reads answer the section's default when nothing was saved
// (or a saved document no longer fits its schema), so an install that never opened the page runs as shipped.

export type SettingsSection = 'calendars' | 'governance' | 'slack';

export async function readSection<T>(db: Db, section: SettingsSection, schema: z.ZodType<T>, fallback: T) {
  const row = await db
    .selectFrom('install_settings')
    .select(['value', 'updated_at', 'updated_by'])
    .where('section', '=', section)
    .executeTakeFirst();
  const parsed = row ? schema.safeParse(row.value) : undefined;
  return parsed?.success
    ? { value: parsed.data, updatedAt: row!.updated_at.toISOString(), updatedBy: row!.updated_by }
    : { value: fallback, updatedAt: null, updatedBy: null };
}

/** Saves a section (already validated) with its audit entry, in one transaction: both or neither. */
export async function writeSection(
  db: Db,
  section: SettingsSection,
  value: unknown,
  actor: AuditActor,
  auditDetail: Record<string, unknown> = { value },
): Promise<void> {
  const by = actor.kind === 'user' ? actor.email : actor.kind === 'token' ? `token '${actor.name}'` : actor.name;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('install_settings')
      .values({ section, value: JSON.stringify(value), updated_by: by })
      .onConflict((oc) =>
        oc.column('section').doUpdateSet({ value: JSON.stringify(value), updated_by: by, updated_at: new Date() }),
      )
      .execute();
    await recordAudit(trx, {
      actor,
      action: `settings.${section}.saved`,
      target: { kind: 'settings', id: section },
      detail: auditDetail,
    });
  });
}
