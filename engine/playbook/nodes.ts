import { z } from 'zod';
import { AccountFieldName, Segment } from './account-fields.js';
import { Condition } from './conditions.js';
import { Duration, DurationUnit, MAX_WAIT_DAYS, TimeOfDay, Weekday } from './durations.js';
import { EventName } from './triggers.js';

// Ids become keys of plain objects in the IR (`next[nodeId][handle]`); names Object.prototype already has
// (`constructor`, `__proto__`…) would make those lookups lie, so they are refused.
const notReserved = (id: string) => !(id in Object.prototype);
export const NodeId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'must be 1–64 letters, digits, _ . : or -' })
  .refine(notReserved, { error: 'is a reserved word' });
export const HandleId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: 'must be 1–40 letters, digits, _ or -' })
  .refine(notReserved, { error: 'is a reserved word' });
const Text = z.string().trim().min(1, { error: 'must not be empty' });
export const TemplateKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,99}$/, { error: 'must be a template key such as onboarding-day4' });

export const WaitConfig = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('duration'), amount: Duration.shape.amount, unit: DurationUnit }),
    z.strictObject({
      kind: z.literal('untilDate'),
      field: AccountFieldName,
      offsetDays: z.number().int({ error: 'must be a whole number of days' }),
      atTime: TimeOfDay.optional(),
    }),
    z.strictObject({ kind: z.literal('nextWeekday'), weekday: Weekday, time: TimeOfDay }),
    // Anchored to the journey, not to the step before: "day 4 after enrollment at 10:00, account time". A send
    // window that pushed an earlier step later does not move it.
    z
      .strictObject({
        kind: z.literal('anchored'),
        day: z
          .number()
          .int({ error: 'must be a whole number of days' })
          .min(0, { error: 'must be 0 (the day of enrollment) or later' })
          .max(MAX_WAIT_DAYS, { error: `must be at most ${MAX_WAIT_DAYS} days` }),
        time: TimeOfDay,
      })
      .meta({ description: 'Day N after enrollment (0: the day of enrollment) at a local time, account time zone.' }),
  ],
  { error: 'must be a wait of kind duration, untilDate, nextWeekday or anchored' },
);
export type WaitConfig = z.infer<typeof WaitConfig>;

export const SendWindow = z.union(
  [
    z.literal('default'),
    z.literal('immediate'),
    z
      .strictObject({
        days: z.array(Weekday).min(1, { error: 'needs at least one day' }),
        from: TimeOfDay,
        to: TimeOfDay,
      })
      .refine((window) => window.from < window.to, {
        path: ['to'],
        error: 'must be later than the start of the window',
      }),
  ],
  { error: "must be 'default', 'immediate' or { days, from, to }" },
);
export type SendWindow = z.infer<typeof SendWindow>;

export const EmailConfig = z.strictObject({
  template: TemplateKey,
  recipients: z.enum(['primaryContact', 'allContacts', 'ownerCsm']),
  // 'default' is the account's configured send window; 'immediate' ignores it (e.g. a purchase receipt).
  sendWindow: SendWindow.default('default'),
});
export const TaskConfig = z.strictObject({
  assignee: z.enum(['ownerCsm', 'csmManager']),
  kind: z.enum(['call', 'meeting', 'review', 'other']),
  title: Text,
  instructions: z.string().default(''),
  dueIn: Duration,
});
/** Who an approval or a task is for, named by the account's record (its owner CSM, or their manager). */
export const AccountPerson = z.enum(['ownerCsm', 'csmManager']);

// Parameter names are read by templates as {{ approval.<name> }}, so they are plain Liquid identifiers.
const ParameterName = z
  .string()
  .regex(/^[a-z][A-Za-z0-9_]{0,39}$/, { error: 'must start with a lower-case letter, then letters, digits or _' })
  .refine(notReserved, { error: 'is a reserved word' });
const parameter = { name: ParameterName, label: Text.max(80).optional() };
const Bound = z.number({ error: 'must be a number' }).finite();
const Length = z.number().int({ error: 'must be a whole number' }).min(1).max(10_000);

/**
 * A value the person deciding may change before it goes out: a discount (percent), an amount (number), a subject
 * (text, one line) or a paragraph. Bounds are checked when the decision is made; the default is what the
 * proposal shows and what a timed-out approval leaves.
 */
export const ApprovalParameter = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        ...parameter,
        type: z.literal('percent'),
        default: Bound,
        min: Bound.default(0),
        max: Bound.default(100),
      }),
      z.strictObject({
        ...parameter,
        type: z.literal('number'),
        default: Bound,
        min: Bound.optional(),
        max: Bound.optional(),
      }),
      z.strictObject({ ...parameter, type: z.literal('text'), default: z.string(), maxLength: Length.default(200) }),
      z.strictObject({
        ...parameter,
        type: z.literal('paragraph'),
        default: z.string(),
        maxLength: Length.default(2000),
      }),
    ],
    { error: 'must be a parameter of type percent, number, text or paragraph' },
  )
  .meta({ id: 'ApprovalParameter' });
export type ApprovalParameter = z.infer<typeof ApprovalParameter>;

/** After the previous decider's time runs out, the approval moves to `to`, who has `timeout` to decide. */
export const ApprovalEscalation = z.strictObject({ to: AccountPerson, timeout: Duration });
export type ApprovalEscalation = z.infer<typeof ApprovalEscalation>;

// Everything beyond kind, title, details and timeout is optional with a default, so playbooks saved before
// approvals had parameters and escalation still parse and mean what they meant: the owner CSM decides, and
// `timeout` leads to the timeout branch.
export const ApprovalConfig = z.strictObject({
  kind: z.enum(['offer', 'discount', 'message']),
  title: Text,
  details: z.string().default(''),
  /** How long the first decider has before the approval escalates (or, without escalation, times out). */
  timeout: Duration,
  parameters: z.array(ApprovalParameter).max(20, { error: 'may have at most 20 parameters' }).default([]),
  decider: AccountPerson.default('ownerCsm'),
  escalation: z.array(ApprovalEscalation).max(3, { error: 'may escalate at most 3 times' }).default([]),
});
export const BranchConfig = z.strictObject({
  conditions: z
    .array(z.strictObject({ handle: HandleId, when: Condition }))
    .min(1, { error: 'needs at least one condition' }),
});
export const WaitForEventConfig = z.strictObject({ event: EventName, filter: Condition.optional(), timeout: Duration });
export const SplitConfig = z.strictObject({
  variants: z
    .array(
      z.strictObject({
        handle: HandleId,
        percent: z.number().int({ error: 'must be a whole percentage' }).min(0).max(100),
      }),
    )
    .min(2, { error: 'needs at least two variants' }),
});
export const UpdateFieldConfig = z.strictObject({
  field: AccountFieldName,
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
export const WebhookConfig = z.strictObject({
  url: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
  method: z.enum(['POST', 'PUT']),
  body: z.record(z.string(), z.json()).optional(),
});
export const NotifyConfig = z.strictObject({ channel: z.enum(['slack', 'email']), message: Text });
export const GoalConfig = z.strictObject({ name: Text });
/** Enrolls the account in another playbook under that playbook's own enrollment policy (the detractor's rescue). */
export const StartPlaybookConfig = z.strictObject({
  playbook: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be the key of a playbook, e.g. rescue-high' })
    .max(64),
});

// assignOwner: who the account's owner CSM becomes. A team is a manager's CSMs (users whose manager they are),
// named by the manager's email, as everywhere else in Stayflow (GET /api/team, the manager's inbox).
// A plain string with a pattern, not z.email(): the editor's forms give a ZodString a text box (a ZodEmail is not
// one), and the server looks each address up among the install's users anyway.
const PersonEmail = z
  .string()
  .trim()
  .max(254, { error: 'must be at most 254 characters' })
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: 'must be an email address such as ana@yourco.example' });
const TeamRef = PersonEmail.meta({
  description: "The team's manager (email): the team is the active CSMs whose manager they are.",
});
const TeamPick = z
  .enum(['roundRobin', 'leastLoaded'])
  .meta({ description: 'roundRobin: each CSM in turn; leastLoaded: the CSM who owns the fewest accounts.' });
/** One CSM by email, or a team and how to pick within it. */
export const OwnerChoice = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('csm'), email: PersonEmail }),
    z.strictObject({ kind: z.literal('team'), team: TeamRef, pick: TeamPick.default('roundRobin') }),
  ],
  { error: "must be { kind: 'csm', email } or { kind: 'team', team, pick }" },
);
export type OwnerChoice = z.infer<typeof OwnerChoice>;
// An owner someone already set (by hand, by import) is kept unless the step says otherwise.
const OnlyIfUnowned = z
  .boolean()
  .default(true)
  .meta({ description: 'Keep an account’s existing owner CSM; assign only accounts that have none.' });
/** Makes a CSM the account's owner: by segment (a CSM or a team per segment, with a fallback), or within a team. */
export const AssignOwnerConfig = z.discriminatedUnion(
  'strategy',
  [
    z.strictObject({
      strategy: z.literal('bySegment'),
      segments: z
        .array(z.strictObject({ segment: Segment, owner: OwnerChoice }))
        .max(Segment.options.length, { error: `may have at most ${Segment.options.length} rules` }),
      fallback: OwnerChoice.meta({ description: 'For an account with no segment, or one no rule names.' }),
      onlyIfUnowned: OnlyIfUnowned,
    }),
    z.strictObject({ strategy: z.literal('roundRobin'), team: TeamRef, onlyIfUnowned: OnlyIfUnowned }),
    z.strictObject({ strategy: z.literal('leastLoaded'), team: TeamRef, onlyIfUnowned: OnlyIfUnowned }),
  ],
  { error: 'must assign bySegment, roundRobin or leastLoaded' },
);
export type AssignOwnerConfig = z.infer<typeof AssignOwnerConfig>;
const NoConfig = z.strictObject({}).default({});

const Position = z.object({ x: z.number(), y: z.number() });

// Node envelopes are not strict: React Flow adds UI keys (selected, measured…) the server ignores.
function step<Type extends string, Config extends z.ZodType>(type: Type, config: Config) {
  return z.object({ id: NodeId, type: z.literal(type), label: Text, position: Position.optional(), config });
}

export const PlaybookNode = z
  .discriminatedUnion(
    'type',
    [
      step('trigger', NoConfig),
      step('wait', WaitConfig),
      step('email', EmailConfig),
      step('task', TaskConfig),
      step('approval', ApprovalConfig),
      step('branch', BranchConfig),
      step('waitForEvent', WaitForEventConfig),
      step('split', SplitConfig),
      step('updateField', UpdateFieldConfig),
      step('webhook', WebhookConfig),
      step('notify', NotifyConfig),
      step('goal', GoalConfig),
      step('startPlaybook', StartPlaybookConfig),
      step('assignOwner', AssignOwnerConfig),
      step('end', NoConfig),
    ],
    {
      error:
        'must be a step of type trigger, wait, email, task, approval, branch, waitForEvent, split, updateField, webhook, notify, goal, startPlaybook, assignOwner or end',
    },
  )
  .meta({ id: 'PlaybookNode', description: 'One step of a playbook; its config depends on its type.' });
export type PlaybookNode = z.infer<typeof PlaybookNode>;
export type NodeType = PlaybookNode['type'];
export type NodeOfType<T extends NodeType> = Extract<PlaybookNode, { type: T }>;

export const NODE_TYPES = PlaybookNode.options.map((option) => option.shape.type.value) as readonly NodeType[];

/** The handle a single-exit step leaves from; edges from it may omit `sourceHandle`. */
export const DEFAULT_HANDLE = 'out';
export const ELSE_HANDLE = 'else';

/** Outgoing handles of the steps whose handles do not depend on their config. */
export const FIXED_HANDLES: Readonly<Record<Exclude<NodeType, 'branch' | 'split'>, readonly string[]>> = {
  trigger: [DEFAULT_HANDLE],
  wait: [DEFAULT_HANDLE],
  email: [DEFAULT_HANDLE],
  task: [DEFAULT_HANDLE],
  approval: ['approved', 'rejected', 'timeout'],
  waitForEvent: ['received', 'timeout'],
  updateField: [DEFAULT_HANDLE],
  webhook: [DEFAULT_HANDLE],
  notify: [DEFAULT_HANDLE],
  goal: [DEFAULT_HANDLE],
  startPlaybook: [DEFAULT_HANDLE],
  assignOwner: [DEFAULT_HANDLE],
  end: [],
};

/** The outcomes a step can leave by, in the order the editor draws them; every one must lead somewhere. */
export function handlesOf(node: PlaybookNode): string[] {
  switch (node.type) {
    case 'branch':
      return [...node.config.conditions.map((condition) => condition.handle), ELSE_HANDLE];
    case 'split':
      return node.config.variants.map((variant) => variant.handle);
    case 'trigger':
    case 'wait':
    case 'email':
    case 'task':
    case 'approval':
    case 'waitForEvent':
    case 'updateField':
    case 'webhook':
    case 'notify':
    case 'goal':
    case 'startPlaybook':
    case 'assignOwner':
    case 'end':
      return [...FIXED_HANDLES[node.type]];
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

/** The outcome a step that reaches outside leaves by when delivery fails for good (a bounced email, a 4xx). */
export const FAILED_HANDLE = 'failed';

/**
 * Outcomes a playbook may connect but need not: left unconnected, a failed delivery is recorded on the run and
 * the run goes on by `out`, so a playbook drawn without failure routes still runs to its end. A step that cannot
 * use the account's data (an impossible date, a missing field) also leaves by `failed`; unconnected, that ends the
 * run with the reason.
 */
export const OPTIONAL_HANDLES: Readonly<Partial<Record<NodeType, readonly string[]>>> = {
  wait: [FAILED_HANDLE],
  email: [FAILED_HANDLE],
  task: [FAILED_HANDLE],
  webhook: [FAILED_HANDLE],
  notify: [FAILED_HANDLE],
  startPlaybook: [FAILED_HANDLE],
  assignOwner: [FAILED_HANDLE],
};

/** Steps that make an account wait for time or a person, so a loop through them cannot spin. */
export const WAITING_NODE_TYPES: readonly NodeType[] = ['wait', 'waitForEvent', 'approval'];
