import { NODE_TYPES, type NodeType } from '../../../engine/playbook/nodes.js';

// The playbook as it is being drawn. It is the definition JSON itself (what is saved, exported and compiled),
// typed loosely where a person may be half-way through: a step's config is whatever its form holds right now.
// Nothing of the canvas (selection, measured sizes, run counts) lives here.

export interface DraftNode {
  id: string;
  type: NodeType;
  label: string;
  position: { x: number; y: number };
  config: Record<string, unknown>;
}
export interface DraftEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
}
export interface Draft {
  schemaVersion: 1;
  key: string;
  name: string;
  description: string;
  triggers: unknown[];
  enrollment: unknown;
  exit: unknown[];
  nodes: DraftNode[];
  edges: DraftEdge[];
}

const KNOWN = new Set<string>(NODE_TYPES);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);

/**
 * Reads a saved or imported definition into a draft. Steps of an unknown type or without an id cannot be drawn
 * and are left out; everything else is kept as it is, however unfinished, for the compiler to judge.
 */
export function draftFrom(raw: unknown, key: string): Draft {
  const input = isRecord(raw) ? raw : {};
  const nodes = (Array.isArray(input.nodes) ? input.nodes : []).flatMap((node, index): DraftNode[] => {
    if (!isRecord(node) || typeof node.id !== 'string' || typeof node.type !== 'string' || !KNOWN.has(node.type))
      return [];
    const position = isRecord(node.position) ? node.position : {};
    return [
      {
        id: node.id,
        type: node.type as NodeType,
        label: text(node.label, node.id),
        position: {
          x: typeof position.x === 'number' ? position.x : 0,
          y: typeof position.y === 'number' ? position.y : index * 120,
        },
        config: isRecord(node.config) ? node.config : {},
      },
    ];
  });
  const edges = (Array.isArray(input.edges) ? input.edges : []).flatMap((edge, index): DraftEdge[] => {
    if (!isRecord(edge) || typeof edge.source !== 'string' || typeof edge.target !== 'string') return [];
    const handle = typeof edge.sourceHandle === 'string' ? edge.sourceHandle : null;
    return [{ id: text(edge.id, `e${index + 1}`), source: edge.source, target: edge.target, sourceHandle: handle }];
  });
  return {
    schemaVersion: 1,
    key: text(input.key, key),
    name: text(input.name, key),
    description: text(input.description, ''),
    triggers: Array.isArray(input.triggers) ? input.triggers : [],
    enrollment: input.enrollment ?? { mode: 'once' },
    exit: Array.isArray(input.exit) ? input.exit : [],
    nodes,
    edges,
  };
}

/** The definition JSON of a draft: what is saved, compiled and exported. `null` handles are left out. */
export function definitionOf(draft: Draft): Record<string, unknown> {
  return {
    ...draft,
    edges: draft.edges.map(({ sourceHandle, ...edge }) => (sourceHandle ? { ...edge, sourceHandle } : edge)),
  };
}
