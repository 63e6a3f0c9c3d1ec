import { z } from 'zod';
import { simulate } from '../engine/simulator/simulate.js';
import { simulatedAccount } from './account.js';
import { timelineTable } from './format.js';
import { jsonOption, UsageError } from './input.js';
import { checkFile, issueLines } from './validate.js';

const isDate = (text: string) => !Number.isNaN(Date.parse(text));
const Instant = z.string().refine(isDate, { error: 'must be an ISO date-time such as 2026-12-01T09:00:00Z' });
const Hours = z.number().nonnegative({ error: 'must be 0 or more hours' });

const EventsOption = z.array(
  z.strictObject({
    event: z.string().min(1, { error: 'must be an event name' }),
    at: Instant.optional(),
    afterHours: Hours.optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
);
const ApprovalsOption = z.array(
  z.strictObject({
    nodeId: z.string().min(1, { error: 'must be the id of an approval step' }),
    decision: z.enum(['approved', 'rejected']),
    afterHours: Hours.optional(),
  }),
);

export interface SimulateOptions {
  account?: string;
  events?: string;
  approvals?: string;
  start?: string;
  json: boolean;
}

export async function simulateCommand(file: string, options: SimulateOptions): Promise<number> {
  // Options first: a mistyped flag is a usage error (exit 2) whatever the file holds.
  const account = simulatedAccount(options.account);
  const events =
    options.events === undefined
      ? []
      : jsonOption('events', options.events, EventsOption, ' (a list of { "event", "at" or "afterHours", "data" })');
  const approvals =
    options.approvals === undefined
      ? []
      : jsonOption(
          'approvals',
          options.approvals,
          ApprovalsOption,
          ' (a list of { "nodeId", "decision": "approved" | "rejected", "afterHours" })',
        );
  if (options.start !== undefined && !isDate(options.start)) {
    throw new UsageError(`--start is not a date: ${options.start} (use ISO, e.g. 2026-12-01T09:00:00Z)`);
  }
  const startAt = options.start ?? new Date().toISOString();

  const checked = checkFile(file);
  if (!checked.ok) {
    for (const line of issueLines(checked)) console.error(line);
    return 1;
  }
  const { playbook } = checked;
  for (const approval of approvals) {
    if (playbook.nodes[approval.nodeId]?.type !== 'approval') {
      throw new UsageError(`--approvals names '${approval.nodeId}', which is not an approval step of ${playbook.key}`);
    }
  }

  let result;
  try {
    result = await simulate({ playbook, account, startAt, events, approvals });
  } catch (error) {
    console.error(`${file}: the simulation failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (options.json) {
    console.log(JSON.stringify(result.timeline, null, 2));
    return 0;
  }
  console.log(`${playbook.name} (${playbook.key}) for account ${account.id}; times in ${account.timeZone}`);
  console.log('');
  console.log(timelineTable(result.timeline, account.timeZone));
  const last = result.timeline.at(-1);
  console.log('');
  console.log(`Ends at step ${result.endNodeId} on day ${last?.day ?? 0}.`);
  return 0;
}
