import type { ColumnType, Generated } from 'kysely';

// The app database's tables as Kysely sees them. Migrations in ./migrations create exactly these.

export interface CaughtMailTable {
  id: Generated<string>;
  message_id: string | null;
  envelope_from: string;
  envelope_to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  headers: ColumnType<Record<string, string>, string, string>;
  raw: string;
  received_at: Generated<Date>;
}

type Json<T> = ColumnType<T, string, string>;

export interface PlaybooksTable {
  id: Generated<string>;
  key: string;
  name: string;
  draft: Json<unknown>;
  current_version: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PlaybookVersionsTable {
  playbook_id: string;
  version: number;
  definition: Json<unknown>;
  compiled: Json<unknown>;
  checksum: string;
  published_at: Generated<Date>;
}

export interface RunStepsTable {
  workflow_id: string;
  run_id: string;
  /** The activity id: unique and stable per step of one run, so a retried activity finds its own row. */
  step_key: string;
  node_id: string;
  kind: string;
  effect: Json<unknown>;
  recorded_at: Generated<Date>;
}

export interface Database {
  caught_mail: CaughtMailTable;
  playbooks: PlaybooksTable;
  playbook_versions: PlaybookVersionsTable;
  run_steps: RunStepsTable;
}
