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
  /** Set while the playbook is archived: it enrolls no one; its running runs finish on their version. */
  archived_at: Generated<Date | null>;
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

export interface AccountsTable {
  id: Generated<string>;
  external_id: string;
  name: string;
  segment: string | null;
  owner_csm_name: string | null;
  owner_csm_email: string | null;
  csm_manager_email: string | null;
  locale: Generated<string>;
  time_zone: Generated<string>;
  plan: string | null;
  mrr: number | null;
  /** `date` columns, read as YYYY-MM-DD text (server/accounts/rows.ts): drivers would make them local-midnight Dates. */
  start_date: string | null;
  renewal_date: string | null;
  lifecycle_stage: string | null;
  custom: ColumnType<Record<string, string | number | boolean | null>, string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ContactsTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  email: string;
  role: string | null;
  locale: string | null;
  unsubscribed: Generated<boolean>;
  unsubscribed_at: Date | null;
  is_primary: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AccountFieldDefinitionsTable {
  name: string;
  type: string;
  label: string;
  created_at: Generated<Date>;
}

/** bigint columns: pg returns them as strings and PGlite as numbers; server code reads them through Number(). */
type Int8 = ColumnType<string | number, never, never>;

export interface AccountEventCountersTable {
  account_id: string;
  last_seq: ColumnType<string | number, number, number>;
  first_occurred_at: Date | null;
}

export interface AccountEventsTable {
  id: Int8;
  account_id: string;
  seq: ColumnType<string | number, number, never>;
  name: string;
  occurred_at: Date;
  received_at: Generated<Date>;
  data: Json<Record<string, unknown>>;
  idempotency_key: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  scopes: string[];
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface ScorecardVersionsTable {
  version: number;
  definition: Json<unknown>;
  created_at: Generated<Date>;
}

export interface AccountHealthTable {
  id: Int8;
  account_id: string;
  scorecard_version: number;
  risk_score: number;
  risk_level: string;
  health_score: number;
  fired: Json<unknown>;
  quiet: Json<unknown>;
  computed_at: Date;
}

export interface AccountEventCursorsTable {
  account_id: string;
  /** bigint: pg returns it as a string. */
  applied_seq: ColumnType<string | number, number, number>;
}

export interface EmailTemplatesTable {
  key: string;
  name: string;
  description: string | null;
  /** { es?: { subject, body }, en?: { subject, body } } — EmailTemplate['locales']. */
  locales: Json<unknown>;
  default_locale: string;
  /** Every variable the template reads, extracted when it was saved. */
  variables: string[];
  checksum: string;
  /** The shipped content last installed; null for templates created in this install. */
  shipped_checksum: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface Database {
  caught_mail: CaughtMailTable;
  account_event_cursors: AccountEventCursorsTable;
  playbooks: PlaybooksTable;
  playbook_versions: PlaybookVersionsTable;
  run_steps: RunStepsTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  account_field_definitions: AccountFieldDefinitionsTable;
  account_event_counters: AccountEventCountersTable;
  account_events: AccountEventsTable;
  api_tokens: ApiTokensTable;
  scorecard_versions: ScorecardVersionsTable;
  account_health: AccountHealthTable;
  email_templates: EmailTemplatesTable;
  csm_tasks: CsmTasksTable;
  effect_deliveries: EffectDeliveriesTable;
  email_outbox: EmailOutboxTable;
  app_secrets: AppSecretsTable;
  csm_profiles: CsmProfilesTable;
}

export interface CsmTasksTable {
  id: Generated<string>;
  workflow_id: string;
  run_id: string;
  step_key: string;
  node_id: string;
  account_id: string | null;
  account_name: string | null;
  playbook_key: string | null;
  playbook_name: string | null;
  playbook_version: number | null;
  assignee_role: string;
  assignee_email: string | null;
  /** Why the task has no assignee (the account names no owner CSM), for the person who picks it up. */
  assignment_note: string | null;
  kind: string;
  title: string;
  instructions: Generated<string>;
  due_at: Date;
  status: Generated<'open' | 'done' | 'dismissed'>;
  completed_at: Date | null;
  note: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One attempt to deliver an outbound effect (webhook, notification, field update), keyed by its step. */
export interface EffectDeliveriesTable {
  workflow_id: string;
  run_id: string;
  step_key: string;
  attempt: number;
  kind: string;
  target: string;
  status: 'sending' | 'done' | 'retrying' | 'failed' | 'skipped';
  http_status: number | null;
  detail: string | null;
  started_at: Generated<Date>;
  finished_at: Date | null;
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped' | 'uncertain';

/** One playbook email to one recipient, keyed by its step: written before and after the SMTP call. */
export interface EmailOutboxTable {
  id: Generated<string>;
  workflow_id: string;
  run_id: string;
  step_key: string;
  /** Lower-cased address. */
  recipient: string;
  recipient_name: string | null;
  node_id: string;
  account_id: string;
  contact_id: string | null;
  template_key: string;
  locale: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  state: ColumnType<OutboxState, OutboxState | undefined, OutboxState>;
  message_id: string;
  smtp_response: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  sent_at: Date | null;
}

/** Install-wide secrets every process must share (the link-signing key), made once. */
export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

export interface CsmProfilesTable {
  /** Lower-cased, as accounts' owner_csm_email is matched. */
  email: string;
  name: string | null;
  booking_link: string | null;
  signature: string | null;
  updated_at: Generated<Date>;
}
