import type { PlaybookDefinition } from '../../../../engine/playbook/schema.js';
import { RECORDED_STEP_TYPES } from '../../../../engine/runs/recorded-steps.js';
import { playbooksApi } from '../../api/playbooks.js';

/** A step to filter runs by: its id (what the API filters on) and the words a person knows it by. */
export interface StepChoice {
  id: string;
  label: string;
  /** Whether doing it leaves a record a run can be found by (`GET /api/runs?reached=`). */
  recorded: boolean;
}

/** The steps to choose from, and where they come from (to tell a stale answer from the current one). */
export interface PlaybookSteps {
  playbook: string;
  /** The version the steps are of; null when they are every published version's. */
  version: number | null;
  steps: StepChoice[];
}

type Drawn = { nodes?: Pick<PlaybookDefinition['nodes'][number], 'id' | 'type' | 'label'>[] } | null;

/**
 * The steps of published definitions, newest first in, by label: a step renamed across versions shows its newest
 * label, ordered as the newest version draws it, then the steps only older versions have. Triggers are left out
 * (every run did its trigger). Two steps of one label are told apart by their ids.
 */
export function stepChoices(definitions: readonly unknown[]): StepChoice[] {
  const byId = new Map<string, StepChoice>();
  for (const definition of definitions) {
    for (const node of (definition as Drawn)?.nodes ?? []) {
      if (node.type === 'trigger' || byId.has(node.id)) continue;
      byId.set(node.id, { id: node.id, label: node.label || node.id, recorded: RECORDED_STEP_TYPES.has(node.type) });
    }
  }
  const steps = [...byId.values()];
  const uses = new Map<string, number>();
  for (const step of steps) uses.set(step.label, (uses.get(step.label) ?? 0) + 1);
  return steps.map((step) =>
    (uses.get(step.label) ?? 0) > 1 ? { ...step, label: `${step.label} (${step.id})` } : step,
  );
}

/**
 * A playbook's steps: those of `version` when it is one of its published versions, else the union of every
 * published version's (runs of older versions stand at steps the newest may have dropped).
 */
export async function loadPlaybookSteps(
  playbook: string,
  version: number | undefined,
  signal: AbortSignal,
): Promise<PlaybookSteps> {
  const { items } = await playbooksApi.versions(playbook, signal);
  const one = items.find((v) => v.version === version);
  // The list is newest first, and so are the definitions handed to stepChoices.
  const chosen = one ? [one] : items;
  const details = await Promise.all(chosen.map((v) => playbooksApi.version(playbook, v.version, signal)));
  return { playbook, version: one ? one.version : null, steps: stepChoices(details.map((d) => d.definition)) };
}
