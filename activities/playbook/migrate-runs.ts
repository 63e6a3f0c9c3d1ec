import type { Client } from '@temporalio/client';
import type { MigrationActivities } from '../../engine/activity-contracts.js';
import type { Db } from '../../server/db/database.js';
import { askRunToMigrate, recordMigrationDone, targetVersionReader } from '../../server/playbooks/migrations.js';

/** The migration batch's activities: one call each into the domain (server/playbooks/migrations.ts). */
export function migrationActivities(deps: { db: Db; temporal: Client }): MigrationActivities {
  const targetVersion = targetVersionReader(deps.db);
  return {
    migrateOneRun: async (request) =>
      askRunToMigrate(
        { temporal: deps.temporal },
        await targetVersion(request.playbookKey, request.toVersion),
        request,
      ),
    recordMigration: (request) => recordMigrationDone(deps.db, request),
  };
}
