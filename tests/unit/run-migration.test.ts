import { describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { migrationRefusal, planNodeMap, runMove } from '../../engine/playbook/migration.js';

// Which step of version 2 each step of version 1 becomes, and which runs may move: the same functions answer the
// dry run (server) and the run's own check (its migrateRun update's validator).

const definition = (followUp: { id: string; type?: 'email' | 'task' }) => ({
  schemaVersion: 1,
  key: 'migration-unit',
  name: 'Migration',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    { id: 'wait', type: 'wait', label: 'Wait a day', config: { kind: 'duration', amount: 1, unit: 'days' } },
    followUp.type === 'task'
      ? {
          id: followUp.id,
          type: 'task',
          label: 'Call',
          config: { assignee: 'ownerCsm', kind: 'call', title: 'Call', dueIn: { amount: 1, unit: 'days' } },
        }
      : { id: followUp.id, type: 'email', label: 'Follow-up', config: { template: 'f', recipients: 'primaryContact' } },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: followUp.id },
    { id: 'e3', source: followUp.id, target: 'done' },
  ],
});

function compiled(version: number, followUp: { id: string; type?: 'email' | 'task' }): CompiledPlaybook {
  const result = compilePlaybook(definition(followUp));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version };
}

describe('mapping the steps of one version to the next', () => {
  const v1 = compiled(1, { id: 'followUp' });

  it('maps steps that keep their id and type by themselves, and nothing else', () => {
    const v2 = compiled(2, { id: 'followUpV2' });
    const plan = planNodeMap(v1, v2);
    expect(plan.map).toEqual({ wait: 'wait', done: 'done' });
    expect(plan.problems).toEqual([
      { nodeId: 'followUp', message: expect.stringContaining('version 2 has no step followUp') },
    ]);
    expect(planNodeMap(v1, v2, { followUp: 'followUpV2' })).toMatchObject({
      map: { wait: 'wait', followUp: 'followUpV2', done: 'done' },
      how: { wait: 'same id', followUp: 'by hand', done: 'same id' },
      problems: [],
    });
  });

  it('asks for a hand mapping when a step keeps its id but changes its type', () => {
    const v2 = compiled(2, { id: 'followUp', type: 'task' });
    expect(planNodeMap(v1, v2).problems).toEqual([
      { nodeId: 'followUp', message: expect.stringContaining('is a email step but version 2') },
    ]);
    expect(planNodeMap(v1, v2, { followUp: 'followUp' }).problems).toEqual([]);
  });

  it('refuses mappings to steps that do not exist, or back to the start', () => {
    const v2 = compiled(2, { id: 'followUp' });
    const problems = planNodeMap(v1, v2, { followUp: 'nowhere', wait: 'start', ghost: 'wait' }).problems;
    expect(problems.map((p) => p.nodeId).sort()).toEqual(['followUp', 'ghost', 'wait']);
  });

  it('moves a run only when every step it may reach next is mapped', () => {
    const v2 = compiled(2, { id: 'followUpV2' });
    const partial = planNodeMap(v1, v2).map;
    expect(runMove(v1, v2, partial, 'wait').refused).toMatch(/not mapped: 'Follow-up' \(followUp\)/);
    // A run past the renamed step is not held back by it.
    expect(runMove(v1, v2, partial, 'followUp').refused).toBeUndefined();
    const full = planNodeMap(v1, v2, { followUp: 'followUpV2' }).map;
    expect(runMove(v1, v2, full, 'wait')).toEqual({
      nodeId: 'wait',
      label: 'Wait a day',
      movesTo: { nodeId: 'wait', label: 'Wait a day' },
    });
  });

  it('is refused by the run itself when it is ending, already moving, or not going forward', () => {
    const v2 = compiled(2, { id: 'followUp' });
    const request = { playbook: v2, nodeMap: planNodeMap(v1, v2).map };
    const ok = { ending: false, alreadyMoving: false };
    expect(migrationRefusal(v1, request, 'wait', ok)).toBeUndefined();
    expect(migrationRefusal(v1, request, 'wait', { ...ok, ending: true })).toBe('the run is ending');
    expect(migrationRefusal(v1, request, 'wait', { ...ok, alreadyMoving: true })).toMatch(/already moving/);
    expect(migrationRefusal(v2, { playbook: v1, nodeMap: {} }, 'wait', ok)).toMatch(/only move to a newer one/);
    expect(migrationRefusal(v1, { ...request, playbook: { ...v2, key: 'other' } }, 'wait', ok)).toMatch(/not 'other'/);
  });
});
