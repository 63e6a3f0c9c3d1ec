import type { Issue } from '../errors.js';
import { accountFieldVocabulary } from './account-fields.js';
import { canonicalJson, fnv1a64 } from './checksum.js';
import { checkGraph, type Connection, type GraphEdge, type GraphNode } from './graph.js';
import type { CompileContext, CompiledNode, CompiledPlaybook } from './ir.js';
import { FIXED_HANDLES, handlesOf, OPTIONAL_HANDLES, PlaybookNode } from './nodes.js';
import { EnrollmentPolicy, ExitCriterion, PlaybookDefinition } from './schema.js';
import { schemaIssues, valueAt } from './schema-issues.js';
import { checkSemantics } from './semantic-checks.js';
import { Trigger } from './triggers.js';

export type CompileResult = { ok: true; playbook: CompiledPlaybook } | { ok: false; issues: Issue[] };

// Deeper than any real playbook (a condition nested ~25 levels); bounding it keeps recursive validation from
// overflowing the stack on hostile input, so the compiler can promise it never throws.
const MAX_DEPTH = 64;

function deeperThan(input: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value: input, depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= limit) return true;
    for (const child of Object.values(item.value)) pending.push({ value: child, depth: item.depth + 1 });
  }
  return false;
}

function arrayAt(input: unknown, key: string): unknown[] {
  const value = valueAt(input, [key]);
  return Array.isArray(value) ? value : [];
}

function graphNodesOf(input: unknown): GraphNode[] {
  return arrayAt(input, 'nodes').flatMap((raw, index): GraphNode[] => {
    const id = valueAt(raw, ['id']);
    if (typeof id !== 'string') return [];
    const type = valueAt(raw, ['type']);
    const label = valueAt(raw, ['label']);
    const parsed = PlaybookNode.safeParse(raw);
    const fixed =
      typeof type === 'string' && Object.prototype.hasOwnProperty.call(FIXED_HANDLES, type)
        ? FIXED_HANDLES[type as keyof typeof FIXED_HANDLES]
        : undefined;
    return [
      {
        index,
        id,
        type: typeof type === 'string' ? type : undefined,
        name: typeof label === 'string' && label.trim() ? label : id,
        handles: parsed.success ? handlesOf(parsed.data) : fixed,
        optionalHandles:
          typeof type === 'string' && Object.prototype.hasOwnProperty.call(OPTIONAL_HANDLES, type)
            ? OPTIONAL_HANDLES[type as keyof typeof OPTIONAL_HANDLES]
            : undefined,
      },
    ];
  });
}

function graphEdgesOf(input: unknown): GraphEdge[] {
  return arrayAt(input, 'edges').flatMap((raw, index): GraphEdge[] => {
    const [id, source, target, sourceHandle] = ['id', 'source', 'target', 'sourceHandle'].map((key) =>
      valueAt(raw, [key]),
    );
    if (typeof source !== 'string' || typeof target !== 'string') return [];
    // A handle of the wrong type is a schema issue; the edge still counts for reachability, not as a connection.
    const handle =
      sourceHandle === undefined || sourceHandle === null || typeof sourceHandle === 'string' ? sourceHandle : false;
    return [{ index, id: typeof id === 'string' ? id : undefined, source, target, sourceHandle: handle }];
  });
}

/** Parses each element on its own, so one broken element does not hide the checks of the others. */
function validElements<T>(
  input: unknown,
  key: string,
  parse: (raw: unknown) => { success: true; data: T } | { success: false },
) {
  return arrayAt(input, key).flatMap((raw, index) => {
    const parsed = parse(raw);
    return parsed.success ? [{ value: parsed.data, index }] : [];
  });
}

function nextSteps(nodes: readonly PlaybookNode[], connections: readonly Connection[]): CompiledPlaybook['next'] {
  const next: CompiledPlaybook['next'] = Object.fromEntries(nodes.map((node) => [node.id, {}]));
  for (const { source, handle, target } of connections) {
    next[source] = Object.fromEntries([...Object.entries(next[source] ?? {}), [handle, target]]);
  }
  return next;
}

/**
 * Definition → IR. Never throws, whatever `input` is; returns every problem found, not the first.
 * `version` is 0: publishing stamps the real number (it is left out of the checksum for that reason).
 */
export function compilePlaybook(input: unknown, context: CompileContext = {}): CompileResult {
  if (deeperThan(input, MAX_DEPTH)) {
    return {
      ok: false,
      issues: [
        { path: '(root)', code: 'too_deep', message: `The playbook is nested more than ${MAX_DEPTH} levels deep` },
      ],
    };
  }
  const parsed = PlaybookDefinition.safeParse(input);
  const issues: Issue[] = parsed.success ? [] : schemaIssues(parsed.error, input);

  // Without a list of steps there is no graph to check; the schema has already said the list is missing.
  const graph = Array.isArray(valueAt(input, ['nodes']))
    ? checkGraph(graphNodesOf(input), graphEdgesOf(input))
    : { issues: [], startNodeId: undefined, connections: [] };
  issues.push(...graph.issues);

  const enrollment = EnrollmentPolicy.safeParse(valueAt(input, ['enrollment']));
  issues.push(
    ...checkSemantics(
      {
        nodes: validElements(input, 'nodes', (raw) => PlaybookNode.safeParse(raw)).map(({ value, index }) => ({
          node: value,
          index,
        })),
        triggers: validElements(input, 'triggers', (raw) => Trigger.safeParse(raw)).map(({ value, index }) => ({
          trigger: value,
          index,
        })),
        exit: validElements(input, 'exit', (raw) => ExitCriterion.safeParse(raw)).map(({ value, index }) => ({
          exit: value,
          index,
        })),
        enrollment: enrollment.success ? enrollment.data : undefined,
        ...(graph.startNodeId !== undefined &&
          graph.issues.length === 0 && { graph: { startNodeId: graph.startNodeId, connections: graph.connections } }),
      },
      accountFieldVocabulary(context.accountFields),
      context,
    ),
  );

  if (!parsed.success || graph.startNodeId === undefined || issues.length > 0) {
    return {
      ok: false,
      issues: issues.length > 0 ? issues : [{ path: '(root)', code: 'invalid', message: 'The playbook is not valid' }],
    };
  }

  const definition = parsed.data;
  const nodes = Object.fromEntries(
    definition.nodes.map((node): [string, CompiledNode] => {
      const { position: _position, ...step } = node;
      return [node.id, step as CompiledNode];
    }),
  );
  const body = {
    irVersion: 1,
    key: definition.key,
    name: definition.name,
    startNodeId: graph.startNodeId,
    nodes,
    next: nextSteps(definition.nodes, graph.connections),
    triggers: definition.triggers,
    enrollment: definition.enrollment,
    exit: definition.exit,
  };
  // Round-tripping through canonical JSON sorts keys everywhere and drops undefined, so equal playbooks are
  // equal objects and the IR is plain JSON by construction.
  const canonical = canonicalJson(body);
  const normalized = JSON.parse(canonical) as Omit<CompiledPlaybook, 'version' | 'checksum'>;
  return { ok: true, playbook: { ...normalized, version: 0, checksum: fnv1a64(canonical) } };
}
