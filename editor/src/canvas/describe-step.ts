import type { Condition, ConditionOperator } from '../../../engine/playbook/conditions.js';
import { describeDuration, type Duration } from '../../../engine/playbook/durations.js';
import { ELSE_HANDLE, type NodeType } from '../../../engine/playbook/nodes.js';
import type { Trigger } from '../../../engine/playbook/triggers.js';
import { humanize, weekdayName } from '../ui/words.js';
import type { DraftNode } from './draft.js';

// A step in a person's words, for the node cards: "Wait 3 business days", "Email · ¿Cómo va…?". The config may
// be half-filled while a form is being edited, so every read is defensive and an unset part reads as "…".

export const typeName = (type: NodeType) => (type === 'trigger' ? 'Start' : humanize(type, true));
const people = (value: unknown) => (typeof value === 'string' ? humanize(value) : '…');

const str = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : '…');
function duration(value: unknown): string {
  const d = value as Partial<Duration> | undefined;
  if (typeof d?.amount !== 'number' || typeof d.unit !== 'string') return '…';
  return describeDuration(d as Duration);
}
const sameValue = (v: unknown) => (Array.isArray(v) ? v.map(String).join(', ') : JSON.stringify(v));

const OPERATORS: Record<ConditionOperator, string> = {
  eq: 'is',
  neq: 'is not',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'is one of',
  contains: 'contains',
  exists: 'has a value',
};

/** A condition as a sentence: "segment is one of high-touch, mid-touch". */
export function describeCondition(condition: unknown): string {
  const c = condition as Partial<Condition> | undefined;
  if (!c || typeof c !== 'object') return '…';
  if ('all' in c && Array.isArray(c.all)) return c.all.map(describeCondition).join(' and ');
  if ('any' in c && Array.isArray(c.any)) return c.any.map(describeCondition).join(' or ');
  if ('not' in c) return `not (${describeCondition(c.not)})`;
  if ('field' in c) {
    const field = str(c.field).replace(/^account\./, '');
    const op = typeof c.op === 'string' && c.op in OPERATORS ? OPERATORS[c.op as ConditionOperator] : '…';
    return c.op === 'exists' ? `${field} ${op}` : `${field} ${op} ${sameValue(c.value)}`;
  }
  return '…';
}

export function describeTrigger(trigger: unknown): string {
  const t = trigger as Partial<Trigger> | undefined;
  switch (t?.type) {
    case 'event':
      return `when ${str(t.event)} happens${t.filter ? ` and ${describeCondition(t.filter)}` : ''}`;
    case 'riskLevelEntered':
      return `when risk becomes ${str(t.level)}`;
    case 'fieldChanged':
      return `when ${str(t.field)} changes`;
    case 'dateRelative': {
      const days = typeof t.offsetDays === 'number' ? t.offsetDays : 0;
      const side = days === 0 ? 'on' : `${Math.abs(days)} days ${days < 0 ? 'before' : 'after'}`;
      return `${side} ${str(t.field)}`;
    }
    case 'segmentEntered':
      return `when the account enters ${str(t.segment)}`;
    case 'manual':
      return 'by hand';
    default:
      return '…';
  }
}

function describeWait(config: Record<string, unknown>): string {
  switch (config.kind) {
    case 'duration':
      return `Wait ${duration(config)}`;
    case 'untilDate': {
      const days = typeof config.offsetDays === 'number' ? config.offsetDays : 0;
      const side = days === 0 ? 'on' : `${Math.abs(days)} days ${days < 0 ? 'before' : 'after'}`;
      return `Wait until ${side} ${str(config.field)}${typeof config.atTime === 'string' ? ` at ${config.atTime}` : ''}`;
    }
    case 'nextWeekday':
      return `Wait until next ${typeof config.weekday === 'string' ? weekdayName(config.weekday) : '…'} ${str(config.time)}`;
    case 'anchored':
      return `Wait until day ${String(config.day ?? '…')} after enrollment at ${str(config.time)}`;
    default:
      return 'Wait …';
  }
}

/** "a CSM by email" or "team lena@… (round robin)", from a half-filled owner choice. */
function describeOwnerChoice(value: unknown): string {
  const o = value as { kind?: unknown; email?: unknown; team?: unknown; pick?: unknown } | undefined;
  if (o?.kind === 'csm') return str(o.email);
  if (o?.kind === 'team') return `team ${str(o.team)}${o.pick === 'leastLoaded' ? ', least loaded' : ', round robin'}`;
  return '…';
}

function describeAssignOwner(c: Record<string, unknown>): StepWords {
  const keep = c.onlyIfUnowned === false ? 'replaces an existing owner' : 'only accounts without an owner';
  switch (c.strategy) {
    case 'bySegment': {
      const rules = Array.isArray(c.segments) ? (c.segments as { segment?: unknown; owner?: unknown }[]) : [];
      const parts = [
        ...rules.map((r) => `${str(r.segment)} → ${describeOwnerChoice(r.owner)}`),
        `else → ${describeOwnerChoice(c.fallback)}`,
      ];
      return { headline: 'Assign owner · by segment', detail: `${parts.join('; ')} · ${keep}` };
    }
    case 'roundRobin':
      return { headline: `Assign owner · round robin in team ${str(c.team)}`, detail: keep };
    case 'leastLoaded':
      return { headline: `Assign owner · least loaded in team ${str(c.team)}`, detail: keep };
    default:
      return { headline: 'Assign owner …' };
  }
}

export interface StepWords {
  /** The line that says what the step does. */
  headline: string;
  /** A second line with detail, when there is one. */
  detail?: string;
}

/** What a step does, in a person's words. `subjectOf` names an email template by its subject. */
export function describeStep(
  node: DraftNode,
  context: { triggers?: unknown[]; subjectOf?: (templateKey: string) => string | undefined } = {},
): StepWords {
  const c = node.config;
  switch (node.type) {
    case 'trigger':
      return {
        headline: 'Start',
        detail: (context.triggers ?? []).map(describeTrigger).join(' · or ') || 'no trigger yet',
      };
    case 'wait':
      return { headline: describeWait(c) };
    case 'email': {
      const key = str(c.template);
      return {
        headline: `Email · ${context.subjectOf?.(key) ?? key}`,
        detail: `to ${people(c.recipients)}${c.sendWindow === 'immediate' ? ', right away' : ''}`,
      };
    }
    case 'task':
      return {
        headline: `Task · ${people(c.assignee)} · ${str(c.title)}`,
        detail: `${str(c.kind)}, due in ${duration(c.dueIn)}`,
      };
    case 'approval':
      return {
        headline: `Approval · CSM · ${duration(c.timeout)}`,
        detail: `${str(c.kind)}: ${str(c.title)}${typeof c.details === 'string' && c.details ? ` (${c.details})` : ''}`,
      };
    case 'branch': {
      const count = Array.isArray(c.conditions) ? c.conditions.length : 0;
      return { headline: `Branch · ${count} condition${count === 1 ? '' : 's'} + else` };
    }
    case 'waitForEvent':
      return {
        headline: `Wait for ${str(c.event)} · up to ${duration(c.timeout)}`,
        ...(c.filter ? { detail: `where ${describeCondition(c.filter)}` } : {}),
      };
    case 'split': {
      const variants = Array.isArray(c.variants) ? (c.variants as { handle?: unknown; percent?: unknown }[]) : [];
      return {
        headline: `Split · ${variants.map((v) => `${str(v.handle)} ${String(v.percent ?? '…')} %`).join(' / ')}`,
      };
    }
    case 'updateField':
      return { headline: `Set ${str(c.field)} = ${JSON.stringify(c.value ?? null)}` };
    case 'webhook': {
      let host = '…';
      try {
        host = new URL(String(c.url)).host;
      } catch {
        // not an address yet
      }
      return { headline: `Webhook · ${str(c.method)} ${host}` };
    }
    case 'notify':
      return {
        headline: `Notify · ${c.channel === 'slack' ? 'Slack' : c.channel === 'email' ? 'email' : '…'}`,
        detail: str(c.message),
      };
    case 'goal':
      return { headline: `Goal · ${str(c.name)}` };
    case 'startPlaybook':
      return { headline: `Start playbook · ${str(c.playbook)}`, detail: 'under that playbook’s enrollment policy' };
    case 'assignOwner':
      return describeAssignOwner(c);
    case 'end':
      return { headline: 'End' };
    default: {
      const unreachable: never = node.type;
      return unreachable;
    }
  }
}

/** The words on an outcome's handle: a branch condition's sentence, "else", "approved"… */
export function describeOutcome(node: DraftNode, handle: string): string {
  if (node.type === 'branch' && handle !== ELSE_HANDLE && Array.isArray(node.config.conditions)) {
    const condition = (node.config.conditions as { handle?: unknown; when?: unknown }[]).find(
      (c) => c.handle === handle,
    );
    if (condition) return `${handle}: ${describeCondition(condition.when)}`;
  }
  if (node.type === 'split' && Array.isArray(node.config.variants)) {
    const variant = (node.config.variants as { handle?: unknown; percent?: unknown }[]).find(
      (v) => v.handle === handle,
    );
    if (variant) return `${handle} (${String(variant.percent)} %)`;
  }
  return handle;
}
