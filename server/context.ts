import type { Client } from '@temporalio/client';
import type { MailTransport } from './email/transport.js';
import type { LoadedConfig } from './config.js';
import type { AppDatabase } from './db/database.js';

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
}
