import { pino } from 'pino';
import { loadConfig, type LoadedConfig } from '../../server/config.js';
import { freePort } from './free-port.js';

/**
 * The admin API token every test stack starts with (STAYFLOW_BOOTSTRAP_TOKEN), which the shared request helpers send
 * (tests/support/api.ts): tests act as an admin unless they say who they are.
 */
export const TEST_ADMIN_TOKEN = 'sf_test-stack-admin-token-0123456789abcdefghij';

/** A configuration for a stack that shares no port or file with a running `npm start`. */
export async function testConfig(overrides: Record<string, string> = {}): Promise<LoadedConfig> {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    SMTP_CATCHER_PORT: '0',
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'warn',
    TEMPORAL_TASK_QUEUE: `stayflow-test-${process.pid}`,
    STAYFLOW_BOOTSTRAP_TOKEN: TEST_ADMIN_TOKEN,
    ...overrides,
  });
}

export const testLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
