import { approvalChain, PERSON_NAMES } from '../approvals/chain.js';
import { proposedEmail } from '../approvals/proposal.js';
import { decidedValues, describeValues, parametersOf, type ApprovalValues } from '../approvals/values.js';
import { ownerChoiceFor } from '../playbook/assign-owner.js';
import { evaluateCondition } from '../playbook/evaluate-condition.js';
import { fillMessage } from '../playbook/fill-message.js';
import type { CompiledNode } from '../playbook/ir.js';
import type { SendWindow } from '../playbook/nodes.js';
import {
  addDuration,
  DEFAULT_CALENDAR,
  DEFAULT_SEND_WINDOW,
  fitSendWindow,
  type SendWindowHours,
} from '../time/calendar.js';
import { ExitRequested, type RunExit } from './exit.js';
import { splitBucket } from './split-bucket.js';
import { isBadData, MISSING_FIELD_FAILS_PATCH } from './step-failure.js';
import type {
  ApprovalAnswer,
  Driver,
  Effect,
  RunInput,
  RunResult,
  RunSettings,
  TimelineEntry,
  TimelineKind,
} from './types.js';
import { waitUntil } from './wait-until.js';

const DAY_MS = 86_400_000;
/** A compiled playbook has no loop without a wait; this bounds a run that loops through waits for years. */
const MAX_STEPS = 5_000;
/** Timeline entries carried into a continued run. */
const CARRIED_ENTRIES = 200;
/**
 * A wait or an effect that ends this much later than the run's clock says means an outage (the worker, Temporal or
 * SMTP was down): the clock then moves to real time, so the next relative wait is measured from when the step
 * really happened and a send window is checked at the real send time. Smaller lateness (a busy worker) keeps the
 * plan's instants, so "day N" stays what the plan says.
 */
const LATE_MS = 60_000;
/** Runs recorded before the clock re-anchored after an outage replay as they ran (issue 17). */
export const CLOCK_REANCHOR_PATCH = 'stayflow-clock-reanchor';

/**
 * The one interpreter. It walks the compiled playbook for one account and asks the driver for every wait, side
 * effect and human or event decision; every decision of its own (which branch, which split bucket, when a wait
 * ends, when an email may go out) is computed here, so the Temporal run and the simulation cannot disagree.
 */
export async function runPlaybook(input: RunInput, driver: Driver): Promise<RunResult> {
  const { playbook } = input;
  const settings: RunSettings = {
    calendar: input.settings?.calendar ?? DEFAULT_CALENDAR,
    sendWindow: input.settings?.sendWindow ?? DEFAULT_SEND_WINDOW,
  };
  const { resume } = input;
  const account = { ...input.account, fields: { ...(resume?.fields ?? input.account.fields) } };
  const enrolledAt = resume?.enrolledAt ?? driver.now();
  // The run's logical clock. It moves only to instants the interpreter decided (a wait's end, a timeout) or the
  // driver reported (an event's arrival, a decision); effects take no logical time. A timer that fires a few ms
  // late or an activity that needed retries therefore never shifts the plan, and the Temporal run and the
  // simulation stamp every entry alike.
  let clock = resume?.clock ?? enrolledAt;
  const timeline: TimelineEntry[] = [...(resume?.timeline ?? [])];
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const record = (node: CompiledNode, kind: TimelineKind, summary: string, why = '') => {
    const at = clock;
    const entry: TimelineEntry = {
      at: iso(at),
      day: Math.floor((at - enrolledAt) / DAY_MS),
      nodeId: node.id,
      kind,
      summary,
      why,
    };
    timeline.push(entry);
    driver.onEntry?.(entry);
  };
  let lastEvent: Record<string, unknown> | undefined = resume?.lastEvent;
  // What approvals decided so far, for {{ approval.* }} in the emails after them.
  let approvalValues: ApprovalValues = { ...resume?.approval };
  const proposalOf = (nodeId: string) => proposedEmail(playbook, nodeId);
  // Effects are stamped with the run's logical instant, so an email's "day N" is the plan's day, not a retry's.
  const perform = async (effect: Effect) => {
    const outcome = await driver.perform(effect, {
      at: iso(clock),
      day: Math.floor((clock - enrolledAt) / DAY_MS),
      enrolledAt: iso(enrolledAt),
    });
    reanchor();
    return outcome;
  };
  /** Times the clock moved to real time after an outage (see LATE_MS); a send window is then fitted again. */
  let reanchored = 0;
  function reanchor() {
    const real = driver.now();
    if (real - clock <= LATE_MS || !(driver.patched?.(CLOCK_REANCHOR_PATCH) ?? true)) return;
    clock = real;
    reanchored++;
  }

  let nodeId = resume?.nodeId ?? playbook.startNodeId;
  for (let steps = resume?.steps ?? 0; ; steps++) {
    const node = playbook.nodes[nodeId];
    if (!node) throw new Error(`playbook ${playbook.key} has no step ${nodeId}`);
    if (steps >= MAX_STEPS) {
      record(node, 'end', 'Run stopped', `more than ${MAX_STEPS} steps: the playbook loops without end`);
      return { timeline, endedAt: iso(clock), endNodeId: node.id };
    }
    const pending = driver.pendingExit?.();
    if (pending) return exitAt(node, pending.exit, pending.at);
    driver.onStep?.(node.id);
    let handle: string | undefined;
    try {
      handle = await execute(node);
    } catch (error) {
      if (error instanceof ExitRequested) return exitAt(node, error.exit, error.at);
      if (!isBadData(error)) throw error;
      // The account's data cannot be used here: the step fails with the reason, and the run takes the step's
      // failure route, or ends there, saying why. It never throws out of the run (a failing workflow task retries
      // for ever, and the run could not even be cancelled).
      const reason = error.message;
      record(node, 'failed', `${node.label}: failed`, reason);
      if (playbook.next[node.id]?.failed) handle = 'failed';
      else {
        record(node, 'end', 'Run ended: a step failed', `${node.label}: ${reason}`);
        return { timeline, endedAt: iso(clock), endNodeId: node.id, failed: { nodeId: node.id, reason } };
      }
    }
    if (handle === undefined) return { timeline, endedAt: iso(clock), endNodeId: node.id };
    const next = playbook.next[node.id]?.[handle];
    if (!next) throw new Error(`step ${node.id} of playbook ${playbook.key} has no connection for '${handle}'`);
    nodeId = next;
    // An exit that is already due is taken at the next step, not carried into a continued run.
    if (!driver.pendingExit?.() && driver.shouldPause?.()) {
      const checkpoint = {
        nodeId,
        enrolledAt,
        clock,
        steps: steps + 1,
        fields: account.fields,
        lastEvent,
        ...(Object.keys(approvalValues).length > 0 && { approval: approvalValues }),
        timeline: timeline.slice(-CARRIED_ENTRIES),
      };
      return { timeline, endedAt: iso(clock), endNodeId: nodeId, checkpoint };
    }
  }

  /** Ends the run where it stands: the goal the exit records, if any, then the exit itself. */
  function exitAt(node: CompiledNode, exit: RunExit, at: number): RunResult {
    clock = Math.max(clock, at);
    if (exit.goal)
      record(node, 'goal', `Goal reached: ${exit.goal}`, `${sinceEnrollment(clock - enrolledAt)} after enrollment`);
    record(node, 'exit', `Exited: ${exit.label}`, exit.reason);
    return { timeline, endedAt: iso(clock), endNodeId: node.id, exited: exit };
  }

  /**
   * An approval: the first decider has the step's timeout; each escalation hands it to the next person with theirs;
   * past the last, the timeout branch. The decision's values (edits over the defaults) are kept for the steps
   * after it. The driver's effects keep the stored approval in step (requested, escalated, decided or withdrawn).
   */
  async function approve(node: CompiledNode & { type: 'approval' }): Promise<string> {
    const { config } = node;
    const parameters = [...parametersOf(config)];
    const chain = approvalChain(config);
    const due = (level: number) => addDuration(iso(clock), chain[level]!.timeout, account.timeZone, settings.calendar);
    const ends = (level: number) => (level + 1 < chain.length ? 'escalates' : 'times out');
    let until = due(0);
    record(
      node,
      'approval',
      `Approval requested: ${config.title}`,
      chain.length > 1 ? `for ${PERSON_NAMES[chain[0]!.to]}; ${ends(0)} ${until.at}` : `times out ${until.at}`,
    );
    const request = {
      nodeId: node.id,
      label: node.label,
      kind: config.kind,
      title: config.title,
      details: config.details,
      parameters,
    };
    let answer: ApprovalAnswer;
    try {
      await perform({
        kind: 'approval',
        nodeId: node.id,
        label: node.label,
        approvalKind: config.kind,
        title: config.title,
        details: config.details,
        parameters,
        assignee: chain[0]!.to,
        dueAt: until.at,
        ...(proposalOf(node.id) && { proposal: proposalOf(node.id) }),
      });
      for (let level = 0; ; level++) {
        answer = await driver.awaitApproval({
          ...request,
          assignee: chain[level]!.to,
          level,
          until: Date.parse(until.at),
        });
        if (answer.outcome !== 'timeout' || level + 1 >= chain.length) break;
        const missed = until.at;
        clock = Math.max(clock, Date.parse(missed));
        until = due(level + 1);
        const to = chain[level + 1]!.to;
        record(
          node,
          'approval',
          `Approval escalated to ${PERSON_NAMES[to]}: ${config.title}`,
          `no decision by ${missed}; ${ends(level + 1)} ${until.at}`,
        );
        await perform({
          kind: 'approvalEscalation',
          nodeId: node.id,
          label: node.label,
          title: config.title,
          assignee: to,
          level: level + 1,
          dueAt: until.at,
        });
      }
    } catch (error) {
      // The run leaves the step undecided (an exit, a cancellation): the stored approval leaves the inbox with
      // the reason. Should that fail too, the first error is still what ends the run.
      const exited = error instanceof ExitRequested;
      if (exited) clock = Math.max(clock, error.at);
      try {
        await perform({
          kind: 'approvalDecision',
          nodeId: node.id,
          label: node.label,
          title: config.title,
          outcome: 'withdrawn',
          values: decidedValues(parameters, 'withdrawn', undefined),
          reason: exited
            ? `the run exited: ${error.exit.label}`
            : `the run stopped: ${String((error as Error).message ?? error)}`,
          decidedAt: iso(clock),
        });
      } catch {
        // see above
      }
      throw error;
    }
    const { outcome } = answer;
    clock = Math.max(clock, outcome === 'timeout' ? Date.parse(until.at) : answer.at);
    const values = decidedValues(parameters, outcome, answer.values);
    await perform({
      kind: 'approvalDecision',
      nodeId: node.id,
      label: node.label,
      title: config.title,
      outcome,
      values,
      ...(answer.decidedBy !== undefined && { decidedBy: answer.decidedBy }),
      ...(answer.reason !== undefined && { reason: answer.reason }),
      decidedAt: iso(clock),
    });
    if (parameters.length > 0) approvalValues = { ...approvalValues, ...values };
    const described = outcome === 'approved' ? describeValues(parameters, values) : '';
    record(
      node,
      'approval',
      `Approval ${outcome === 'timeout' ? 'timed out' : outcome}: ${config.title}${described ? ` (${described})` : ''}`,
      answer.note ?? '',
    );
    return outcome;
  }

  /** Runs one step and answers the outcome (handle) it leaves by; undefined ends the run. */
  async function execute(node: CompiledNode): Promise<string | undefined> {
    const now = () => iso(clock);
    /**
     * Answers 'skipped' when an operator skipped the wait and 'changed' when the account's fields changed first
     * (they are applied here, so the caller can re-plan); otherwise the wait ran to its end.
     */
    const sleepUntil = async (at: number): Promise<'ended' | 'skipped' | 'changed'> => {
      const ended = await driver.sleepUntil(at);
      if (!ended) {
        clock = Math.max(clock, at);
        reanchor();
        return 'ended';
      }
      if ('skippedAt' in ended) {
        clock = Math.max(clock, ended.skippedAt);
        return 'skipped';
      }
      clock = Math.max(clock, ended.changedAt);
      Object.assign(account.fields, ended.fields);
      return 'changed';
    };
    /**
     * Asks the driver for an effect that reaches outside and records what became of it. A failure for good leaves
     * by the step's `failed` outcome when the playbook connected one; otherwise the run goes on by `out`.
     */
    const deliver = async (effect: Effect, kind: TimelineKind, summary: string, why = ''): Promise<string> => {
      const outcome = (await perform(effect)) ?? { status: 'done' };
      if (outcome.status === 'done') {
        // Starting a playbook says what it started (or, in the preview, what it would start).
        record(node, kind, summary, (effect.kind === 'startPlaybook' && outcome.detail) || why);
        return 'out';
      }
      record(node, kind, `${summary}: ${outcome.status}`, outcome.detail ?? '');
      return outcome.status === 'failed' && playbook.next[node.id]?.failed ? 'failed' : 'out';
    };
    switch (node.type) {
      case 'trigger':
        record(
          node,
          'enrolled',
          `Enrolled in ${playbook.name}`,
          [playbook.version ? `version ${playbook.version}` : 'draft (not published)', input.reason]
            .filter(Boolean)
            .join('; '),
        );
        return 'out';
      case 'wait': {
        // Planned from when the step began, so a change of fields re-plans a date wait (a moved renewal date)
        // and leaves a plain duration where it was.
        const began = now();
        const context = {
          enrolledAt: iso(enrolledAt),
          missingFails: () => driver.patched?.(MISSING_FIELD_FAILS_PATCH) ?? true,
        };
        let until = waitUntil(node.config, began, account, settings, context);
        record(node, 'wait', `${node.label}: until ${until.at}`, until.why);
        for (;;) {
          const ended = await sleepUntil(Date.parse(until.at));
          if (ended === 'skipped') record(node, 'wait', `${node.label}: skipped`, 'an operator skipped the wait');
          if (ended !== 'changed') return 'out';
          const replanned = waitUntil(node.config, began, account, settings, context);
          if (replanned.at === until.at) continue;
          until = replanned;
          record(node, 'wait', `${node.label}: re-planned to ${until.at}`, `the account changed; ${until.why}`);
        }
      }
      case 'email': {
        const window = sendWindowOf(node.config.sendWindow, settings);
        let why = window ? '' : 'sent immediately (no send window)';
        for (let first = true; window; first = false) {
          const fit = fitSendWindow(now(), account.timeZone, window, settings.calendar);
          if (!fit.why) break;
          // A change of fields while waiting for the window (a new risk level) does not move the window.
          const before = reanchored;
          let ended = await sleepUntil(Date.parse(fit.at));
          while (ended === 'changed' && clock < Date.parse(fit.at)) ended = await sleepUntil(Date.parse(fit.at));
          if (ended === 'skipped') why = 'sent early: an operator skipped the wait for the send window';
          else if (first) why = fit.why;
          else why = `${fit.why} (again: the run resumed after the window had closed)`;
          // The window's timer fired after an outage: the window is checked again at the real time of sending.
          if (ended === 'skipped' || reanchored === before) break;
        }
        return deliver(
          {
            kind: 'email',
            nodeId: node.id,
            label: node.label,
            template: node.config.template,
            recipients: node.config.recipients,
            ...(Object.keys(approvalValues).length > 0 && { approval: { ...approvalValues } }),
            ...(input.trigger && { trigger: input.trigger }),
          },
          'email',
          `Email "${node.label}" (${node.config.template}) to ${node.config.recipients}`,
          why,
        );
      }
      case 'task': {
        const due = addDuration(now(), node.config.dueIn, account.timeZone, settings.calendar);
        await perform({
          kind: 'task',
          nodeId: node.id,
          label: node.label,
          assignee: node.config.assignee,
          taskKind: node.config.kind,
          title: node.config.title,
          instructions: node.config.instructions,
          dueAt: due.at,
        });
        record(node, 'task', `Task for ${node.config.assignee}: ${node.config.title}`, `due ${due.at}`);
        return 'out';
      }
      case 'approval':
        return approve(node);
      case 'branch': {
        // `now` is the logical clock: "startDate more than 365 days ago" is decided at the plan's instant.
        const scope = {
          account: account.fields,
          event: lastEvent,
          trigger: input.trigger,
          now: clock,
          timeZone: account.timeZone,
        };
        const index = node.config.conditions.findIndex((c) => evaluateCondition(c.when, scope));
        const handle = index >= 0 ? node.config.conditions[index]!.handle : 'else';
        record(
          node,
          'branch',
          `${node.label}: ${handle}`,
          index >= 0 ? `condition ${index + 1} matched` : 'no condition matched',
        );
        return handle;
      }
      case 'waitForEvent': {
        const until = addDuration(now(), node.config.timeout, account.timeZone, settings.calendar);
        const arrived = await driver.awaitEvent(
          { nodeId: node.id, event: node.config.event, filter: node.config.filter, until: Date.parse(until.at) },
          account.fields,
        );
        const received = arrived && 'data' in arrived ? arrived : undefined;
        const skippedAt = arrived && 'skippedAt' in arrived ? arrived.skippedAt : undefined;
        clock = Math.max(clock, received?.at ?? skippedAt ?? Date.parse(until.at));
        const data = received?.data;
        if (data) lastEvent = data;
        if (data) record(node, 'event', `${node.config.event} received`);
        else if (skippedAt !== undefined)
          record(node, 'event', `Stopped waiting for ${node.config.event}`, 'an operator skipped the wait');
        else record(node, 'event', `No ${node.config.event} by ${until.at}`, until.why);
        return data ? 'received' : 'timeout';
      }
      case 'split': {
        const bucket = splitBucket(account.id, playbook.key, node.id);
        let floor = 0;
        const variant = node.config.variants.find((v) => bucket < (floor += v.percent)) ?? node.config.variants.at(-1)!;
        record(node, 'split', `${node.label}: ${variant.handle}`, `bucket ${bucket} of 100 for this account`);
        return variant.handle;
      }
      case 'updateField':
        await perform({
          kind: 'updateField',
          nodeId: node.id,
          label: node.label,
          field: node.config.field,
          value: node.config.value,
        });
        account.fields[node.config.field] = node.config.value;
        record(node, 'updateField', `Set ${node.config.field} to ${JSON.stringify(node.config.value)}`);
        return 'out';
      case 'webhook':
        return deliver(
          {
            kind: 'webhook',
            nodeId: node.id,
            label: node.label,
            url: node.config.url,
            method: node.config.method,
            body: node.config.body,
          },
          'webhook',
          `${node.config.method} ${node.config.url}`,
        );
      case 'notify': {
        const message = fillMessage(node.config.message, {
          account: account.fields,
          trigger: input.trigger,
          run: { playbook: playbook.name, day: Math.floor((clock - enrolledAt) / DAY_MS) },
        });
        return deliver(
          { kind: 'notify', nodeId: node.id, label: node.label, channel: node.config.channel, message },
          'notify',
          `Notify by ${node.config.channel}: ${message}`,
        );
      }
      case 'goal':
        await perform({ kind: 'goal', nodeId: node.id, label: node.label, name: node.config.name });
        record(
          node,
          'goal',
          `Goal reached: ${node.config.name}`,
          `${sinceEnrollment(clock - enrolledAt)} after enrollment`,
        );
        return 'out';
      case 'startPlaybook':
        // Under the other playbook's own enrollment policy: a refusal (already enrolled, cooling down) is
        // recorded as skipped with the reason, not a failure.
        return deliver(
          {
            kind: 'startPlaybook',
            nodeId: node.id,
            label: node.label,
            playbook: node.config.playbook,
            reason: `started by the step "${node.label}" of ${playbook.name}`,
          },
          'startPlaybook',
          `Start playbook ${node.config.playbook}`,
        );
      case 'assignOwner': {
        // Which rule applies is decided here, from the account as the run knows it; who in a team is next is
        // the server's (its rotation, its counts). The timeline says whom the step assigned, and why.
        const { owner, basis } = ownerChoiceFor(node.config, account.fields);
        const outcome = (await perform({
          kind: 'assignOwner',
          nodeId: node.id,
          label: node.label,
          owner,
          onlyIfUnowned: node.config.onlyIfUnowned,
          basis,
        })) ?? { status: 'done' };
        const detail = outcome.detail ?? '';
        if (outcome.status === 'done' && detail) {
          record(node, 'assignOwner', detail.charAt(0).toUpperCase() + detail.slice(1));
        } else {
          record(node, 'assignOwner', `${node.label}: ${outcome.status}`, detail);
        }
        return outcome.status === 'failed' && playbook.next[node.id]?.failed ? 'failed' : 'out';
      }
      case 'end':
        record(node, 'end', node.label);
        return undefined;
      default: {
        const unreachable: never = node;
        return unreachable;
      }
    }
  }
}

/** "3 days 4 hours": how long after enrollment a goal was reached (time to first value). */
function sinceEnrollment(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const [days, rest] = [Math.floor(hours / 24), hours % 24];
  const parts = [days ? `${days} day${days === 1 ? '' : 's'}` : '', rest ? `${rest} hour${rest === 1 ? '' : 's'}` : ''];
  return parts.filter(Boolean).join(' ') || 'less than an hour';
}

function sendWindowOf(window: SendWindow, settings: RunSettings): SendWindowHours | undefined {
  if (window === 'immediate') return undefined;
  if (window === 'default') return settings.sendWindow;
  return window;
}
