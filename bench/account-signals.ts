import { Readable } from 'node:stream';
import type { AccountFieldChanges } from '../engine/activity-contracts.js';
import { accountWorkflowId, eventsRecordedSignal } from '../engine/workflows/account-signals.js';
import { handOffFieldChanges, notifyEventsRecorded, notifyFieldsChanged } from '../server/accounts/entity-signals.js';
import { MAX_IMPORT_BYTES } from '../server/accounts/csv-read.js';
import { importCsv } from '../server/accounts/import.js';
import { startStack } from '../server/stack.js';
import { temporalCliPath } from '../server/temporal/cli-path.js';
import { benchConfig, benchLogger } from './stack-config.js';
import { report, time } from './measure.js';

// What telling many accounts' workflows costs on a real Temporal dev server (run: npx tsx bench/account-signals.ts):
// - the events route's hand-off for a batch of many accounts: one awaited signal-with-start after another (as it
//   was) against a few in flight at once (as it is);
// - a 10,000-row CSV import that changes every account: the import alone (as it was, telling nobody) against the
//   import plus its hand-off to fan-out workflows (as it is), and what one awaited signal per row would add.
const ACCOUNTS = 500;
const ROWS = 10_000;

const csv = (plan: string) =>
  Readable.from([
    Buffer.from(
      ['external_id,name,plan', ...Array.from({ length: ROWS }, (_, i) => `sig-${i},Signals ${i},${plan}`)].join('\n'),
    ),
  ]);

async function main() {
  const config = await benchConfig();
  const stack = await startStack(config, { logger: benchLogger(), temporalCliPath: temporalCliPath() });
  const target = { temporal: stack.context.temporal, taskQueue: config.TEMPORAL_TASK_QUEUE };
  const db = stack.context.database.db;
  // The worker is stopped: what is measured is the request's own cost, not the CPU the started workflows then use
  // on this machine's two cores (which made every number depend on how far the worker had got).
  stack.worker?.shutdown();
  try {
    await importCsv(db, csv('starter'), 'accounts', MAX_IMPORT_BYTES);
    const ids = (await db.selectFrom('accounts').select('id').orderBy('id').execute()).map((r) => r.id);
    const oneByOne = await time(async () => {
      for (const accountId of ids.slice(0, ACCOUNTS)) {
        await target.temporal.workflow.signalWithStart('accountEntityWorkflow', {
          workflowId: accountWorkflowId(accountId),
          taskQueue: target.taskQueue,
          args: [{ accountId }],
          signal: eventsRecordedSignal,
          signalArgs: [],
        });
      }
    });
    // Other accounts, so both start as many workflows.
    const inFlight = await time(() => notifyEventsRecorded(target, ids.slice(ACCOUNTS, 2 * ACCOUNTS)));
    report(`events hand-off, ${ACCOUNTS} accounts, bounded`, 'one by one', oneByOne, inFlight);

    const importOnly = await time(() => importCsv(db, csv('growth'), 'accounts', MAX_IMPORT_BYTES));
    const batches: AccountFieldChanges[][] = [];
    const withHandOff = await time(async () => {
      await importCsv(db, csv('pro'), 'accounts', MAX_IMPORT_BYTES, (b) => batches.push(b));
      await handOffFieldChanges(target, batches);
    });
    report(`import ${ROWS} changed rows + hand-off`, 'import alone', importOnly, withHandOff);
    const sample = batches.flat().slice(0, 300);
    const perRow = await time(async () => {
      for (const c of sample) await notifyFieldsChanged(target, c.accountId, c.changed);
    });
    const perRowAll = (perRow / sample.length) * ROWS;
    report(`(projected) ${ROWS} awaited signals, one per row`, 'import alone', importOnly, perRowAll);
  } finally {
    await stack.close();
  }
}

await main();
