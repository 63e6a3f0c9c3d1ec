import type { CompiledPlaybook } from './ir.js';

// Moving running accounts from one published version to the next: which step of the new version each step of the
// old one becomes. Pure, so the dry run (server), the run's own check (workflow validator) and the editor agree.

/** nodeMap[oldNodeId] = the new version's node a run there continues at. */
export type NodeMap = Record<string, string>;

export interface NodeMapProblem {
  nodeId: string;
  message: string;
}

export interface NodeMapPlan {
  map: NodeMap;
  /** How each step was mapped: by its id, by hand, or not at all (a problem). */
  how: Record<string, 'same id' | 'by hand'>;
  problems: NodeMapProblem[];
}

const describe = (playbook: CompiledPlaybook, nodeId: string) =>
  `'${playbook.nodes[nodeId]?.label ?? nodeId}' (${nodeId})`;

/**
 * The mapping from `from` to `to`: automatic where a step keeps its id and its type, else what `overrides` say.
 * Every step of the old version a run could move to must map to a step of the new one; the start step (a run
 * never returns to it) needs none. An override to a step of another type is allowed (that is often the point of
 * the change) but named, so the dry run shows it.
 */
export function planNodeMap(from: CompiledPlaybook, to: CompiledPlaybook, overrides: NodeMap = {}): NodeMapPlan {
  const map: NodeMap = {};
  const how: NodeMapPlan['how'] = {};
  const problems: NodeMapProblem[] = [];
  for (const [oldId, target] of Object.entries(overrides)) {
    if (!from.nodes[oldId]) problems.push({ nodeId: oldId, message: `version ${from.version} has no step ${oldId}` });
    else if (!to.nodes[target])
      problems.push({ nodeId: oldId, message: `version ${to.version} has no step ${target} to map ${oldId} to` });
    else if (to.nodes[target]!.type === 'trigger')
      problems.push({ nodeId: oldId, message: `a run cannot be moved back to the start step ${target}` });
  }
  for (const [oldId, node] of Object.entries(from.nodes)) {
    if (oldId === from.startNodeId) continue;
    const chosen = overrides[oldId];
    if (chosen !== undefined) {
      if (to.nodes[chosen] && to.nodes[chosen]!.type !== 'trigger') {
        map[oldId] = chosen;
        how[oldId] = 'by hand';
      }
      continue;
    }
    const same = to.nodes[oldId];
    if (same && same.type === node.type) {
      map[oldId] = oldId;
      how[oldId] = 'same id';
    } else {
      problems.push({
        nodeId: oldId,
        message: same
          ? `${describe(from, oldId)} is a ${node.type} step but version ${to.version}'s ${oldId} is a ${same.type} step: map it by hand`
          : `version ${to.version} has no step ${oldId}: map ${describe(from, oldId)} to one of its steps by hand`,
      });
    }
  }
  return { map, how, problems };
}

/** Where one run stands now and where it continues after the move; `refused` says why it would not be moved. */
export interface RunMove {
  nodeId: string;
  label: string;
  /** The new version's step this run's current step counts as. */
  movesTo?: { nodeId: string; label: string };
  refused?: string;
}

/**
 * A run moves at its next step boundary: the step it stands on finishes as it began (a wait keeps its planned
 * end), and the run continues in the new version at the mapped step of whatever came next. It is refused when a
 * step it may go to next has no mapping.
 */
export function runMove(from: CompiledPlaybook, to: CompiledPlaybook, map: NodeMap, nodeId: string): RunMove {
  const label = from.nodes[nodeId]?.label ?? nodeId;
  if (!from.nodes[nodeId]) return { nodeId, label, refused: `version ${from.version} has no step ${nodeId}` };
  const unmapped = Object.values(from.next[nodeId] ?? {}).filter((next) => map[next] === undefined);
  if (unmapped.length > 0) {
    return {
      nodeId,
      label,
      refused: `the steps it may go to next are not mapped: ${unmapped.map((n) => describe(from, n)).join(', ')}`,
    };
  }
  const target = map[nodeId];
  return {
    nodeId,
    label,
    ...(target !== undefined && { movesTo: { nodeId: target, label: to.nodes[target]?.label ?? target } }),
  };
}

/** Why a run refuses to move (its update's validator), or undefined when it takes the request. */
export function migrationRefusal(
  current: CompiledPlaybook,
  request: { playbook: CompiledPlaybook; nodeMap: NodeMap },
  nodeId: string,
  state: { ending: boolean; alreadyMoving: boolean },
): string | undefined {
  if (state.ending) return 'the run is ending';
  if (state.alreadyMoving) return 'the run is already moving to another version';
  if (request.playbook.key !== current.key)
    return `the run is in playbook '${current.key}', not '${request.playbook.key}'`;
  if (request.playbook.version <= current.version)
    return `the run is on version ${current.version}; it can only move to a newer one`;
  return runMove(current, request.playbook, request.nodeMap, nodeId).refused;
}
