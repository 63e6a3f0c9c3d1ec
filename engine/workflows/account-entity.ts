import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccountEntityActivities, AccountRunRef } from '../activity-contracts.js';
import { matchTriggers, supersededBy, type AccountHappening, type PublishedPlaybook } from '../triggers/match.js';
import {
  accountStateQuery,
  eventsRecordedSignal,
  fieldsChangedSignal,
  rescoreSignal,
  sweepSignal,
  type EnrollmentDecision,
  type FieldsChangedMessage,
} from './account-signals.js';
import { accountEventSignal, accountFieldsSignal, exitRunSignal } from './playbook-signals.js';
import { runTriggerOf } from '../interpreter/run-trigger.js';

const acts = proxyActivities<AccountEntityActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
/**
 * Past FEWER_ROUND_TRIPS_PATCH, the reads (and the idempotent writes: the event cursor, the score) run as local
 * activities, inside the workflow task that needs them, instead of a workflow task and an activity task each
 * through the Temporal server. Only enrolling, which starts another workflow, stays a scheduled activity: the
 * server records its result, so a crashed worker does not enroll twice. Past a minute of retries, a local activity
 * waits on a timer between attempts (the SDK's default), so an outage of the database does not pin the task.
 */
const local = proxyLocalActivities<AccountEntityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

type Message =
  | { kind: 'events' }
  | { kind: 'fields'; changed: FieldsChangedMessage['changed'] }
  | { kind: 'sweep'; asOf: string }
  | { kind: 'rescore'; scorecardVersion: number; from?: string };

export interface AccountEntityInput {
  accountId: string;
  /** How far the account's events were applied; absent on the first start (then the saved cursor is used). */
  appliedSeq?: number;
  riskLevel?: string;
  lastScore?: string;
  /** Runs this workflow started, so they hear about events before visibility lists them. */
  tracked?: AccountRunRef[];
  pending?: Message[];
  decisions?: EnrollmentDecision[];
}

const EVENT_BATCH = 100;
/** Histories from before catch-up evaluated no date trigger on a change of fields; replaying them must not either. */
export const CATCH_UP_PATCH = 'stayflow-date-catch-up';
/**
 * Histories from before it applied a message in up to 11 workflow tasks one after another (9 activities, three
 * visibility queries, every published playbook's IR read again). Past it: local activities for the reads, the
 * published playbooks kept in the workflow and re-read only when their stamp changes, one list of the account's
 * runs per message (none when nothing needs it), and the signals of one message sent together.
 */
export const FEWER_ROUND_TRIPS_PATCH = 'stayflow-account-fewer-round-trips';
const KEPT_DECISIONS = 50;

/**
 * One long-lived workflow per account (design decision 4). Everything that happens to the account — events,
 * changed fields, the daily sweep — arrives here as a signal and is applied strictly in order: events are read
 * back from the database by sequence number, the account is re-scored, every published playbook's triggers are
 * evaluated, enrollments start, and the account's running runs hear about the event or the changed fields (their
 * exit criteria and re-planned waits are theirs to apply).
 */
export async function accountEntityWorkflow(input: AccountEntityInput): Promise<void> {
  const { accountId } = input;
  let appliedSeq = input.appliedSeq;
  let riskLevel = input.riskLevel;
  let lastScore = input.lastScore;
  let tracked: AccountRunRef[] = [...(input.tracked ?? [])];
  const queue: Message[] = [...(input.pending ?? [])];
  const decisions: EnrollmentDecision[] = [...(input.decisions ?? [])];
  /** The published playbooks as last read, with their stamp (past FEWER_ROUND_TRIPS_PATCH). */
  let publishedCache: { stamp: string; playbooks: PublishedPlaybook[] } | undefined;
  /** Past FEWER_ROUND_TRIPS_PATCH, how the current message is applied, and the account's runs listed for it. */
  let fewer = false;
  let listedForMessage: AccountRunRef[] | undefined;

  // Several "new events" signals in a row need one read: the read takes every event after the cursor.
  setHandler(eventsRecordedSignal, () => {
    if (!queue.some((m) => m.kind === 'events')) queue.push({ kind: 'events' });
  });
  setHandler(fieldsChangedSignal, ({ changed }) => void queue.push({ kind: 'fields', changed }));
  setHandler(sweepSignal, ({ asOf }) => void queue.push({ kind: 'sweep', asOf }));
  setHandler(rescoreSignal, (message) => void queue.push({ kind: 'rescore', ...message }));
  setHandler(accountStateQuery, () => ({
    accountId,
    appliedSeq: appliedSeq ?? 0,
    riskLevel,
    pending: queue.length,
    decisions,
  }));

  for (;;) {
    await condition(() => queue.length > 0 || workflowInfo().continueAsNewSuggested);
    if (workflowInfo().continueAsNewSuggested) break;
    const message = queue.shift()!;
    const alive = await apply(message);
    if (!alive) return;
  }
  await continueAsNew<typeof accountEntityWorkflow>({
    accountId,
    appliedSeq,
    riskLevel,
    lastScore,
    tracked,
    pending: queue,
    decisions: decisions.slice(-KEPT_DECISIONS),
  });

  /** Applies one message; false when the account no longer exists (the workflow then ends). */
  async function apply(message: Message): Promise<boolean> {
    fewer = patched(FEWER_ROUND_TRIPS_PATCH);
    listedForMessage = undefined;
    const io = fewer ? local : acts;
    // The sweep reads the account as of its instant, which also gives the account's local date for date triggers.
    const account = await io.accountFields({
      accountId,
      ...(message.kind === 'sweep' && { asOf: message.asOf }),
    });
    if (!account) return false;
    let playbooks: PublishedPlaybook[] | undefined;
    const published = async () => (playbooks ??= fewer ? await cachedPublished() : await acts.publishedPlaybooks());

    if (message.kind === 'events') {
      for (;;) {
        const batch = await io.accountEventsAfter({ accountId, afterSeq: appliedSeq, limit: EVENT_BATCH });
        appliedSeq = batch.afterSeq;
        for (const event of batch.events) {
          await happen(
            { kind: 'event', name: event.name, data: event.data },
            account.fields,
            await published(),
            event.seq,
          );
          appliedSeq = event.seq;
        }
        if (batch.events.length > 0) await io.saveAppliedSeq({ accountId, seq: appliedSeq });
        if (batch.events.length < EVENT_BATCH) break;
      }
      await rescore(new Date().toISOString(), published);
    } else if (message.kind === 'fields') {
      // Past the marker, a date set or moved late for a date-relative playbook enrolls it late (catch-up).
      const today = patched(CATCH_UP_PATCH) ? account.today : undefined;
      await happen({ kind: 'fields', changed: message.changed, today }, account.fields, await published());
      const fields = Object.fromEntries(Object.keys(message.changed).map((k) => [k, account.fields[k]]));
      await tellRuns((run) => getExternalWorkflowHandle(run.workflowId).signal(accountFieldsSignal, { fields }));
    } else if (message.kind === 'sweep') {
      await rescore(message.asOf, published);
      await happen({ kind: 'day', today: account.today }, account.fields, await published());
    } else {
      // Scored now under whatever version is current when this message's turn comes (the newest wins).
      await rescore(new Date().toISOString(), published, message.from);
    }
    return true;
  }

  /** The published playbooks, read again only when what is published changed (a publish is seen at once). */
  async function cachedPublished(): Promise<PublishedPlaybook[]> {
    const read = await local.publishedPlaybooksSince({ ...(publishedCache && { stamp: publishedCache.stamp }) });
    if (read.playbooks || !publishedCache) publishedCache = { stamp: read.stamp, playbooks: read.playbooks ?? [] };
    return publishedCache.playbooks;
  }

  async function rescore(asOf: string, published: () => Promise<PublishedPlaybook[]>, from?: string) {
    const score = await (fewer ? local : acts).rescoreAccount({ accountId, asOf });
    const before = riskLevel ?? from ?? score.from;
    riskLevel = score.to;
    if (before !== score.to) {
      const riskScore = typeof score.fields.riskScore === 'number' ? score.fields.riskScore : undefined;
      await happen(
        { kind: 'riskLevel', from: before, to: score.to, score: riskScore, scorecardVersion: score.scorecardVersion },
        score.fields,
        await published(),
      );
    }
    // Runs hear about a new score only when it moved: each message wakes every waiting run.
    const scoreKey = `${String(score.fields.riskScore)}/${score.to}`;
    if (scoreKey === lastScore) return;
    lastScore = scoreKey;
    await tellRuns((run) =>
      getExternalWorkflowHandle(run.workflowId).signal(accountFieldsSignal, {
        fields: {
          riskScore: score.fields.riskScore,
          riskLevel: score.fields.riskLevel,
          healthScore: score.fields.healthScore,
        },
      }),
    );
  }

  async function happen(
    happening: AccountHappening,
    fields: Record<string, unknown>,
    playbooks: PublishedPlaybook[],
    eventSeq?: number,
  ) {
    const startedNow = new Set<string>();
    for (const match of matchTriggers(playbooks, happening, fields)) {
      // The run reads what enrolled it as trigger.* (an activity's input is not part of what replay compares).
      const trigger = runTriggerOf(happening, playbooks.find((p) => p.key === match.playbookKey)?.triggers);
      const outcome = await acts.enrollAccount({
        accountId,
        playbookKey: match.playbookKey,
        reason: match.reason,
        trigger,
      });
      decisions.push({
        at: new Date().toISOString(),
        playbookKey: match.playbookKey,
        reason: match.reason,
        started: outcome.started,
        detail: outcome.started ? `started ${outcome.workflowId} (version ${outcome.version})` : outcome.reason,
        ...(eventSeq !== undefined && { eventSeq }),
      });
      if (decisions.length > KEPT_DECISIONS * 2) decisions.splice(0, decisions.length - KEPT_DECISIONS);
      if (!outcome.started) continue;
      startedNow.add(outcome.workflowId);
      tracked.push({ workflowId: outcome.workflowId, playbookKey: match.playbookKey });
      const started = playbooks.find((p) => p.key === match.playbookKey)!;
      // A playbook that supersedes none of the published ones has no run to end: no need to list them.
      if (fewer && supersededBy(started, playbooks).length === 0) continue;
      const runs = await runsOfAccount();
      const superseded = new Set(
        supersededBy(
          started,
          runs.flatMap((r) => playbooks.filter((p) => p.key === r.playbookKey)),
        ).map((p) => p.key),
      );
      const exit = { label: `Superseded by ${started.name}`, reason: match.reason };
      const ending = runs.filter((r) => superseded.has(r.playbookKey));
      if (fewer) await Promise.all(ending.map((run) => signalRun(run, (handle) => handle.signal(exitRunSignal, exit))));
      else for (const run of ending) await signalRun(run, (handle) => handle.signal(exitRunSignal, exit));
    }
    if (happening.kind === 'event') {
      // A run started by this very event does not also receive it: it did not wait for it.
      await tellRuns(
        (run) =>
          getExternalWorkflowHandle(run.workflowId).signal(accountEventSignal, {
            event: happening.name,
            data: happening.data,
          }),
        startedNow,
      );
    }
  }

  /**
   * The account's running runs: those visibility lists and those this workflow started (visibility lags starts).
   * Past FEWER_ROUND_TRIPS_PATCH, listed once per message: runs started while applying it are in `tracked`.
   */
  async function runsOfAccount(): Promise<AccountRunRef[]> {
    const listed = fewer
      ? (listedForMessage ??= await local.accountRuns({ accountId }))
      : await acts.accountRuns({ accountId });
    const all = new Map([...tracked, ...listed].map((r) => [r.workflowId, r]));
    return [...all.values()];
  }

  async function tellRuns(send: (run: AccountRunRef) => Promise<void>, except: ReadonlySet<string> = new Set()) {
    const runs = (await runsOfAccount()).filter((run) => !except.has(run.workflowId));
    // Each run hears this message's signals in order (every call here waits for all of its signals); different
    // runs need no order between them, so past the patch one workflow task sends them all.
    if (fewer) await Promise.all(runs.map((run) => signalRun(run, () => send(run))));
    else for (const run of runs) await signalRun(run, () => send(run));
  }

  /** Signals a run; a run that has ended is forgotten (a signal to it fails, which is expected, not an error). */
  async function signalRun(
    run: AccountRunRef,
    send: (handle: ReturnType<typeof getExternalWorkflowHandle>) => Promise<void>,
  ) {
    try {
      await send(getExternalWorkflowHandle(run.workflowId));
    } catch {
      tracked = tracked.filter((r) => r.workflowId !== run.workflowId);
      listedForMessage = listedForMessage?.filter((r) => r.workflowId !== run.workflowId);
    }
  }
}
