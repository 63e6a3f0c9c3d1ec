import type { Client } from '@temporalio/client';
import type { MailTransport } from './email/transport.js';
import type { LoadedConfig } from './config.js';
import type { AppDatabase } from './db/database.js';
import type { OperatorToken } from './auth/operator-token.js';
import type { OutboundPolicy } from './effects/outbound-guard.js';

/** What request handlers may use; built once by server/stack.ts. */
export interface AppContext {
  config: LoadedConfig;
  version: string;
  database: AppDatabase;
  temporal: Client;
  /** Where the Temporal Web UI is, for links to runs; undefined when none is known. */
  temporalUiUrl: string | undefined;
  mail: { transport: MailTransport; url: string; catching: boolean };
  /**
   * Called after events are committed, with the accounts they belong to (accepted or duplicate), so the engine
   * applies them in seq order (events/store.ts eventsAfter). Unset: events are stored and wait for a reader.
   */
  events?: { onAccepted(accountIds: string[]): Promise<void> };
  /** The clock sessions, sign-in limits and token expiry read; tests move it. Unset: the system clock. */
  now?: () => Date;
  /** Where webhooks and Slack may go (server/effects/outbound-guard.ts); publish checks literal targets against it. */
  outbound?: OutboundPolicy;
  /** The local operator token the CLI on this machine uses (server/auth/operator-token.ts); unset: none. */
  operator?: OperatorToken;
}
