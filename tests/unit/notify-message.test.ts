import { describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import { fillMessage } from '../../engine/playbook/fill-message.js';
import { simulate } from '../../engine/simulator/simulate.js';

// A notify step's message names account data as an email does, and the run fills it from what it knows: the
// preview says the words the CSM will read.

const definition = (message: string) => ({
  schemaVersion: 1,
  key: 'nps-heads-up',
  name: 'NPS heads-up',
  triggers: [{ type: 'event', event: 'nps.answered' }],
  enrollment: { mode: 'everyTime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    { id: 'tell', type: 'notify', label: 'Tell the CSM', config: { channel: 'email', message } },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'tell' },
    { id: 'e2', source: 'tell', target: 'done' },
  ],
});

describe('notify messages', () => {
  it('fill account fields, the trigger and the run’s day, in the preview as in the run', async () => {
    const compiled = compilePlaybook(
      definition('{{ account.name }} answered NPS {{ trigger.data.score }} (day {{ run.day }}, {{ run.playbook }})'),
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const result = await simulate({
      playbook: { ...compiled.playbook, version: 1 },
      account: { id: 'acme', timeZone: 'Europe/Madrid', fields: { name: 'Acme Logística' } },
      trigger: { type: 'event', event: 'nps.answered', data: { score: 4 } },
      startAt: '2027-03-02T10:00:00Z',
    });
    expect(result.timeline.find((e) => e.kind === 'notify')?.summary).toBe(
      'Notify by email: Acme Logística answered NPS 4 (day 0, NPS heads-up)',
    );
  });

  it('leaves nothing where a value is missing or not plain', () => {
    const scope = { account: { name: 'Acme', tags: ['a'] }, run: { playbook: 'P', day: 3 } };
    expect(fillMessage('{{account.name}}|{{ account.tags }}|{{ account.mrr }}|{{ trigger.data.score }}', scope)).toBe(
      'Acme|||',
    );
  });

  it('refuses on the step a filter, an unknown field or a run value it does not offer', () => {
    const compiled = compilePlaybook(
      definition('{{ account.mrr | money }} {{ account.nickname }} {{ run.id }} {{ account.name }}'),
    );
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.issues.map((i) => [i.nodeId, i.code])).toEqual([
      ['tell', 'message_placeholder'],
      ['tell', 'unknown_account_field'],
      ['tell', 'message_placeholder'],
    ]);
    expect(compiled.issues[0]!.message).toContain('{{ account.mrr | money }}');
  });
});
