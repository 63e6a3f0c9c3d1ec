import type { NodeType } from '../../../engine/playbook/nodes.js';
import { initialConfigOf } from '../forms/step-schema.js';
import { typeName } from './describe-step.js';
import type { Draft, DraftEdge, DraftNode } from './draft.js';
import { outcomesOf } from './outcomes.js';

// Edits of the drawing as pure functions of the draft: each answers a new draft (or the same one when nothing
// changed), so the store can keep history and tests could call them without React.

/** An id not yet taken, readable in exports: `wait3`, `email2`. */
export function freshId(taken: ReadonlySet<string>, base: string): string {
  const stem = base.replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 56) || 'step';
  for (let n = 1; ; n++) {
    const id = `${stem}${n}`;
    if (!taken.has(id)) return id;
  }
}

const ids = (draft: Draft) => new Set([...draft.nodes.map((n) => n.id), ...draft.edges.map((e) => e.id)]);

export function addStep(
  draft: Draft,
  type: NodeType,
  position: { x: number; y: number },
): { draft: Draft; id: string } {
  const id = freshId(ids(draft), type);
  const node: DraftNode = { id, type, label: typeName(type), position, config: initialConfigOf(type) };
  return { draft: { ...draft, nodes: [...draft.nodes, node] }, id };
}

export function updateStep(draft: Draft, id: string, patch: Partial<Pick<DraftNode, 'label' | 'config'>>): Draft {
  return { ...draft, nodes: draft.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) };
}

export function moveSteps(draft: Draft, positions: ReadonlyMap<string, { x: number; y: number }>): Draft {
  if (positions.size === 0) return draft;
  return {
    ...draft,
    nodes: draft.nodes.map((n) => {
      const p = positions.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: p } : n;
    }),
  };
}

export function removeElements(draft: Draft, nodeIds: readonly string[], edgeIds: readonly string[]): Draft {
  if (nodeIds.length === 0 && edgeIds.length === 0) return draft;
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  return {
    ...draft,
    nodes: draft.nodes.filter((n) => !nodes.has(n.id)),
    edges: draft.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

export interface Link {
  source: string;
  sourceHandle: string | null;
  target: string;
}

/**
 * Connects an outcome to a step. Each outcome leads to one step, so a new connection from an outcome replaces
 * the old one instead of leaving two for the compiler to complain about.
 */
export function connect(draft: Draft, link: Link, replacing?: string): Draft {
  if (link.source === link.target) return draft;
  // A connection without a handle leaves by the step's only outcome (as the compiler reads it).
  const source = draft.nodes.find((n) => n.id === link.source);
  const only = source ? outcomesOf(source).filter((o) => !o.optional) : [];
  const slotOf = (handle: string | null | undefined) => handle ?? (only.length === 1 ? only[0]!.handle : null);
  const sameSlot = (e: DraftEdge) => e.source === link.source && slotOf(e.sourceHandle) === slotOf(link.sourceHandle);
  const kept = draft.edges.filter((e) => e.id !== replacing && !sameSlot(e));
  const id = replacing ?? freshId(ids(draft), `${link.source}-`);
  return {
    ...draft,
    edges: [...kept, { id, source: link.source, sourceHandle: link.sourceHandle, target: link.target }],
  };
}
