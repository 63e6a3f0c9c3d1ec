import { describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import { NODE_TYPES, PlaybookNode } from '../../engine/playbook/nodes.js';
import { definitionOf, draftFrom, type Draft } from '../../editor/src/canvas/draft.js';
import { addStep, connect, freshId, moveSteps, removeElements, updateStep } from '../../editor/src/canvas/edit-ops.js';

// The editor's edits as pure functions of the draft (editor/src/canvas/edit-ops.ts) and the reader that turns a
// saved or imported definition into a draft (draft.ts).

const base = (): Draft =>
  draftFrom(
    {
      schemaVersion: 1,
      key: 'ops',
      name: 'Ops',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'once' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'ask',
          type: 'approval',
          label: 'Ask',
          position: { x: 0, y: 150 },
          config: { kind: 'offer', title: 'Offer', timeout: { amount: 2, unit: 'days' } },
        },
        {
          id: 'mail',
          type: 'email',
          label: 'Mail',
          position: { x: 0, y: 300 },
          config: { template: 'welcome', recipients: 'primaryContact' },
        },
        { id: 'end', type: 'end', label: 'End', position: { x: 0, y: 450 }, config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'ask' },
        { id: 'e2', source: 'ask', sourceHandle: 'approved', target: 'mail' },
        { id: 'e3', source: 'mail', target: 'end' },
      ],
    },
    'ops',
  );

const targets = (d: Draft, source: string) =>
  d.edges.filter((e) => e.source === source).map((e) => [e.sourceHandle ?? null, e.target]);

describe('freshId', () => {
  it('numbers the first free id after a readable stem, and cleans what an id may not hold', () => {
    expect(freshId(new Set(), 'wait')).toBe('wait1');
    expect(freshId(new Set(['wait1', 'wait2']), 'wait')).toBe('wait3');
    expect(freshId(new Set(), 'día de espera!')).toBe('dadeespera1');
    expect(freshId(new Set(), '***')).toBe('step1');
  });
});

describe('addStep', () => {
  it('adds a step of every node type with the schema’s starting config, under an id of its type', () => {
    for (const type of NODE_TYPES) {
      const { draft, id } = addStep(base(), type, { x: 10, y: 20 });
      const added = draft.nodes.at(-1)!;
      expect(added).toMatchObject({ id, type, position: { x: 10, y: 20 } });
      expect(id.startsWith(type)).toBe(true);
      expect(added.label.length, type).toBeGreaterThan(0);
      expect(typeof added.config, type).toBe('object');
    }
    // A wait starts as a valid wait; a start and an end need nothing more.
    for (const type of ['wait', 'trigger', 'end'] as const) {
      const node = addStep(base(), type, { x: 0, y: 0 }).draft.nodes.at(-1)!;
      expect(PlaybookNode.safeParse(node).success, type).toBe(true);
    }
  });

  it('never reuses an id held by a step or a connection, and leaves the original draft alone', () => {
    const before = base();
    const once = addStep(before, 'end', { x: 0, y: 0 });
    const twice = addStep(once.draft, 'end', { x: 0, y: 0 });
    expect([once.id, twice.id]).toEqual(['end1', 'end2']);
    expect(before.nodes).toHaveLength(4);
  });
});

describe('updateStep and moveSteps', () => {
  it('changes one step and keeps every other step the same object (memoised cards skip them)', () => {
    const before = base();
    const after = updateStep(before, 'mail', { label: 'Welcome' });
    expect(after.nodes.find((n) => n.id === 'mail')!.label).toBe('Welcome');
    expect(after.nodes.filter((n) => n.id !== 'mail')).toEqual(before.nodes.filter((n) => n.id !== 'mail'));
    expect(after.nodes[0]).toBe(before.nodes[0]);
  });

  it('moves steps, answering the same draft when nothing moved (no empty undo step)', () => {
    const before = base();
    expect(moveSteps(before, new Map())).toBe(before);
    const moved = moveSteps(before, new Map([['ask', { x: 5, y: 6 }]]));
    expect(moved.nodes[1]!.position).toEqual({ x: 5, y: 6 });
    expect(moved.nodes[0]).toBe(before.nodes[0]);
    const same = moveSteps(before, new Map([['ask', { x: 0, y: 150 }]]));
    expect(same.nodes[1]).toBe(before.nodes[1]);
  });
});

describe('removeElements', () => {
  it('removes steps with every connection into or out of them, and connections on their own', () => {
    const d = removeElements(base(), ['mail'], []);
    expect(d.nodes.map((n) => n.id)).toEqual(['start', 'ask', 'end']);
    expect(d.edges.map((e) => e.id)).toEqual(['e1']);
    expect(removeElements(base(), [], ['e1']).edges.map((e) => e.id)).toEqual(['e2', 'e3']);
    const before = base();
    expect(removeElements(before, [], [])).toBe(before);
  });
});

describe('connect', () => {
  it('gives an outcome one destination: connecting it again replaces the old connection', () => {
    const d = connect(base(), { source: 'ask', sourceHandle: 'approved', target: 'end' });
    expect(targets(d, 'ask')).toEqual([['approved', 'end']]);
  });

  it('keeps other outcomes of the same step, and an optional outcome beside the main one', () => {
    let d = connect(base(), { source: 'ask', sourceHandle: 'rejected', target: 'end' });
    expect(targets(d, 'ask')).toEqual([
      ['approved', 'mail'],
      ['rejected', 'end'],
    ]);
    d = connect(d, { source: 'mail', sourceHandle: 'failed', target: 'ask' });
    expect(targets(d, 'mail')).toEqual([
      [null, 'end'],
      ['failed', 'ask'],
    ]);
  });

  it('reads a connection without a handle as the step’s only outcome, as the compiler does', () => {
    const d = connect(base(), { source: 'mail', sourceHandle: 'out', target: 'ask' });
    expect(targets(d, 'mail')).toEqual([['out', 'ask']]);
  });

  it('refuses a step connected to itself, and keeps the id of a reconnected connection', () => {
    const before = base();
    expect(connect(before, { source: 'ask', sourceHandle: 'approved', target: 'ask' })).toBe(before);
    const d = connect(before, { source: 'ask', sourceHandle: 'approved', target: 'end' }, 'e2');
    expect(d.edges.find((e) => e.id === 'e2')).toEqual({
      id: 'e2',
      source: 'ask',
      sourceHandle: 'approved',
      target: 'end',
    });
    const fresh = connect(before, { source: 'ask', sourceHandle: 'timeout', target: 'end' });
    expect(fresh.edges.at(-1)!.id).toBe('ask-1');
  });
});

describe('draftFrom and definitionOf', () => {
  it('reads a half-finished definition leniently: unknown steps left out, the rest kept for the compiler', () => {
    const d = draftFrom(
      {
        name: 'Half',
        nodes: [
          { id: 'a', type: 'wait', config: { amount: 'soon' } },
          { id: 'b', type: 'teleport' },
          { type: 'end' },
          'junk',
        ],
        edges: [{ source: 'a', target: 'z' }, { source: 'a' }],
      },
      'half',
    );
    expect(d).toMatchObject({ key: 'half', name: 'Half', description: '', triggers: [], exit: [] });
    expect(d.enrollment).toEqual({ mode: 'once' });
    expect(d.nodes).toEqual([
      { id: 'a', type: 'wait', label: 'a', position: { x: 0, y: 0 }, config: { amount: 'soon' } },
    ]);
    expect(d.edges).toEqual([{ id: 'e1', source: 'a', target: 'z', sourceHandle: null }]);
    expect(draftFrom(null, 'empty').nodes).toEqual([]);
  });

  it('writes back a definition the compiler accepts, without null handles', () => {
    const definition = definitionOf(base());
    expect((definition.edges as object[])[0]).toEqual({ id: 'e1', source: 'start', target: 'ask' });
    expect((definition.edges as object[])[1]).toMatchObject({ sourceHandle: 'approved' });
    const compiled = compilePlaybook(
      definitionOf(connect(base(), { source: 'ask', sourceHandle: 'rejected', target: 'end' })),
      { templates: { welcome: { variables: [] } } },
    );
    // Only the approval's timeout is left unconnected.
    expect(compiled.ok ? [] : compiled.issues.map((i) => i.nodeId)).toEqual(['ask']);
  });
});
