import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMailTransport } from '../../server/email/transport.js';
import { healthReport } from '../../server/api/routes/health.js';
import { startStack, type Stack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { freePort } from '../support/free-port.js';
import { testConfig, testLogger } from '../support/test-config.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(await testConfig(), { logger: testLogger(), temporalCliPath: temporalCliPath() });
});
afterAll(() => stack?.close());

it('reports a task queue no worker polls as the worker being down', async () => {
  const { context } = stack;
  const report = await healthReport({
    ...context,
    config: { ...context.config, TEMPORAL_TASK_QUEUE: 'nobody-polls-this' },
  });
  expect(report.status).toBe('degraded');
  expect(report.components.worker).toMatchObject({
    state: 'down',
    detail: 'no worker is polling task queue nobody-polls-this',
  });
  expect(report.components.temporal.state).toBe('up');
});

it('reports an SMTP relay that does not answer as down, with the reason', async () => {
  const { context } = stack;
  const url = `smtp://127.0.0.1:${await freePort()}`;
  const transport = createMailTransport(url);
  try {
    const report = await healthReport({ ...context, mail: { transport, url, catching: false } });
    expect(report.status).toBe('degraded');
    expect(report.components.smtp.state).toBe('down');
    expect(report.components.smtp.detail).toMatch(/ECONNREFUSED|connect/i);
    expect(report.components.database.state).toBe('up');
  } finally {
    transport.close();
  }
});
