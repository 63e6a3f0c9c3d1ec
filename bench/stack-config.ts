import net from 'node:net';
import { pino } from 'pino';
import { loadConfig, type LoadedConfig } from '../server/config.js';

// bench/ stands on its own (no test fixtures): a stack on free loopback ports, in memory, with a quiet logger.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function benchConfig(overrides: Record<string, string> = {}): Promise<LoadedConfig> {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    SMTP_CATCHER_PORT: '0',
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'warn',
    TEMPORAL_TASK_QUEUE: `stayflow-bench-${process.pid}`,
    ...overrides,
  });
}

export const benchLogger = () => pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' });
