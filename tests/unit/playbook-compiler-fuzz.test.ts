import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePlaybook, type CompileResult } from '../../engine/playbook/compile.js';
import type { CompileContext } from '../../engine/playbook/ir.js';
import type { PlaybookDefinitionInput } from '../../engine/playbook/schema.js';

const RUNS = 300;
const context: CompileContext = { templates: { welcome: {}, 'offer-sent': {} }, accountFields: { seats: 'number' } };

// A rescue playbook touching the step types whose outcomes are data (approval, branch, split, waitForEvent).
const rescue = {
  schemaVersion: 1,
  key: 'risk-rescue',
  name: 'Risk-triggered rescue',
  triggers: [
    { type: 'riskLevelEntered', level: 'high' },
    { type: 'dateRelative', field: 'renewalDate', offsetDays: -60 },
  ],
  enrollment: { mode: 'everyTime', cooldown: { amount: 30, unit: 'days' } },
  exit: [
    { kind: 'condition', label: 'Back to low risk', when: { field: 'account.riskLevel', op: 'eq', value: 'low' } },
  ],
  nodes: [
    { id: 'start', type: 'trigger', label: 'Risk is high', config: {} },
    {
      id: 'bySegment',
      type: 'branch',
      label: 'Segment?',
      config: {
        conditions: [
          {
            handle: 'human',
            when: {
              any: [
                { field: 'account.segment', op: 'in', value: ['high-touch', 'mid-touch'] },
                { field: 'account.seats', op: 'gt', value: 50 },
              ],
            },
          },
        ],
      },
    },
    {
      id: 'call',
      type: 'task',
      label: 'Call the customer',
      config: { assignee: 'ownerCsm', kind: 'call', title: 'How can we help?', dueIn: { amount: 4, unit: 'hours' } },
    },
    {
      id: 'offer',
      type: 'approval',
      label: 'Offer discount',
      config: { kind: 'discount', title: '15% off', details: 'Renewal', timeout: { amount: 2, unit: 'days' } },
    },
    {
      id: 'sendOffer',
      type: 'email',
      label: 'Send the offer',
      config: { template: 'offer-sent', recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    {
      id: 'ab',
      type: 'split',
      label: 'A/B',
      config: {
        variants: [
          { handle: 'A', percent: 30 },
          { handle: 'B', percent: 70 },
        ],
      },
    },
    {
      id: 'welcomeBack',
      type: 'email',
      label: 'Resources',
      config: { template: 'welcome', recipients: 'allContacts' },
    },
    { id: 'wait', type: 'wait', label: 'Wait 48 h', config: { kind: 'duration', amount: 48, unit: 'hours' } },
    {
      id: 'login',
      type: 'waitForEvent',
      label: 'Logged in?',
      config: { event: 'product.login', timeout: { amount: 7, unit: 'days' } },
    },
    { id: 'escalate', type: 'notify', label: 'Escalate', config: { channel: 'slack', message: 'Rescue failed' } },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'bySegment' },
    { id: 'e2', source: 'bySegment', sourceHandle: 'human', target: 'call' },
    { id: 'e3', source: 'bySegment', sourceHandle: 'else', target: 'ab' },
    { id: 'e4', source: 'call', target: 'offer' },
    { id: 'e5', source: 'offer', sourceHandle: 'approved', target: 'sendOffer' },
    { id: 'e6', source: 'offer', sourceHandle: 'rejected', target: 'wait' },
    { id: 'e7', source: 'offer', sourceHandle: 'timeout', target: 'escalate' },
    { id: 'e8', source: 'sendOffer', target: 'wait' },
    { id: 'e9', source: 'ab', sourceHandle: 'A', target: 'welcomeBack' },
    { id: 'e10', source: 'ab', sourceHandle: 'B', target: 'wait' },
    { id: 'e11', source: 'welcomeBack', target: 'wait' },
    { id: 'e12', source: 'wait', target: 'login' },
    { id: 'e13', source: 'login', sourceHandle: 'received', target: 'done' },
    { id: 'e14', source: 'login', sourceHandle: 'timeout', target: 'bySegment' },
    { id: 'e15', source: 'escalate', target: 'done' },
  ],
} satisfies PlaybookDefinitionInput;

const nodeIds = rescue.nodes.map((node) => node.id);
const handleNames = ['out', 'approved', 'rejected', 'timeout', 'received', 'else', 'human', 'A', 'B', 'nope'];

type Key = string | number;
function pathsOf(value: unknown, prefix: Key[] = []): Key[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsOf(child, path)];
  });
}
const allPaths = pathsOf(rescue);

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'replace', 'wrongType'),
  value: fc.anything({ maxDepth: 3 }),
});
const randomEdge = fc.record({
  id: fc.oneof(fc.constantFrom('e1', 'e7', 'x'), fc.string()),
  source: fc.oneof(fc.constantFrom(...nodeIds), fc.string()),
  target: fc.oneof(fc.constantFrom(...nodeIds), fc.string()),
  sourceHandle: fc.option(fc.constantFrom(...handleNames), { nil: undefined }),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;
type RandomEdge = typeof randomEdge extends fc.Arbitrary<infer T> ? T : never;

function mutate(mutations: Mutation[], edges: RandomEdge[], replaceEdges: boolean): unknown {
  const copy = structuredClone(rescue) as unknown as Record<string, unknown>;
  for (const { at, kind, value } of mutations) {
    const path = allPaths[at % allPaths.length]!;
    let parent: unknown = copy;
    for (const key of path.slice(0, -1))
      parent = typeof parent === 'object' && parent !== null ? (parent as Record<Key, unknown>)[key] : undefined;
    if (typeof parent !== 'object' || parent === null) continue;
    const holder = parent as Record<Key, unknown>;
    const key = path[path.length - 1]!;
    if (kind === 'delete') {
      if (Array.isArray(holder) && typeof key === 'number') holder.splice(key, 1);
      else delete holder[key];
    } else if (kind === 'replace') holder[key] = value;
    else
      holder[key] =
        typeof holder[key] === 'string'
          ? 42
          : typeof holder[key] === 'number'
            ? '42'
            : Array.isArray(holder[key])
              ? {}
              : [];
  }
  if (Array.isArray(copy.edges)) copy.edges = replaceEdges ? edges : [...(copy.edges as unknown[]), ...edges];
  return copy;
}

function inputNodeIds(input: unknown): Set<unknown> {
  const nodes = typeof input === 'object' && input !== null ? (input as { nodes?: unknown }).nodes : undefined;
  return new Set(
    Array.isArray(nodes)
      ? nodes.map((node: unknown) =>
          typeof node === 'object' && node !== null ? (node as { id?: unknown }).id : undefined,
        )
      : [],
  );
}

/** What every answer of the compiler must satisfy, whatever it was given. */
function expectWellFormed(result: CompileResult, input: unknown): void {
  if (!result.ok) {
    expect(result.issues.length).toBeGreaterThan(0);
    const ids = inputNodeIds(input);
    for (const issue of result.issues) {
      expect(typeof issue.message === 'string' && issue.message.trim().length > 0).toBe(true);
      expect(typeof issue.path === 'string' && issue.path.length > 0).toBe(true);
      expect(typeof issue.code === 'string' && issue.code.length > 0).toBe(true);
      if (issue.nodeId !== undefined) expect(ids.has(issue.nodeId)).toBe(true);
    }
    return;
  }
  const ir = result.playbook;
  expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
  // A playbook that compiles can be walked: every outcome leads to a step, and every step is reached.
  const reached = new Set([ir.startNodeId]);
  const queue = [ir.startNodeId];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const target of Object.values(ir.next[id] ?? {})) {
      expect(ir.nodes).toHaveProperty([target]);
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  expect([...reached].sort()).toEqual(Object.keys(ir.nodes).sort());
}

describe('compilePlaybook never throws', () => {
  it('the unmutated fixture compiles (so the mutations start from a valid playbook)', () => {
    const result = compilePlaybook(rescue, context);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('on arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBoxedValues: true,
          withNullPrototype: true,
          withSparseArray: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
        }),
        (input) => expectWellFormed(compilePlaybook(input, context), input),
      ),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary values in the places of a playbook’s top-level fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(rescue)), fc.anything()), (fields) => {
        const input = { ...rescue, ...fields };
        expectWellFormed(compilePlaybook(input, context), input);
      }),
      { numRuns: RUNS },
    );
  });

  it('on mutated versions of a valid playbook (deleted keys, wrong types, random edges)', () => {
    fc.assert(
      fc.property(
        fc.array(mutation, { maxLength: 6 }),
        fc.array(randomEdge, { maxLength: 6 }),
        fc.boolean(),
        (mutations, edges, replaceEdges) => {
          const input = mutate(mutations, edges, replaceEdges);
          const first = compilePlaybook(input, context);
          expectWellFormed(first, input);
          expect(compilePlaybook(input, context)).toEqual(first);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('on random rewirings of every outcome of the valid steps: what compiles is fully walkable', () => {
    // Every (step, outcome) slot of the fixture gets a random target, so many rewirings are complete graphs
    // and some compile; the property then checks the IR, not just the absence of a throw.
    const slots = rescue.edges.map(({ source, sourceHandle }) => ({ source, sourceHandle }));
    let compiled = 0;
    fc.assert(
      fc.property(
        fc.tuple(...slots.map(() => fc.constantFrom(...nodeIds.filter((id) => id !== 'start')))),
        (targets) => {
          const input = { ...rescue, edges: slots.map((slot, i) => ({ id: `r${i}`, ...slot, target: targets[i]! })) };
          const result = compilePlaybook(input, context);
          if (result.ok) compiled++;
          expectWellFormed(result, input);
        },
      ),
      // The fixture's own wiring runs first, so the IR checks run at least once whatever the random draws
      // (without it, a seed whose 300 rewirings all fail to compile made this test fail at random).
      { numRuns: RUNS, examples: [[rescue.edges.map((edge) => edge.target) as never]] },
    );
    expect(compiled).toBeGreaterThan(0);
  });
});
