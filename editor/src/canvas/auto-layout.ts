import type { ELK as ElkLayout, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { Draft } from './draft.js';
import { outcomesOf } from './outcomes.js';

export interface Size {
  width: number;
  height: number;
}
export const DEFAULT_SIZE: Size = { width: 260, height: 96 };

/** Where a step's outcome handles sit along its bottom edge, left to right in the engine's order. */
export const handleOffset = (index: number, count: number) => (index + 1) / (count + 1);

/**
 * Lays the playbook out top-down with ELK's layered algorithm. Ports are pinned where the card draws its
 * handles (FIXED_POS), so a branch's outcomes keep their order and "yes" never swaps sides with "no".
 * ELK loads on first use: most sessions never ask for a layout.
 */
export async function autoLayout(
  draft: Draft,
  sizeOf: (id: string) => Size | undefined,
): Promise<Map<string, { x: number; y: number }>> {
  const loaded: unknown = (await import('elkjs/lib/elk.bundled.js')).default;
  // elkjs is CommonJS typed as an ES module: a bundler hands over its constructor as the default export, while
  // Node's module resolution (the unit tests) types it one `default` deeper. Both are the same constructor.
  const ELK = (typeof loaded === 'function' ? loaded : (loaded as { default: unknown }).default) as new () => ElkLayout;
  const elk = new ELK();
  const ports = new Set<string>();
  const children: ElkNode[] = draft.nodes.map((node) => {
    const size = sizeOf(node.id) ?? DEFAULT_SIZE;
    const outcomes = outcomesOf(node);
    const nodePorts = [
      { id: `${node.id}\u0000in`, x: size.width / 2, y: 0, layoutOptions: { 'elk.port.side': 'NORTH' } },
      ...outcomes.map((o, i) => ({
        id: `${node.id}\u0000${o.handle}`,
        x: size.width * handleOffset(i, outcomes.length),
        y: size.height,
        layoutOptions: { 'elk.port.side': 'SOUTH' },
      })),
    ];
    for (const p of nodePorts) ports.add(p.id);
    return { id: node.id, ...size, ports: nodePorts, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } };
  });
  const nodeIds = new Set(draft.nodes.map((n) => n.id));
  const edges: ElkExtendedEdge[] = draft.edges.flatMap((edge) => {
    if (!nodeIds.has(edge.source) || !nodeIds.has(edge.target)) return [];
    const source = draft.nodes.find((n) => n.id === edge.source)!;
    const handle = edge.sourceHandle ?? outcomesOf(source)[0]?.handle;
    const sourcePort = `${edge.source}\u0000${handle}`;
    const targetPort = `${edge.target}\u0000in`;
    return [{ id: edge.id, sources: [ports.has(sourcePort) ? sourcePort : edge.source], targets: [targetPort] }];
  });
  const laid = await elk.layout({
    id: 'playbook',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '60',
      'elk.layered.spacing.edgeNodeBetweenLayers': '30',
      // Keep the drawing's order where ELK has a free choice, so a re-layout does not shuffle siblings.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.edgeRouting': 'ORTHOGONAL',
    },
    children,
    edges,
  });
  return new Map(
    (laid.children ?? []).map((child) => [child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) }]),
  );
}
