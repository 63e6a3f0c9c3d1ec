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

export interface Database {
  caught_mail: CaughtMailTable;
}
