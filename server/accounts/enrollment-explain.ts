import { WorkflowNotFoundError } from '@temporalio/client';
import { DateTime } from 'luxon';
import {
  explainCatchUp,
  explainExit,
  explainPolicy,
  explainTrigger,
  isRunning,
} from '../../engine/triggers/explain.js';
import {
  accountStateQuery,
  accountWorkflowId,
  type EnrollmentDecision,
} from '../../engine/workflows/account-signals.js';
import { DomainError } from '../errors.js';
import type { AppContext } from '../context.js';
import { lastEventTimes } from '../events/store.js';
import { listRuns, runDetail } from '../playbooks/runs.js';
import { compiledVersion, findPlaybook } from '../playbooks/store.js';
import { accountConditionFields } from './condition-fields.js';

// "Why (not) enrolled": for one account and one playbook, what the account's workflow decided (its decision log),
// the runs it has had (with the reason each recorded), and — evaluated now — whether its triggers hold, whether the
// enrollment policy would let it in, and which exit criterion would end a run. Sentences for a CS person, and the
// same as data.

/** Runs whose recorded reason is read (each is a query or a history read); older ones are listed without it. */
const RUNS_WITH_REASON = 5;
const RUNS_LISTED = 20;

export async function explainEnrollment(ctx: AppContext, accountId: string, playbookRef: string) {
  const db = ctx.database.db;
  const account = await accountConditionFields(db, accountId);
  const playbook = await findPlaybook(db, playbookRef);
  const now = new Date().toISOString();
  const today = DateTime.now().setZone(account.timeZone).toISODate()!;

  const [runs, decisions] = await Promise.all([
    runsWithReasons(ctx, account.id, playbook.key),
    decisionsOf(ctx, account.id, playbook.key),
  ]);

  const published = playbook.currentVersion !== null && playbook.archivedAt === null;
  const ir = published ? await compiledVersion(db, playbook) : undefined;
  const eventNames = (ir?.triggers ?? []).flatMap((t) => (t.type === 'event' ? [t.event] : []));
  const lastEvents = await lastEventTimes(db, account.id, eventNames);
  const triggers = (ir?.triggers ?? []).map((trigger) => ({
    trigger,
    ...explainTrigger(
      trigger,
      account.fields,
      today,
      trigger.type === 'event' ? lastEvents.get(trigger.event) : undefined,
    ),
  }));
  const policy = ir ? explainPolicy(ir.enrollment, runs, now, account.timeZone) : null;
  const catchUp = ir ? (explainCatchUp(ir, account.fields, today) ?? null) : null;
  const exits = (ir?.exit ?? []).map((criterion) => ({
    label: criterion.label,
    kind: criterion.kind,
    ...explainExit(criterion, account.fields),
  }));

  const summary: string[] = [];
  const running = runs.find((r) => isRunning(r.status));
  if (!published) {
    summary.push(
      playbook.archivedAt !== null
        ? `'${playbook.name}' is archived: it enrolls no one until it is unarchived.`
        : `'${playbook.name}' is not published: it enrolls no one until a version is published.`,
    );
  }
  if (running) {
    summary.push(
      `Enrolled: run ${running.workflowId} started ${running.startedAt}${running.reason ? ` (${running.reason})` : ''}.`,
    );
  } else if (runs.length > 0) {
    const last = runs[0]!;
    summary.push(`Not enrolled now; its last run started ${last.startedAt} and is ${last.status}.`);
  } else {
    summary.push(`Never enrolled in '${playbook.name}'.`);
  }
  const lastRefusal = [...decisions].reverse().find((d) => !d.started);
  if (lastRefusal) {
    summary.push(`At ${lastRefusal.at} ${lastRefusal.reason} matched, but it was not enrolled: ${lastRefusal.detail}.`);
  }
  if (ir) {
    const holding = triggers.filter((t) => t.holdsNow === true);
    summary.push(
      holding.length > 0
        ? `Now: ${holding.map((t) => t.why).join(' ')}`
        : `Now: none of its triggers holds. ${triggers.map((t) => t.why).join(' ')}`.trim(),
    );
    if (catchUp) summary.push(catchUp.why);
    summary.push(policy!.why);
    const ending = exits.find((e) => e.holdsNow === true);
    if (ending) summary.push(`Exit: ${ending.why}`);
  }

  return {
    accountId: account.id,
    playbook: {
      key: playbook.key,
      name: playbook.name,
      published,
      archived: playbook.archivedAt !== null,
      version: ir?.version ?? null,
      enrollment: ir?.enrollment ?? null,
    },
    enrolled: running !== undefined,
    summary,
    decisions,
    runs,
    now: {
      at: now,
      riskLevel: typeof account.fields.riskLevel === 'string' ? account.fields.riskLevel : null,
      riskScore: typeof account.fields.riskScore === 'number' ? account.fields.riskScore : null,
      triggers,
      policy,
      catchUp,
      exits,
    },
  };
}

/** The account's runs of the playbook, newest first; the newest few with the reason recorded when they started. */
async function runsWithReasons(ctx: AppContext, accountId: string, playbookKey: string) {
  const listed = await listRuns(ctx, { playbook: playbookKey, account: accountId }, RUNS_LISTED);
  listed.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return Promise.all(
    listed.map(async (run, index) => ({
      workflowId: run.workflowId,
      version: run.version,
      status: run.status,
      startedAt: run.startedAt,
      closedAt: run.closedAt,
      reason: index < RUNS_WITH_REASON ? await enrolledBecause(ctx, run.workflowId) : null,
    })),
  );
}

/** The "why" of a run's enrollment entry: its version and the reason the account's workflow gave when it started it. */
async function enrolledBecause(ctx: AppContext, workflowId: string): Promise<string | null> {
  try {
    const detail = await runDetail(ctx, workflowId);
    return detail.timeline.find((entry) => entry.kind === 'enrolled')?.why ?? null;
  } catch {
    // A run that failed or was terminated has no timeline to read; it is still listed.
    return null;
  }
}

/** What the account's workflow decided about this playbook (bounded log, oldest first); empty when it never ran. */
async function decisionsOf(ctx: AppContext, accountId: string, playbookKey: string): Promise<EnrollmentDecision[]> {
  try {
    const state = await ctx.temporal.workflow.getHandle(accountWorkflowId(accountId)).query(accountStateQuery);
    return state.decisions.filter((d) => d.playbookKey === playbookKey);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return [];
    throw new DomainError(
      'unavailable',
      'engine_unavailable',
      `The account's workflow did not answer (${error instanceof Error ? error.message : 'no answer'}); try again shortly`,
    );
  }
}
