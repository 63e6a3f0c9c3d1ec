import {
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { approvalValueProblems } from '../approvals/values.js';
import { EFFECT_RETRY, type PlaybookActivities } from '../activity-contracts.js';
import { evaluateCondition } from '../playbook/evaluate-condition.js';
import { ExitRequested, matchExit, type RunExit } from '../interpreter/exit.js';
import { runPlaybook } from '../interpreter/run-playbook.js';
import { migrationRefusal } from '../playbook/migration.js';
import {
  nodeAttribute,
  playbookKeyAttribute,
  statusAttribute,
  versionAttribute,
  type RunStatus,
} from '../search-attributes.js';
import type { ApprovalRequest, Driver, RunInput, RunResult, TimelineEntry } from '../interpreter/types.js';
import {
  accountEventSignal,
  accountFieldsSignal,
  decideApprovalUpdate,
  exitRunSignal,
  positionQuery,
  skipWaitUpdate,
  timelineQuery,
  type AccountEventMessage,
  type ApprovalDecision,
  type RunPosition,
} from './playbook-signals.js';
import { migrateRunUpdate, type MigrateRunRequest } from './run-migration.js';

// The activity heartbeats every second: a worker that dies mid-step is noticed in seconds, and the next attempt
// settles what it left; start-to-close only bounds a step to many recipients.
const { performEffect } = proxyActivities<PlaybookActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: EFFECT_RETRY,
});

/**
 * Runs from before it failed as a whole when an effect's last attempt died (timed out, its worker gone, a
 * non-retryable failure); past this marker the step answers `failed` and takes its failure route instead.
 */
export const EFFECT_FAILURE_PATCH = 'stayflow-effect-failure-route';

/** Why an effect's last attempt died, for the step's timeline: the timeout that ended it, or its failure. */
function effectFailureReason(error: ActivityFailure): string {
  const cause = error.cause;
  if (cause instanceof TimeoutFailure) {
    return cause.timeoutType === 'HEARTBEAT'
      ? 'its worker stopped answering (no heartbeat)'
      : `it timed out (${String(cause.timeoutType).toLowerCase().replace(/_/g, ' ')})`;
  }
  return cause?.message || error.message;
}

/**
 * Runs from before stored approvals asked for no activity at an approval step; replaying them must not either.
 * Past this marker, an approval step records itself (requested, escalated, decided) through performEffect.
 */
export const APPROVAL_RECORDS_PATCH = 'stayflow-approval-records';

/**
 * The Temporal driver of the one interpreter (the DSL-interpreter pattern): the compiled playbook is the input,
 * so a run is pinned to the version it started with. Waits are durable timers, effects are activities, events
 * are signals and approvals are validated updates.
 */
export async function playbookRunWorkflow(input: RunInput): Promise<RunResult> {
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const timeline: TimelineEntry[] = [...(input.resume?.timeline ?? [])];
  let stepsThisRun = 0;
  const position: RunPosition = { nodeId: input.resume?.nodeId ?? input.playbook.startNodeId, waiting: undefined };
  // Events are kept with the time they arrived: a step only reacts to events that came while it was waiting.
  const inbox: { message: AccountEventMessage; at: number }[] = [];
  // A holder object, not a `let`: handlers mutate it between awaits, which narrowing cannot see. `open` is the step
  // taking decisions now: from when its record is written until it is decided or its chain runs out (escalating
  // keeps it open). The decision stays after the step ends, so a late one is told who decided first; the next
  // approval step clears it.
  const approval: {
    open?: string;
    parameters?: ApprovalRequest['parameters'];
    decision?: ApprovalDecision;
    at?: number;
    recorded?: boolean;
  } = {};
  const skip: { requested: boolean; at?: number } = { requested: false };

  // The account as this run's exit criteria see it; kept current by the account's workflow.
  const fields: Record<string, unknown> = { ...(input.resume?.fields ?? input.account.fields) };
  const exiting: { exit?: RunExit; at?: number } = {};
  const changed: { fields?: Record<string, unknown>; at?: number } = {};
  const exitWith = (exit: RunExit | undefined) => {
    if (!exit || exiting.exit) return;
    exiting.exit = exit;
    exiting.at = Date.now();
  };
  const exitNow = () => {
    if (exiting.exit) throw new ExitRequested(exiting.exit, exiting.at ?? Date.now());
  };
  setHandler(accountEventSignal, (message) => {
    inbox.push({ message, at: Date.now() });
    exitWith(
      matchExit(input.playbook.exit ?? [], {
        trigger: input.trigger,
        event: { name: message.event, data: message.data ?? {} },
        fields,
      }),
    );
  });
  setHandler(accountFieldsSignal, (message) => {
    Object.assign(fields, message.fields);
    changed.fields = { ...changed.fields, ...message.fields };
    changed.at ??= Date.now();
    exitWith(matchExit(input.playbook.exit ?? [], { trigger: input.trigger, fields }));
  });
  setHandler(exitRunSignal, (message) => exitWith({ label: message.label, reason: message.reason }));
  setHandler(positionQuery, () => position);
  setHandler(timelineQuery, () => timeline);
  // Exactly one decision wins: updates are validated and handled one after the other, and the handler sets the
  // decision before the next validator runs, so every later one is refused with who decided first.
  setHandler(
    decideApprovalUpdate,
    (d) => {
      approval.decision = d;
      approval.at = Date.now();
      return { decidedAt: iso(approval.at) };
    },
    {
      validator: (d) => {
        const first = approval.decision;
        if (first && first.nodeId === d.nodeId) {
          throw new Error(
            `already decided by ${first.decidedBy} at ${iso(approval.at ?? Date.now())} (${first.decision})`,
          );
        }
        if (approval.open !== d.nodeId || exiting.exit) {
          throw new Error(`step ${d.nodeId} is not waiting for an approval`);
        }
        const problems = approvalValueProblems(approval.parameters ?? [], d.values ?? {});
        if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
      },
    },
  );

  setHandler(
    skipWaitUpdate,
    (_request) => {
      skip.requested = true;
      skip.at = Date.now();
    },
    {
      validator: (_request) => {
        if (position.waiting?.kind !== 'timer' && position.waiting?.kind !== 'event') {
          throw new Error(`the run is not waiting on a timer or an event (it is at step ${position.nodeId})`);
        }
      },
    },
  );

  // Moving to a newer version: taken at once (the run checks it can), done at the next step boundary, so the step
  // under way finishes as it began (a wait keeps its planned end). See engine/playbook/migration.ts.
  const migration: { request?: MigrateRunRequest } = {};
  setHandler(
    migrateRunUpdate,
    (request) => {
      migration.request = request;
      return { fromVersion: input.playbook.version, toVersion: request.playbook.version, nodeId: position.nodeId };
    },
    {
      validator: (request) => {
        const refusal = migrationRefusal(input.playbook, request, position.nodeId, {
          ending: exiting.exit !== undefined,
          alreadyMoving: migration.request !== undefined,
        });
        if (refusal) throw new Error(refusal);
      },
    },
  );

  // Runs the server starts carry search attributes; keep node and status current so runs can be listed by where
  // they stand. (Runs started without them, as in workflow tests, skip the upserts.)
  const listed = workflowInfo().typedSearchAttributes.get(playbookKeyAttribute) !== undefined;
  // A run that continued into a newer version (a migration) is listed under it. Never true when replaying runs
  // recorded before migrations existed, so their commands are unchanged.
  if (listed && workflowInfo().typedSearchAttributes.get(versionAttribute) !== input.playbook.version) {
    upsertSearchAttributes([{ key: versionAttribute, value: input.playbook.version }]);
  }
  const publish = (status: RunStatus) => {
    if (!listed) return;
    upsertSearchAttributes([
      { key: nodeAttribute, value: position.nodeId },
      { key: statusAttribute, value: status },
    ]);
  };

  const waitUntil = async (until: number, done: () => boolean) => {
    const remaining = until - Date.now();
    return remaining > 0 ? condition(done, remaining) : done();
  };

  const driver: Driver = {
    now: () => Date.now(),
    async sleepUntil(at) {
      exitNow();
      const takeChange = () => {
        const change = { changedAt: changed.at ?? Date.now(), fields: changed.fields ?? {} };
        changed.fields = changed.at = undefined;
        return change;
      };
      if (changed.fields) return takeChange();
      const remaining = at - Date.now();
      if (remaining <= 0) return;
      position.waiting = { kind: 'timer', until: iso(at), detail: 'wait' };
      publish('waiting-timer');
      skip.requested = false;
      const woken = await condition(
        () => skip.requested || changed.fields !== undefined || exiting.exit !== undefined,
        remaining,
      );
      position.waiting = undefined;
      exitNow();
      publish('running');
      if (!woken) return;
      return skip.requested ? { skippedAt: skip.at ?? Date.now() } : takeChange();
    },
    async perform(effect, when) {
      if (effect.kind === 'approval') {
        // A new approval step: it takes decisions from now, while its record is written and its decider notified.
        Object.assign(approval, { open: effect.nodeId, parameters: effect.parameters, decision: undefined });
        approval.recorded = patched(APPROVAL_RECORDS_PATCH);
        if (!approval.recorded) return;
      } else if (effect.kind === 'approvalEscalation') {
        approval.open = effect.nodeId;
        if (!approval.recorded) return;
      } else if (effect.kind === 'approvalDecision' && !approval.recorded) {
        return;
      }
      const { workflowId, runId } = workflowInfo();
      const { playbook, account } = input;
      const run = {
        ...when,
        accountId: account.id,
        playbookKey: playbook.key,
        playbookName: playbook.name,
        version: playbook.version,
      };
      const send = () => performEffect({ workflowId, runId, effect, run });
      try {
        // A cancelled run still withdraws its open approval from the inbox on its way out.
        return await (CancellationScope.current().consideredCancelled
          ? CancellationScope.nonCancellable(send)
          : send());
      } catch (error) {
        if (!(error instanceof ActivityFailure) || isCancellation(error) || !patched(EFFECT_FAILURE_PATCH)) throw error;
        return { status: 'failed', detail: `the step's last attempt did not finish: ${effectFailureReason(error)}` };
      }
    },
    async awaitEvent(request, accountFields) {
      const since = Date.now();
      position.waiting = { kind: 'event', until: iso(request.until), detail: request.event };
      publish('waiting-event');
      const matching = () =>
        inbox.find(
          ({ message, at }) =>
            at >= since &&
            message.event === request.event &&
            (!request.filter ||
              evaluateCondition(request.filter, { account: accountFields, event: message.data ?? {} })),
        );
      skip.requested = false;
      exitNow();
      await waitUntil(request.until, () => matching() !== undefined || skip.requested || exiting.exit !== undefined);
      position.waiting = undefined;
      exitNow();
      const found = matching();
      if (!found) return skip.requested ? { skippedAt: skip.at ?? Date.now() } : undefined;
      inbox.splice(inbox.indexOf(found), 1);
      return { data: found.message.data ?? {}, at: found.at };
    },
    async awaitApproval(request) {
      Object.assign(approval, { open: request.nodeId, parameters: request.parameters });
      position.waiting = { kind: 'approval', until: iso(request.until), detail: request.title };
      publish('waiting-approval');
      let decided: boolean;
      try {
        exitNow();
        decided = await waitUntil(request.until, () => approval.decision !== undefined || exiting.exit !== undefined);
      } finally {
        // Closed however the wait ends (an exit, a cancellation too) until an escalation, the interpreter's next
        // call with no await between, opens it again.
        approval.open = undefined;
      }
      position.waiting = undefined;
      exitNow();
      const made = approval.decision as ApprovalDecision | undefined;
      return decided && made
        ? {
            outcome: made.decision,
            at: approval.at ?? Date.now(),
            decidedBy: made.decidedBy,
            ...(made.values && { values: made.values }),
            ...(made.reason && { reason: made.reason }),
          }
        : { outcome: 'timeout', at: request.until };
    },
    pendingExit() {
      return exiting.exit ? { exit: exiting.exit, at: exiting.at ?? Date.now() } : undefined;
    },
    onStep(nodeId) {
      position.nodeId = nodeId;
    },
    onEntry(entry) {
      timeline.push(entry);
    },
    patched(id) {
      return patched(id);
    },
    shouldPause() {
      stepsThisRun++;
      return (
        migration.request !== undefined ||
        workflowInfo().continueAsNewSuggested ||
        (input.stepsPerRun !== undefined && stepsThisRun >= input.stepsPerRun)
      );
    },
  };
  const result = await runPlaybook(input, driver);
  if (result.checkpoint) {
    // A long run (a year of renewal cadence) starts a fresh history from the step it reached, same IR, same clock.
    await condition(allHandlersFinished);
    // A change of fields that arrived after the last wait travels with the run rather than being lost.
    const resume = { ...result.checkpoint, fields: { ...result.checkpoint.fields, ...changed.fields } };
    const moving = migration.request;
    if (moving) {
      // The step the old version would take next, as the newer version's step the migration mapped it to.
      const nodeId = moving.nodeMap[resume.nodeId] ?? resume.nodeId;
      const moved: TimelineEntry = {
        at: iso(resume.clock),
        day: Math.floor((resume.clock - resume.enrolledAt) / 86_400_000),
        nodeId,
        kind: 'migrated',
        summary: `Moved to version ${moving.playbook.version}`,
        why: `migration ${moving.migrationId}, asked by ${moving.requestedBy}: continues at '${moving.playbook.nodes[nodeId]?.label ?? nodeId}'`,
      };
      return continueAsNew<typeof playbookRunWorkflow>({
        ...input,
        playbook: moving.playbook,
        resume: { ...resume, nodeId, timeline: [...resume.timeline, moved] },
      });
    }
    return continueAsNew<typeof playbookRunWorkflow>({ ...input, resume });
  }
  // A step that failed for good with no failure route ended the run: it completes, listed as failed with its reason
  // on the timeline (a thrown error would fail the workflow task on every attempt instead).
  publish(result.exited ? 'exited' : result.failed ? 'failed' : 'completed');
  return result;
}
