import { describe, expect, it } from 'vitest';
import { draftFrom, type Draft } from '../../editor/src/canvas/draft.js';
import {
  countChanges,
  describeSettings,
  describeStepChange,
  diffDrafts,
  noChanges,
  sameJson,
} from '../../editor/src/lifecycle/diff.js';

// The draft compared with a published version, as the canvas marks it (editor/src/lifecycle/diff.ts).

const published = (): Draft =>
  draftFrom(
    {
      schemaVersion: 1,
      key: 'diffed',
      name: 'Diffed',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'once' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'wait',
          type: 'wait',
          label: 'Wait 3 days',
          position: { x: 0, y: 150 },
          config: { kind: 'duration', amount: 3, unit: 'days' },
        },
        {
          id: 'fork',
          type: 'branch',
          label: 'Big?',
          position: { x: 0, y: 300 },
          config: { conditions: [{ handle: 'big', when: { field: 'account.mrr', op: 'gt', value: 1000 } }] },
        },
        { id: 'call', type: 'task', label: 'Call', position: { x: -200, y: 450 }, config: { assignee: 'ownerCsm' } },
        { id: 'end', type: 'end', label: 'End', position: { x: 0, y: 600 }, config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', sourceHandle: 'out', target: 'fork' },
        { id: 'e3', source: 'fork', sourceHandle: 'big', target: 'call' },
        { id: 'e4', source: 'fork', sourceHandle: 'else', target: 'end' },
        { id: 'e5', source: 'call', target: 'end' },
      ],
    },
    'diffed',
  );

/** The published draft changed by `edit`, on a deep copy (so the two never share a step). */
const edited = (edit: (d: Draft) => void): Draft => {
  const copy = structuredClone(published());
  edit(copy);
  return copy;
};
const node = (d: Draft, id: string) => d.nodes.find((n) => n.id === id)!;

describe('comparing a draft with a published version', () => {
  it('finds nothing when only positions moved (a tidied-up draft runs the same)', () => {
    const moved = edited((d) => d.nodes.forEach((n, i) => (n.position = { x: i * 300, y: 7 })));
    const diff = diffDrafts(published(), moved);
    expect(noChanges(diff)).toBe(true);
    expect(diff.steps.size).toBe(0);
  });

  it('marks an added step and the connection into it as added', () => {
    const draft = edited((d) => {
      d.nodes.push({ id: 'goal1', type: 'goal', label: 'Goal', position: { x: 0, y: 700 }, config: { name: 'x' } });
      d.edges.push({ id: 'e9', source: 'end', target: 'goal1', sourceHandle: null });
    });
    const diff = diffDrafts(published(), draft);
    expect(diff.steps.get('goal1')).toEqual({ kind: 'added', parts: [] });
    expect(diff.connections.get('e9')).toEqual({ kind: 'added' });
    expect(countChanges(diff).steps).toEqual({ added: 1, changed: 0, removed: 0 });
  });

  it('says which parts of a changed step differ: its label, its settings, its type', () => {
    const draft = edited((d) => {
      node(d, 'wait').label = 'Wait 4 days';
      node(d, 'wait').config = { kind: 'duration', amount: 4, unit: 'days' };
      node(d, 'call').config = { assignee: 'csmManager' };
      node(d, 'end').type = 'goal';
    });
    const diff = diffDrafts(published(), draft);
    expect(diff.steps.get('wait')).toEqual({ kind: 'changed', parts: ['label', 'config'] });
    expect(diff.steps.get('call')).toEqual({ kind: 'changed', parts: ['config'] });
    expect(diff.steps.get('end')).toEqual({ kind: 'changed', parts: ['type'] });
    expect(diff.steps.has('start')).toBe(false);
  });

  it('reads config the way JSON does: key order and undefined properties are no change', () => {
    const draft = edited((d) => {
      node(d, 'wait').config = { unit: 'days', amount: 3, kind: 'duration', atTime: undefined };
    });
    expect(noChanges(diffDrafts(published(), draft))).toBe(true);
  });

  it('keeps a removed step as it was (to draw it ghosted where it stood) with its connections', () => {
    const draft = edited((d) => {
      d.nodes = d.nodes.filter((n) => n.id !== 'call');
      d.edges = d.edges.filter((e) => e.source !== 'call' && e.target !== 'call');
      d.edges.push({ id: 'e6', source: 'fork', sourceHandle: 'big', target: 'end' });
    });
    const diff = diffDrafts(published(), draft);
    expect(diff.removedSteps).toEqual([node(published(), 'call')]);
    expect(diff.removedSteps[0]!.position).toEqual({ x: -200, y: 450 });
    // "big" still leaves the branch, to another step: that connection changed; the call's own is gone.
    expect(diff.connections.get('e6')).toEqual({ kind: 'changed', wasTarget: 'call' });
    expect(diff.removedConnections.map((e) => e.id)).toEqual(['e5']);
    expect(countChanges(diff)).toEqual({
      steps: { added: 0, changed: 0, removed: 1 },
      connections: { added: 0, changed: 1, removed: 1 },
    });
  });

  it('matches connections by what they mean, not by id: a reconnected outcome with a new id is unchanged', () => {
    const draft = edited((d) => {
      d.edges = d.edges.map((e) => (e.id === 'e4' ? { ...e, id: 'fork-1' } : e));
      // Saved without a handle, a wait's connection leaves by its only outcome: the same as "out".
      d.edges = d.edges.map((e) => (e.id === 'e2' ? { ...e, sourceHandle: null } : e));
    });
    expect(noChanges(diffDrafts(published(), draft))).toBe(true);
  });

  it('tells a rerouted outcome from an added one when a step gains an outcome', () => {
    const draft = edited((d) => {
      node(d, 'fork').config = {
        conditions: [
          { handle: 'big', when: { field: 'account.mrr', op: 'gt', value: 1000 } },
          { handle: 'mid', when: { field: 'account.mrr', op: 'gt', value: 100 } },
        ],
      };
      d.edges.push({ id: 'e7', source: 'fork', sourceHandle: 'mid', target: 'call' });
      d.edges = d.edges.map((e) => (e.id === 'e3' ? { ...e, target: 'end' } : e));
    });
    const diff = diffDrafts(published(), draft);
    expect(diff.steps.get('fork')).toEqual({ kind: 'changed', parts: ['config'] });
    expect(diff.connections.get('e7')).toEqual({ kind: 'added' });
    expect(diff.connections.get('e3')).toEqual({ kind: 'changed', wasTarget: 'call' });
    expect(diff.removedConnections).toEqual([]);
  });

  it('names the playbook settings that differ: triggers, enrollment, exit criteria, name, description', () => {
    const draft = edited((d) => {
      d.triggers = [{ type: 'manual' }, { type: 'event', event: 'nps.submitted' }];
      d.enrollment = { mode: 'oneAtATime' };
      d.description = 'Now with a description';
    });
    const { settings } = diffDrafts(published(), draft);
    expect(settings).toEqual(['description', 'triggers', 'enrollment']);
    expect(describeSettings(settings)).toBe('description, triggers, enrollment policy');
  });

  it('says a change in words for the card', () => {
    expect(describeStepChange({ kind: 'changed', parts: ['label', 'config'] })).toBe('Changed: label, settings');
    expect(describeStepChange({ kind: 'added', parts: [] })).toBe('New step');
    expect(describeStepChange({ kind: 'removed', parts: [] })).toBe('Removed');
  });
});

describe('sameJson', () => {
  it('compares values as JSON would serialise them', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameJson({ a: null }, {})).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});
