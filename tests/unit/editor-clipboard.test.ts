import { describe, expect, it } from 'vitest';
import { draftFrom, type Draft } from '../../editor/src/canvas/draft.js';
import { copySelection, pasteSteps } from '../../editor/src/canvas/clipboard.js';

// Copy and paste of steps as versioned JSON (editor/src/canvas/clipboard.ts): within a playbook, into another
// one, and text that is not copied steps.

const playbook = (key: string): Draft =>
  draftFrom(
    {
      key,
      name: key,
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'wait1',
          type: 'wait',
          label: 'Wait 1 day',
          position: { x: 0, y: 150 },
          config: { kind: 'duration', amount: 1, unit: 'days' },
        },
        { id: 'end', type: 'end', label: 'End', position: { x: 0, y: 300 }, config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait1' },
        { id: 'e2', source: 'wait1', target: 'end' },
      ],
    },
    key,
  );

describe('copySelection', () => {
  it('carries the selected steps and only the connections between them, as readable versioned JSON', () => {
    const text = copySelection(playbook('a'), ['wait1', 'end'])!;
    const clip = JSON.parse(text) as { format: string; version: number; nodes: { id: string }[]; edges: unknown[] };
    expect(clip.format).toBe('stayflow/steps');
    expect(clip.version).toBe(1);
    expect(clip.nodes.map((n) => n.id)).toEqual(['wait1', 'end']);
    expect(clip.edges).toEqual([{ id: 'e2', source: 'wait1', target: 'end', sourceHandle: null }]);
    expect(text).toContain('\n  "nodes"');
  });

  it('copies nothing when no step is selected', () => {
    expect(copySelection(playbook('a'), [])).toBeUndefined();
    expect(copySelection(playbook('a'), ['e1'])).toBeUndefined();
  });
});

describe('pasteSteps', () => {
  it('pastes copies under fresh ids, shifted off the originals, with their connection renamed', () => {
    const text = copySelection(playbook('a'), ['wait1', 'end'])!;
    const pasted = pasteSteps(playbook('a'), text)!;
    expect(pasted.ids).toEqual(['wait2', 'end1']);
    const [wait, end] = pasted.draft.nodes.slice(-2);
    expect(wait).toMatchObject({ id: 'wait2', label: 'Wait 1 day', position: { x: 40, y: 190 } });
    expect(end).toMatchObject({ id: 'end1', position: { x: 40, y: 340 } });
    expect(pasted.draft.edges.at(-1)).toEqual({ id: 'wait2-1', source: 'wait2', target: 'end1', sourceHandle: null });
    // Pasting twice makes two copies.
    const again = pasteSteps(pasted.draft, text)!;
    expect(again.ids).toEqual(['wait3', 'end2']);
  });

  it('pastes into another playbook, keeping the ids it can', () => {
    const other = draftFrom({ key: 'b', name: 'b', nodes: [] }, 'b');
    const pasted = pasteSteps(other, copySelection(playbook('a'), ['wait1', 'end'])!, 0)!;
    expect(pasted.draft.key).toBe('b');
    expect(pasted.ids).toEqual(['wait1', 'end1']);
    expect(pasted.draft.nodes[0]!.position).toEqual({ x: 0, y: 150 });
  });

  it('refuses text that is not copied steps, and leaves out steps of a type it does not know', () => {
    const d = playbook('a');
    expect(pasteSteps(d, 'hello')).toBeUndefined();
    expect(pasteSteps(d, JSON.stringify({ nodes: [] }))).toBeUndefined();
    expect(pasteSteps(d, JSON.stringify({ format: 'stayflow/steps', version: 2, nodes: [] }))).toBeUndefined();
    const foreign = JSON.stringify({
      format: 'stayflow/steps',
      version: 1,
      nodes: [
        { id: 'x', type: 'teleport', label: 'X', position: { x: 0, y: 0 }, config: {} },
        { id: 'g', type: 'goal', label: 'Goal', position: { x: 0, y: 0 }, config: { name: 'Won' } },
      ],
      edges: [{ id: 'ex', source: 'x', target: 'g' }],
    });
    const pasted = pasteSteps(d, foreign)!;
    expect(pasted.ids).toEqual(['g1']);
    expect(pasted.draft.edges).toHaveLength(2);
  });
});
