import { pino } from 'pino';
import { loadConfig, type LoadedConfig } from '../../server/config.js';
import { freePort } from './free-port.js';

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
    ...overrides,
  });
}

export const testLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
