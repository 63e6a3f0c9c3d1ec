import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startStack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { testConfig, testLogger } from '../support/test-config.js';
import { until } from '../support/until.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('a second start finds the same data, and a waiting run keeps waiting', async () => {
  const config = await testConfig({ DATA_DIR: dataDir });
  const options = { logger: testLogger(), temporalCliPath: temporalCliPath() };

  const first = await startStack(config, options);
  const workflowId = 'waiting-across-restart';
  try {
    await first.context.temporal.workflow.start('stackCheckWorkflow', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ to: 'ops@acme.example', delay: '3 days' }],
    });
    // Stop only once the worker has turned the wait into a durable timer on the server.
    await until('the 3-day timer to start', async () => {
      const { events } = await first.context.temporal.workflow.getHandle(workflowId).fetchHistory();
      return events?.some((e) => e.timerStartedEventAttributes) ? true : undefined;
    });
    await first.context.database.db
      .insertInto('caught_mail')
      .values({
        message_id: null,
        envelope_from: 'a@acme.example',
        envelope_to: ['b@acme.example'],
        subject: 'kept',
        text: null,
        html: null,
        headers: '{}',
        raw: '',
      })
      .execute();
  } finally {
    await first.close();
  }

  const second = await startStack(config, options);
  try {
    const handle = second.context.temporal.workflow.getHandle(workflowId);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    const { events } = await handle.fetchHistory();
    expect(events?.some((e) => e.timerFiredEventAttributes)).toBe(false);
    const kept = await second.context.database.db.selectFrom('caught_mail').select('subject').execute();
    expect(kept.map((r) => r.subject)).toEqual(['kept']);
  } finally {
    await second.close();
  }
});
