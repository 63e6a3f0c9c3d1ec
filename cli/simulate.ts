import { z } from 'zod';
import { RunTrigger } from '../engine/simulator/run-trigger.js';
import { RunSettingsInput, SimulationScript } from '../engine/simulator/schemas.js';
import { simulate } from '../engine/simulator/simulate.js';
import { simulatedAccount } from './account.js';
import { timelineTable } from './format.js';
import { jsonOption, UsageError } from './input.js';
import type { Catalogue } from './fields.js';
import { checkFile, issueLines } from './validate.js';

const isDate = (text: string) => !Number.isNaN(Date.parse(text));

// The options are the simulate API's schema (engine/simulator/schemas.ts), field by field: one contract.
const scriptHint = ' (see `stayflow simulate --help`: { events, approvals, changes, failures })';
const { shape } = SimulationScript;
const listOption = <S extends z.ZodType>(key: string, raw: string | undefined, schema: S): z.infer<S> | undefined =>
  raw === undefined ? undefined : jsonOption(key, raw, schema, scriptHint);

/**
 * `--trigger`: what enrolled the previewed run, as the simulate API's `trigger` (engine/simulator/run-trigger.ts),
 * so `trigger.*` conditions and `{{ trigger.* }}` preview as the run would. `type` may be left out when the rest
 * says it: `{ "event": "nps.answered", "data": { "score": 3 } }` is an event, `{ "field": "plan", "to": "pro" }` a
 * field change.
 */
const TriggerOption = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'type' in value) return value;
  if ('event' in value) return { type: 'event', ...value };
  if ('field' in value) return { type: 'fieldChanged', ...value };
  return value;
}, RunTrigger);
const triggerHint = ' (e.g. {"event":"nps.answered","data":{"score":3}} or {"field":"plan","from":"basic","to":"pro"})';

export interface SimulateOptions {
  account?: string;
  script?: string;
  events?: string;
  approvals?: string;
  changes?: string;
  failures?: string;
  settings?: string;
  trigger?: string;
  start?: string;
  json: boolean;
  /** Custom account fields to check against (`--fields`); without one they are not checked. */
  catalogue?: Catalogue;
  fields?: string;
}

export async function simulateCommand(file: string, options: SimulateOptions): Promise<number> {
  // Options first: a mistyped flag is a usage error (exit 2) whatever the file holds.
  const account = simulatedAccount(options.account);
  const script = {
    ...(options.script === undefined
      ? SimulationScript.parse({})
      : jsonOption('script', options.script, SimulationScript, scriptHint)),
  };
  script.events = listOption('events', options.events, shape.events) ?? script.events;
  script.approvals = listOption('approvals', options.approvals, shape.approvals) ?? script.approvals;
  script.changes = listOption('changes', options.changes, shape.changes) ?? script.changes;
  script.failures = listOption('failures', options.failures, shape.failures) ?? script.failures;
  const settings =
    options.settings === undefined ? undefined : jsonOption('settings', options.settings, RunSettingsInput);
  const trigger =
    options.trigger === undefined ? undefined : jsonOption('trigger', options.trigger, TriggerOption, triggerHint);
  if (options.start !== undefined && !isDate(options.start)) {
    throw new UsageError(`--start is not a date: ${options.start} (use ISO, e.g. 2026-12-01T09:00:00Z)`);
  }
  const startAt = options.start ?? new Date().toISOString();

  const checked = checkFile(file, options.catalogue);
  if (!checked.ok) {
    for (const line of issueLines(checked)) console.error(line);
    return 1;
  }
  const { playbook } = checked;
  for (const approval of script.approvals) {
    if (playbook.nodes[approval.nodeId]?.type !== 'approval') {
      throw new UsageError(`--approvals names '${approval.nodeId}', which is not an approval step of ${playbook.key}`);
    }
  }

  let result;
  try {
    result = await simulate({ playbook, account, startAt, ...script, settings, ...(trigger && { trigger }) });
  } catch (error) {
    console.error(`${file}: the simulation failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (options.json) {
    console.log(JSON.stringify(result.timeline, null, 2));
    return 0;
  }
  console.log(`${playbook.name} (${playbook.key}) for account ${account.id}; times in ${account.timeZone}`);
  if (trigger) console.log(`Enrolled by: ${triggerWords(trigger)}`);
  console.log('');
  console.log(timelineTable(result.timeline, account.timeZone));
  const last = result.timeline.at(-1);
  console.log('');
  console.log(`Ends at step ${result.endNodeId} on day ${last?.day ?? 0}.`);
  return 0;
}

/** "event nps.answered {"score":3}", "plan changed from "basic" to "pro"": the trigger as the preview's header says it. */
function triggerWords(trigger: z.infer<typeof RunTrigger>): string {
  switch (trigger.type) {
    case 'event':
      return `event ${trigger.event}${Object.keys(trigger.data).length > 0 ? ` ${JSON.stringify(trigger.data)}` : ''}`;
    case 'fieldChanged':
      return `${trigger.field} changed from ${JSON.stringify(trigger.from ?? null)} to ${JSON.stringify(trigger.to ?? null)}`;
    case 'riskLevelEntered':
      return `risk level entered ${trigger.to} (was ${trigger.from})`;
    case 'dateRelative':
      return `a date trigger on ${trigger.today}`;
    case 'playbook':
      return `playbook ${trigger.playbook}`;
    case 'manual':
      return 'manual enrollment';
    default: {
      const unreachable: never = trigger;
      return unreachable;
    }
  }
}
