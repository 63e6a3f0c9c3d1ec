import { describe, expect, it } from 'vitest';
import { FIXED_HANDLES, NODE_TYPES, OPTIONAL_HANDLES, type NodeType } from '../../engine/playbook/nodes.js';
import type { DraftNode } from '../../editor/src/canvas/draft.js';
import { hasOutcomes, outcomesOf } from '../../editor/src/canvas/outcomes.js';
import { initialConfigOf } from '../../editor/src/forms/step-schema.js';

// The outcomes a card draws as handles (editor/src/canvas/outcomes.ts), read from the engine's own handle rules,
// for finished steps and for steps a person is half-way through configuring.

const step = (type: NodeType, config: Record<string, unknown>): DraftNode => ({
  id: 's',
  type,
  label: 'S',
  position: { x: 0, y: 0 },
  config,
});
const handles = (node: DraftNode) => outcomesOf(node).map((o) => (o.optional ? `${o.handle}?` : o.handle));

describe('outcomesOf', () => {
  it('follows the engine for every step type with a fixed set of outcomes, optional ones marked', () => {
    for (const type of NODE_TYPES) {
      if (!(type in FIXED_HANDLES)) continue;
      const fixed = FIXED_HANDLES[type as keyof typeof FIXED_HANDLES];
      const optional = (OPTIONAL_HANDLES[type] ?? []).map((h) => `${h}?`);
      expect(handles(step(type, initialConfigOf(type))), type).toEqual([...fixed, ...optional]);
    }
  });

  it('gives a branch its conditions in order, then else; a split its variants', () => {
    const branch = step('branch', {
      conditions: [
        { handle: 'big', when: { field: 'account.mrr', op: 'gt', value: 1000 } },
        { handle: 'mid', when: { field: 'account.mrr', op: 'gt', value: 100 } },
      ],
    });
    expect(handles(branch)).toEqual(['big', 'mid', 'else']);
    const split = step('split', {
      variants: [
        { handle: 'a', percent: 50 },
        { handle: 'b', percent: 50 },
      ],
    });
    expect(handles(split)).toEqual(['a', 'b']);
  });

  it('keeps the outcomes a half-configured step already names, so its connections stay drawn', () => {
    const typing = step('branch', {
      conditions: [{ handle: 'big', when: { field: '', op: 'eq' } }, { handle: '', when: {} }, { nothing: true }],
    });
    expect(handles(typing)).toEqual(['big', 'else']);
    expect(handles(step('split', { variants: 'oops' }))).toEqual([]);
    expect(handles(step('approval', { kind: 'nonsense' }))).toEqual(['approved', 'rejected', 'timeout']);
  });

  it('draws each outcome once even when a config repeats a handle', () => {
    const twice = step('branch', {
      conditions: [
        { handle: 'big', when: { field: 'account.mrr', op: 'gt', value: 1 } },
        { handle: 'big', when: { field: 'account.mrr', op: 'gt', value: 2 } },
      ],
    });
    expect(handles(twice)).toEqual(['big', 'else']);
  });

  it('knows an end step leads nowhere', () => {
    expect(hasOutcomes(step('end', {}))).toBe(false);
    expect(hasOutcomes(step('goal', { name: 'Won' }))).toBe(true);
  });
});
