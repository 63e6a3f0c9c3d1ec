import type { TimelineEntry } from '../../../engine/interpreter/types.js';
import type { Draft } from '../canvas/draft.js';

export interface PreviewPath {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}
export const NO_PATH: PreviewPath = { nodes: new Set(), edges: new Set() };

/** The steps a simulated run went through, and the connections it took between them, for the canvas. */
export function pathOf(timeline: readonly TimelineEntry[], draft: Draft): PreviewPath {
  const nodes = new Set(timeline.map((entry) => entry.nodeId));
  const hops = new Set<string>();
  for (let i = 1; i < timeline.length; i++) {
    const from = timeline[i - 1]!.nodeId;
    const to = timeline[i]!.nodeId;
    if (from !== to) hops.add(`${from}\u0000${to}`);
  }
  const edges = new Set(draft.edges.filter((e) => hops.has(`${e.source}\u0000${e.target}`)).map((e) => e.id));
  return { nodes, edges };
}
