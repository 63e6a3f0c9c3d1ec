import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PlaybookActivities } from '../../engine/activity-contracts.js';
import type { Effect } from '../../engine/interpreter/types.js';
import { accountEventSignal } from '../../engine/workflows/playbook-signals.js';

// The onboarding playbook (playbooks/seed/onboarding-30d.json) written by hand as one Temporal workflow, the way a
// developer would without Stayflow: the same emails and tasks as activities, the same waits as timers, the same
// send windows and exit events. It is the bench's baseline for what the interpreter adds in history events and
// time. Accounts are in UTC here, so the windows are plain hour arithmetic.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];

const { performEffect } = proxyActivities<PlaybookActivities>({ startToCloseTimeout: '1 minute' });

export interface HandOnboardingInput {
  accountId: string;
  segment: string;
}

export async function handWrittenOnboardingWorkflow(input: HandOnboardingInput): Promise<{ endedAt: number }> {
  let exited = false;
  let replied = false;
  setHandler(accountEventSignal, ({ event }) => {
    if (event === 'value.first' || event === 'subscription.cancelled') exited = true;
    if (event === 'email.replied') replied = true;
  });
  const run = { workflowId: input.accountId, runId: input.accountId };
  const effect = (e: Effect) => performEffect({ ...run, effect: e });
  const email = (nodeId: string, template: string) =>
    effect({ kind: 'email', nodeId, label: nodeId, template, recipients: 'primaryContact' });
  const task = (nodeId: string, title: string) =>
    effect({
      kind: 'task',
      nodeId,
      label: nodeId,
      assignee: 'ownerCsm',
      taskKind: 'other',
      title,
      instructions: '',
      dueAt: new Date(Date.now() + DAY).toISOString(),
    });
  /** Sleeps until `at` or an exit event; answers whether the run goes on. */
  const sleepUntil = async (at: number) => {
    const remaining = at - Date.now();
    if (remaining > 0) await condition(() => exited, remaining);
    return !exited;
  };
  const windowOpens = (from: number, days: number[]) => {
    let t = from;
    for (;;) {
      const d = new Date(t);
      if (days.includes(d.getUTCDay()) && d.getUTCHours() >= 9 && d.getUTCHours() < 18) return t;
      const nine = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 9);
      t = d.getUTCHours() < 9 ? nine : nine + DAY;
    }
  };
  const nextMonday9 = (from: number) => {
    const d = new Date(from);
    let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 9);
    while (new Date(t).getUTCDay() !== 1 || t <= from) t += DAY;
    return t;
  };
  // The plan's clock moves by the waits, as the interpreter's does; effects take no planned time.
  let clock = Date.now();
  const wait = async (ms: number) => sleepUntil((clock += ms));
  const emailInWindow = async (nodeId: string, template: string, days: number[]) => {
    const opens = windowOpens(clock, days);
    if (opens > clock && !(await sleepUntil((clock = opens)))) return false;
    await email(nodeId, template);
    return true;
  };
  const done = () => ({ endedAt: Date.now() });

  await email('welcome', 'welcome');
  if (input.segment === 'high-touch' || input.segment === 'mid-touch') {
    await task('assignCsm', 'Assign a dedicated CSM to the new account');
    await task('followUp', 'New customer: check access and schedule the setup session');
    if (!(await wait(DAY))) return done();
    await task('setupSession', 'Setup session (60 min)');
    if (!(await wait(3 * DAY))) return done();
  } else if (!(await wait(4 * DAY))) return done();
  for (const [nodeId, last] of [
    ['day4', false],
    ['day5', false],
    ['day6', true],
  ] as const) {
    if (!(await emailInWindow(nodeId, `onboarding-${nodeId}`, EVERY_DAY))) return done();
    if (!last && !(await wait(DAY))) return done();
  }
  const replyBy = clock + DAY;
  if (await condition(() => replied || exited, replyBy - Date.now())) {
    if (exited) return done();
    clock = Date.now();
    await task('helpCall', 'The customer replied to “Need help?”: call them back');
    if (!(await wait(DAY))) return done();
  } else clock = replyBy;
  if (!(await emailInWindow('day7', 'onboarding-day7', EVERY_DAY))) return done();
  for (const week of ['week2', 'week3', 'week4']) {
    if (!(await sleepUntil((clock = nextMonday9(clock))))) return done();
    if (!(await emailInWindow(week, `onboarding-${week}`, WEEKDAYS))) return done();
  }
  return done();
}
