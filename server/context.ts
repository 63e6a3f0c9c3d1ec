import type { Client } from '@temporalio/client';
import type { MailTransport } from '../activities/email/transport.js';
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
}
