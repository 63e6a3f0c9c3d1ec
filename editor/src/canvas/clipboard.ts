import type { Draft, DraftEdge, DraftNode } from './draft.js';
import { draftFrom } from './draft.js';
import { freshId } from './edit-ops.js';

// Copy and paste carry versioned JSON (never React Flow's objects), so steps paste between playbooks, between
// browser tabs, and into a text editor for a look.

const FORMAT = 'stayflow/steps';
const VERSION = 1;

interface Clip {
  format: typeof FORMAT;
  version: typeof VERSION;
  nodes: DraftNode[];
  edges: DraftEdge[];
}

/** The selected steps and the connections between them. */
export function copySelection(draft: Draft, nodeIds: readonly string[]): string | undefined {
  const chosen = new Set(nodeIds);
  const nodes = draft.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length === 0) return undefined;
  const edges = draft.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
  const clip: Clip = { format: FORMAT, version: VERSION, nodes, edges };
  return JSON.stringify(clip, null, 2);
}

/**
 * Pastes copied steps with fresh ids (so pasting twice makes two copies), shifted so they do not cover the
 * originals. Answers the new step ids, to select them; undefined when the text is not copied steps.
 */
export function pasteSteps(draft: Draft, text: string, offset = 40): { draft: Draft; ids: string[] } | undefined {
  let clip: Partial<Clip>;
  try {
    clip = JSON.parse(text) as Partial<Clip>;
  } catch {
    return undefined;
  }
  if (clip.format !== FORMAT || clip.version !== VERSION) return undefined;
  // Read through the same lenient reader as a saved draft: unknown step types are left out.
  const parsed = draftFrom({ nodes: clip.nodes, edges: clip.edges }, draft.key);
  const taken = new Set([...draft.nodes.map((n) => n.id), ...draft.edges.map((e) => e.id)]);
  const renamed = new Map<string, string>();
  const nodes = parsed.nodes.map((n) => {
    const id = freshId(taken, n.id.replace(/\d+$/, ''));
    taken.add(id);
    renamed.set(n.id, id);
    return { ...n, id, position: { x: n.position.x + offset, y: n.position.y + offset } };
  });
  const edges = parsed.edges.flatMap((e) => {
    const source = renamed.get(e.source);
    const target = renamed.get(e.target);
    if (!source || !target) return [];
    const id = freshId(taken, `${source}-`);
    taken.add(id);
    return [{ ...e, id, source, target }];
  });
  return {
    draft: { ...draft, nodes: [...draft.nodes, ...nodes], edges: [...draft.edges, ...edges] },
    ids: nodes.map((n) => n.id),
  };
}
