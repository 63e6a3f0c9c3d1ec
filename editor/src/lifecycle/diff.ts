import type { Draft, DraftEdge, DraftNode } from '../canvas/draft.js';
import { outcomesOf } from '../canvas/outcomes.js';
import { settingsFormSchema } from '../forms/step-schema.js';

// The draft compared with a published version, as the canvas marks it: steps and connections added, changed or
// removed. Pure (no React, no DOM), so it is tested on its own and recomputed on every edit while comparing.
//
// Positions are not a change: moving a card changes nothing a run does (the compiler's checksum leaves them out,
// and publishing a moved-only draft answers `unchanged`), so a tidied-up draft does not light up everywhere.

export type ChangeKind = 'added' | 'changed' | 'removed';

/** What differs in a step kept under the same id. `config` is everything its form edits. */
export type StepPart = 'type' | 'label' | 'config';

/** Playbook-level settings: the fields the settings panel edits (from the engine's schema), not on any card. */
export type SettingsPart = keyof typeof settingsFormSchema.shape;
const SETTINGS = Object.keys(settingsFormSchema.shape) as SettingsPart[];

export interface StepChange {
  kind: ChangeKind;
  /** For a changed step: which parts differ, in the order above. */
  parts: StepPart[];
}
export interface ConnectionChange {
  kind: ChangeKind;
  /** For a changed connection (the same outcome now leads elsewhere): the step it led to in the version. */
  wasTarget?: string;
}

export interface DraftDiff {
  /** Steps of the draft that are new or differ, by id; steps not listed are as published. */
  steps: ReadonlyMap<string, StepChange>;
  /** Connections of the draft that are new or lead elsewhere, by the draft's edge id. */
  connections: ReadonlyMap<string, ConnectionChange>;
  /** Steps of the version no longer in the draft, as they were (to be drawn ghosted where they stood). */
  removedSteps: DraftNode[];
  /** Connections of the version no longer in the draft, as they were. */
  removedConnections: DraftEdge[];
  settings: SettingsPart[];
}

/** Equal as JSON: key order does not matter and an `undefined` property is the same as a missing one. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!sameJson(left[key], right[key])) return false;
  return true;
}

function stepParts(before: DraftNode, after: DraftNode): StepPart[] {
  const parts: StepPart[] = [];
  if (before.type !== after.type) parts.push('type');
  if (before.label !== after.label) parts.push('label');
  if (!sameJson(before.config, after.config)) parts.push('config');
  return parts;
}

/**
 * The outcome a connection leaves by. A connection saved without a handle leaves by the step's only required
 * outcome (as the compiler reads it), so `null` and `"out"` on a wait are the same connection.
 */
function outcomeOf(edge: DraftEdge, nodes: ReadonlyMap<string, DraftNode>): string {
  if (edge.sourceHandle) return edge.sourceHandle;
  const source = nodes.get(edge.source);
  return (source && outcomesOf(source).find((o) => !o.optional)?.handle) ?? '';
}

const byId = (draft: Draft) => new Map(draft.nodes.map((n) => [n.id, n]));

/**
 * Connections are matched by what they mean, not by their ids (the editor mints a new id when an outcome is
 * connected again): first the same outcome to the same step (unchanged), then the same outcome to another step
 * (changed: rerouted), and what is left over was added or removed.
 */
function diffConnections(base: Draft, draft: Draft) {
  const baseNodes = byId(base);
  const draftNodes = byId(draft);
  const slot = (edge: DraftEdge, nodes: ReadonlyMap<string, DraftNode>) =>
    `${edge.source}\u0000${outcomeOf(edge, nodes)}`;
  const left = new Set(base.edges);
  const take = (matches: (edge: DraftEdge) => boolean) => {
    for (const edge of left) {
      if (matches(edge)) {
        left.delete(edge);
        return edge;
      }
    }
    return undefined;
  };
  const connections = new Map<string, ConnectionChange>();
  const pending: DraftEdge[] = [];
  for (const edge of draft.edges) {
    const key = slot(edge, draftNodes);
    if (!take((b) => slot(b, baseNodes) === key && b.target === edge.target)) pending.push(edge);
  }
  for (const edge of pending) {
    const key = slot(edge, draftNodes);
    const was = take((b) => slot(b, baseNodes) === key);
    connections.set(edge.id, was ? { kind: 'changed', wasTarget: was.target } : { kind: 'added' });
  }
  return { connections, removedConnections: [...left] };
}

/** The draft compared with `base` (a published version read with the same reader as a draft). */
export function diffDrafts(base: Draft, draft: Draft): DraftDiff {
  const baseNodes = byId(base);
  const draftIds = new Set(draft.nodes.map((n) => n.id));
  const steps = new Map<string, StepChange>();
  for (const node of draft.nodes) {
    const before = baseNodes.get(node.id);
    if (!before) steps.set(node.id, { kind: 'added', parts: [] });
    else {
      const parts = stepParts(before, node);
      if (parts.length) steps.set(node.id, { kind: 'changed', parts });
    }
  }
  return {
    steps,
    ...diffConnections(base, draft),
    removedSteps: base.nodes.filter((n) => !draftIds.has(n.id)),
    settings: SETTINGS.filter((part) => !sameJson(base[part], draft[part])),
  };
}

/** How many of each kind, for the legend. */
export function countChanges(diff: DraftDiff) {
  const count = (changes: Iterable<{ kind: ChangeKind }>, kind: ChangeKind) =>
    [...changes].filter((c) => c.kind === kind).length;
  return {
    steps: {
      added: count(diff.steps.values(), 'added'),
      changed: count(diff.steps.values(), 'changed'),
      removed: diff.removedSteps.length,
    },
    connections: {
      added: count(diff.connections.values(), 'added'),
      changed: count(diff.connections.values(), 'changed'),
      removed: diff.removedConnections.length,
    },
  };
}

/** True when the draft differs from the version in nothing but positions. */
export const noChanges = (diff: DraftDiff) =>
  diff.steps.size === 0 &&
  diff.connections.size === 0 &&
  diff.removedSteps.length === 0 &&
  diff.removedConnections.length === 0 &&
  diff.settings.length === 0;

const PART_WORDS: Record<StepPart, string> = { type: 'type', label: 'label', config: 'settings' };
const SETTINGS_WORDS: Record<SettingsPart, string> = {
  name: 'name',
  description: 'description',
  triggers: 'triggers',
  enrollment: 'enrollment policy',
  exit: 'exit criteria',
};

/** A step's change in words, for its card: "New step", "Changed: label, settings", "Removed". */
export function describeStepChange(change: StepChange): string {
  if (change.kind === 'added') return 'New step';
  if (change.kind === 'removed') return 'Removed';
  return `Changed: ${change.parts.map((p) => PART_WORDS[p]).join(', ')}`;
}

/** The playbook settings that differ, in words: "triggers, exit criteria". */
export const describeSettings = (parts: readonly SettingsPart[]) => parts.map((p) => SETTINGS_WORDS[p]).join(', ');
