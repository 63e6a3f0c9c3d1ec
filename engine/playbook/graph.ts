import type { Issue } from '../errors.js';
import { NODE_TYPES, WAITING_NODE_TYPES, type NodeType } from './nodes.js';

// Graph checks run on whatever parts of the definition are well-formed enough to have ids, so a playbook with
// a broken email config still hears about its unreachable steps in the same report.

export interface GraphNode {
  index: number;
  id: string;
  type: string | undefined;
  name: string;
  /** Undefined when the step is too broken to know its outcomes; its handle checks are skipped. */
  handles: readonly string[] | undefined;
  /** Outcomes that may be left unconnected (an email's `failed`): unconnected, the run goes on by `out`. */
  optionalHandles?: readonly string[];
}

export interface GraphEdge {
  index: number;
  id: string | undefined;
  source: string;
  target: string;
  /** null/undefined: the step's only exit; false: not a handle at all (already a schema issue). */
  sourceHandle: string | null | undefined | false;
}

/** A connection the compiler accepts, with its handle resolved. */
export interface Connection {
  source: string;
  handle: string;
  target: string;
}

export interface GraphReport {
  issues: Issue[];
  startNodeId: string | undefined;
  connections: Connection[];
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

export function checkGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphReport {
  const issues: Issue[] = [];
  const byId = new Map<string, GraphNode>();
  for (const node of nodes) {
    const first = byId.get(node.id);
    if (first) {
      issues.push({
        nodeId: node.id,
        path: `nodes[${node.index}].id`,
        code: 'duplicate_node_id',
        message: `Steps '${first.name}' and '${node.name}' share the id '${node.id}'; every step needs its own id`,
      });
    } else byId.set(node.id, node);
  }
  const unique = [...byId.values()];

  const starts = unique.filter((node) => node.type === 'trigger');
  const start = starts[0];
  if (!start) {
    issues.push({
      path: 'nodes',
      code: 'missing_start',
      message: 'The playbook has no start step (a step of type trigger)',
    });
  }
  for (const extra of starts.slice(1)) {
    issues.push({
      nodeId: extra.id,
      path: `nodes[${extra.index}]`,
      code: 'multiple_starts',
      message: `'${extra.name}' is a second start step; a playbook has exactly one (add more triggers to the playbook instead)`,
    });
  }

  const edgeIds = new Set<string>();
  const connections: Connection[] = [];
  const taken = new Set<string>();
  // Links used for reachability and loops: every edge between two existing steps, even from a wrong handle,
  // so one mistake does not also make everything downstream "unreachable".
  const links = new Map<string, string[]>();
  for (const edge of edges) {
    const at = `edges[${edge.index}]`;
    if (edge.id !== undefined) {
      if (edgeIds.has(edge.id)) {
        issues.push({
          path: `${at}.id`,
          code: 'duplicate_edge_id',
          message: `Two connections share the id '${edge.id}'`,
        });
      }
      edgeIds.add(edge.id);
    }
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source) {
      issues.push({
        path: `${at}.source`,
        code: 'dangling_edge',
        message: `Connection '${edge.id ?? edge.index + 1}' starts from a step '${edge.source}' that does not exist`,
      });
    }
    if (!target) {
      issues.push({
        ...(source ? { nodeId: source.id } : {}),
        path: `${at}.target`,
        code: 'dangling_edge',
        message: `${source ? `'${source.name}'` : `Connection '${edge.id ?? edge.index + 1}'`} leads to a step '${edge.target}' that does not exist`,
      });
    }
    if (!source || !target) continue;
    links.set(source.id, [...(links.get(source.id) ?? []), target.id]);
    if (!source.handles || edge.sourceHandle === false) continue;

    const handle = resolveHandle(source, edge.sourceHandle, at, issues);
    if (handle === undefined) continue;
    const slot = `${source.id}\u0000${handle}`;
    if (taken.has(slot)) {
      issues.push({
        nodeId: source.id,
        path: at,
        code: 'duplicate_connection',
        message:
          source.handles.length === 1 && handle === source.handles[0]
            ? `'${source.name}' has more than one next step; use a split or a branch to go several ways`
            : `'${source.name}' has more than one connection from its '${handle}' outcome; each outcome leads to one step`,
      });
      continue;
    }
    taken.add(slot);
    connections.push({ source: source.id, handle, target: target.id });
  }

  for (const node of unique) {
    for (const handle of node.handles ?? []) {
      if (taken.has(`${node.id}\u0000${handle}`)) continue;
      issues.push({
        nodeId: node.id,
        path: `nodes[${node.index}]`,
        code: 'unconnected_handle',
        message:
          node.handles?.length === 1
            ? `'${node.name}' does not lead anywhere; connect it to the next step (or to an end step)`
            : `'${node.name}' has no connection for its '${handle}' outcome`,
      });
    }
  }

  if (start) {
    const reached = reachableFrom(start.id, links);
    for (const node of unique) {
      if (reached.has(node.id) || node.type === 'trigger') continue;
      issues.push({
        nodeId: node.id,
        path: `nodes[${node.index}]`,
        code: 'unreachable',
        message: `Step '${node.name}' can never be reached from the start`,
      });
    }
  }

  for (const loop of loopsWithoutWait(unique, links)) {
    const names = loop.map((node) => `'${node.name}'`).join(' → ');
    const first = loop[0];
    if (!first) continue;
    issues.push({
      nodeId: first.id,
      path: `nodes[${first.index}]`,
      code: 'loop_without_wait',
      message: `Steps ${names} form a loop with no wait in it, so an account would go round it forever; add a wait, a wait-for-event or an approval inside the loop`,
    });
  }

  return { issues, startNodeId: start?.id, connections };
}

function resolveHandle(
  source: GraphNode,
  sourceHandle: string | null | undefined,
  at: string,
  issues: Issue[],
): string | undefined {
  const handles = [...(source.handles ?? []), ...(source.optionalHandles ?? [])];
  if (handles.length === 0) {
    issues.push({
      nodeId: source.id,
      path: at,
      code: 'unknown_handle',
      message: `'${source.name}' is an end step; nothing can follow it`,
    });
    return undefined;
  }
  if (sourceHandle === undefined || sourceHandle === null) {
    if (source.handles?.length === 1) return source.handles[0];
    issues.push({
      nodeId: source.id,
      path: `${at}.sourceHandle`,
      code: 'missing_handle',
      message: `A connection from '${source.name}' must say which outcome it follows: ${quoteList(handles)}`,
    });
    return undefined;
  }
  if (!handles.includes(sourceHandle)) {
    issues.push({
      nodeId: source.id,
      path: `${at}.sourceHandle`,
      code: 'unknown_handle',
      message: `'${source.name}' has no outcome '${sourceHandle}'; its outcomes are ${quoteList(handles)}`,
    });
    return undefined;
  }
  return sourceHandle;
}

function reachableFrom(startId: string, links: ReadonlyMap<string, readonly string[]>): Set<string> {
  const reached = new Set([startId]);
  const queue = [startId];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const next of links.get(id) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  return reached;
}

/**
 * Strongly connected components that are loops (more than one step, or a step leading to itself) and hold no
 * waiting step. Iterative Tarjan, so a long chain of steps cannot overflow the stack.
 */
function loopsWithoutWait(nodes: readonly GraphNode[], links: ReadonlyMap<string, readonly string[]>): GraphNode[][] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const loops: GraphNode[][] = [];
  let counter = 0;

  for (const root of nodes) {
    if (order.has(root.id)) continue;
    const work: { id: string; next: number }[] = [{ id: root.id, next: 0 }];
    order.set(root.id, counter);
    low.set(root.id, counter++);
    stack.push(root.id);
    onStack.add(root.id);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const successors = links.get(frame.id) ?? [];
      if (frame.next < successors.length) {
        const next = successors[frame.next++]!;
        if (!order.has(next)) {
          order.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ id: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, order.get(next)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== order.get(frame.id)) continue;
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      const isLoop = component.length > 1 || (links.get(frame.id) ?? []).includes(frame.id);
      if (!isLoop) continue;
      const steps = component.map((id) => byId.get(id)!).sort((a, b) => a.index - b.index);
      // A step whose type is unknown may be a wait; the schema already reports it, so no guess here.
      const mayWait = steps.some(
        (step) => step.type === undefined || !isKnownType(step.type) || WAITING_NODE_TYPES.includes(step.type),
      );
      if (!mayWait) loops.push(steps);
    }
  }
  return loops.sort((a, b) => a[0]!.index - b[0]!.index);
}

const KNOWN_TYPES = new Set<string>(NODE_TYPES);
function isKnownType(type: string): type is NodeType {
  return KNOWN_TYPES.has(type);
}
