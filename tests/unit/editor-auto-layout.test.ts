import { describe, expect, it } from 'vitest';
import { autoLayout, DEFAULT_SIZE } from '../../editor/src/canvas/auto-layout.js';
import { draftFrom, type Draft } from '../../editor/src/canvas/draft.js';

// Auto-layout with ELK (editor/src/canvas/auto-layout.ts): top to bottom, a branch's outcomes left to right in the
// engine's order whatever order the steps were drawn in, and the same answer every time.

const at = { x: 0, y: 0 };
const branching = (order: string[]): Draft => {
  const steps: Record<string, object> = {
    big: { id: 'big', type: 'task', label: 'Big', position: at, config: {} },
    mid: { id: 'mid', type: 'goal', label: 'Mid', position: at, config: {} },
    small: { id: 'small', type: 'end', label: 'Small', position: at, config: {} },
  };
  return draftFrom(
    {
      key: 'layout',
      name: 'Layout',
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', position: at, config: {} },
        {
          id: 'fork',
          type: 'branch',
          label: 'Size',
          position: at,
          config: {
            conditions: [
              { handle: 'big', when: { field: 'account.mrr', op: 'gt', value: 1000 } },
              { handle: 'mid', when: { field: 'account.mrr', op: 'gt', value: 100 } },
            ],
          },
        },
        ...order.map((id) => steps[id]),
      ],
      edges: [
        { id: 'e0', source: 'start', target: 'fork' },
        // Drawn in the reverse of the outcomes' order.
        { id: 'e3', source: 'fork', sourceHandle: 'else', target: 'small' },
        { id: 'e2', source: 'fork', sourceHandle: 'mid', target: 'mid' },
        { id: 'e1', source: 'fork', sourceHandle: 'big', target: 'big' },
      ],
    },
    'layout',
  );
};

describe('autoLayout', () => {
  it('lays a branch out top to bottom with its outcomes left to right in the engine’s order', async () => {
    for (const order of [
      ['big', 'mid', 'small'],
      ['small', 'mid', 'big'],
    ]) {
      const positions = await autoLayout(branching(order), () => undefined);
      const p = (id: string) => positions.get(id)!;
      expect(p('fork').y, order.join()).toBeGreaterThan(p('start').y + DEFAULT_SIZE.height);
      for (const id of ['big', 'mid', 'small']) expect(p(id).y).toBeGreaterThan(p('fork').y + DEFAULT_SIZE.height);
      expect(p('big').x + DEFAULT_SIZE.width, order.join()).toBeLessThanOrEqual(p('mid').x);
      expect(p('mid').x + DEFAULT_SIZE.width, order.join()).toBeLessThanOrEqual(p('small').x);
    }
  });

  it('gives the same whole-pixel positions every time, using measured sizes where it has them', async () => {
    const draft = branching(['big', 'mid', 'small']);
    const first = await autoLayout(draft, () => undefined);
    expect(await autoLayout(draft, () => undefined)).toEqual(first);
    for (const { x, y } of first.values()) expect([Number.isInteger(x), Number.isInteger(y)]).toEqual([true, true]);
    // A taller fork pushes everything under it further down.
    const tall = await autoLayout(draft, (id) => (id === 'fork' ? { width: 260, height: 400 } : undefined));
    expect(tall.get('big')!.y - first.get('big')!.y).toBe(400 - DEFAULT_SIZE.height);
  });
});
