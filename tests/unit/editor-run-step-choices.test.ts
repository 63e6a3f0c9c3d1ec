import { describe, expect, it } from 'vitest';
import { stepChoices } from '../../editor/src/ops/runs/playbook-steps.js';

// The runs page's step filters offer a playbook's steps by label, over the versions its runs may follow.

const node = (id: string, type: string, label: string) => ({ id, type, label, config: {} });

describe('the steps the runs page offers to filter by', () => {
  it('joins the versions, newest label first, the newest version’s order first, triggers left out', () => {
    const v2 = {
      nodes: [node('start', 'trigger', 'Start'), node('call', 'task', 'Kickoff call'), node('done', 'end', 'Done')],
    };
    const v1 = {
      nodes: [
        node('start', 'trigger', 'Start'),
        node('call', 'task', 'Call them'),
        node('pause', 'wait', 'Wait a week'),
        node('done', 'end', 'Done'),
      ],
    };
    expect(stepChoices([v2, v1])).toEqual([
      { id: 'call', label: 'Kickoff call', recorded: true },
      { id: 'done', label: 'Done', recorded: false },
      { id: 'pause', label: 'Wait a week', recorded: false },
    ]);
  });

  it('tells two steps of one label apart by their ids', () => {
    const steps = stepChoices([{ nodes: [node('a', 'email', 'Check in'), node('b', 'email', 'Check in')] }]);
    expect(steps.map((s) => s.label)).toEqual(['Check in (a)', 'Check in (b)']);
  });
});
