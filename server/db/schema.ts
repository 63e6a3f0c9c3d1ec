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
  /** Why it was published, as typed when publishing (≤ 500 characters); migration 0012. */
  note: string | null;
  /** Who published it (a person's email or `token '<name>'`); null for the seeds and versions before 0012. */
  published_by: string | null;
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
  expires_at: Date | null;
  created_by: string | null;
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
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  approvals: ApprovalsTable;
  notifications: NotificationsTable;
  install_settings: InstallSettingsTable;
  referral_ledger: ReferralLedgerTable;
  owner_rotation_cursors: OwnerRotationCursorsTable;
  owner_assignments: OwnerAssignmentsTable;
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

export interface UsersTable {
  id: Generated<string>;
  /** Lower-cased, as accounts' owner_csm_email is matched. */
  email: string;
  name: string | null;
  role: string;
  manager_id: string | null;
  /** argon2id PHC string; null: cannot sign in (known for their email signature only). */
  password_hash: string | null;
  booking_link: string | null;
  signature: string | null;
  deactivated_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  /** sha-256 of the cookie's secret, hex. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor_kind: string;
  actor_id: string | null;
  actor: string;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  detail: Json<Record<string, unknown>>;
  ip: string | null;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'timed_out' | 'withdrawn';

/** An approval step of a run, as the inbox shows it and the decision records it (migration 0011). */
export interface ApprovalsTable {
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
  kind: string;
  title: string;
  details: Generated<string>;
  parameters: Json<unknown[]>;
  proposal: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  context: Json<Record<string, unknown>>;
  assignee_role: string;
  /** Lower-cased. */
  assignee_email: string | null;
  assignment_note: string | null;
  owner_csm_email: string | null;
  manager_email: string | null;
  level: Generated<number>;
  due_at: Date;
  escalated_at: Date | null;
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  values: ColumnType<Record<string, string | number> | null, string | null, string | null>;
  edits: ColumnType<Record<string, { from: unknown; to: unknown }> | null, string | null, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One notification about an approval or a task on one channel; unique per (subject, event, channel). */
export interface NotificationsTable {
  id: Generated<string>;
  subject: string;
  event: string;
  channel: 'email' | 'slack';
  recipient: string;
  state: 'sending' | 'sent' | 'failed';
  detail: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One section of the install's settings (calendars, governance, slack) as a JSON document its schema checked. */
export interface InstallSettingsTable {
  section: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface ReferralLedgerTable {
  id: Generated<string>;
  account_id: string;
  kind: 'referralCredit' | 'renewalCredit' | 'referredDiscount';
  amount_cents: number;
  discount_percent: number | null;
  counterpart: string | null;
  event_id: ColumnType<string | number, number | string, never>;
  occurred_at: Date;
  created_at: Generated<Date>;
}

/** A team's round-robin position: the CSM it assigned last (server/assignment). */
export interface OwnerRotationCursorsTable {
  team: string;
  last_email: string | null;
  updated_at: Generated<Date>;
}

/** What one assignOwner step of a run did, keyed like its effect: a retry reads it back instead of assigning again. */
export interface OwnerAssignmentsTable {
  workflow_id: string;
  run_id: string;
  step_key: string;
  node_id: string;
  account_id: string;
  strategy: 'csm' | 'roundRobin' | 'leastLoaded';
  team: string | null;
  from_email: string | null;
  to_email: string | null;
  status: 'done' | 'skipped';
  detail: string;
  created_at: Generated<Date>;
}
