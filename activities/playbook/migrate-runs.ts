import type { Client } from '@temporalio/client';
import type { MigrationActivities } from '../../engine/activity-contracts.js';
import type { Db } from '../../server/db/database.js';
import { askRunToMigrate, recordMigrationDone } from '../../server/playbooks/migrations.js';

/** The migration batch's activities: one call each into the domain (server/playbooks/migrations.ts). */
export function migrationActivities(deps: { db: Db; temporal: Client }): MigrationActivities {
  return {
    migrateOneRun: (request) => askRunToMigrate({ temporal: deps.temporal, database: { db: deps.db } }, request),
    recordMigration: (request) => recordMigrationDone(deps.db, request),
  };
}
