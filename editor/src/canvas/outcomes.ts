import {
  FIXED_HANDLES,
  handlesOf,
  OPTIONAL_HANDLES,
  PlaybookNode,
  type NodeType,
} from '../../../engine/playbook/nodes.js';
import type { DraftNode } from './draft.js';

export interface Outcome {
  handle: string;
  /** May be left unconnected (an email's `failed`): unconnected, the run goes on by `out`. */
  optional: boolean;
}

const fixedHandles = (type: NodeType): readonly string[] =>
  Object.prototype.hasOwnProperty.call(FIXED_HANDLES, type) ? FIXED_HANDLES[type as keyof typeof FIXED_HANDLES] : [];

/**
 * The outcomes a step leaves by, in the engine's order (branch conditions then `else`; split variants), plus its
 * optional ones. A step still being configured keeps the outcomes its config already names, so its connections
 * stay drawn while a person types.
 */
export function outcomesOf(node: DraftNode): Outcome[] {
  const optional = (OPTIONAL_HANDLES[node.type] ?? []).map((handle) => ({ handle, optional: true }));
  const parsed = PlaybookNode.safeParse(node);
  let required: readonly string[];
  if (parsed.success) required = handlesOf(parsed.data);
  else {
    try {
      // handlesOf reads only the handle names of conditions and variants; give it the ones that are there.
      const config = node.config;
      const named = (list: unknown) =>
        Array.isArray(list)
          ? list.filter(
              (item): item is { handle: string } =>
                typeof (item as { handle?: unknown })?.handle === 'string' &&
                (item as { handle: string }).handle !== '',
            )
          : [];
      const lenient = {
        ...node,
        config: { ...config, conditions: named(config.conditions), variants: named(config.variants) },
      };
      required = handlesOf(lenient as unknown as PlaybookNode);
    } catch {
      required = fixedHandles(node.type);
    }
  }
  const seen = new Set<string>();
  return [...required.map((handle) => ({ handle, optional: false })), ...optional].filter(({ handle }) =>
    seen.has(handle) ? false : (seen.add(handle), true),
  );
}

/** Whether anything can follow this step (an end step has no outcomes). */
export const hasOutcomes = (node: DraftNode) => outcomesOf(node).length > 0;
