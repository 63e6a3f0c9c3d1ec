import type { PlaybookDefinitionInput } from '../../engine/playbook/schema.js';

/** A small onboarding with one of each decision kind, for interpreter and driver tests. */
export const miniOnboarding: PlaybookDefinitionInput = {
  schemaVersion: 1,
  key: 'mini-onboarding',
  name: 'Mini onboarding',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Purchase', config: {} },
    {
      id: 'welcome',
      type: 'email',
      label: 'Welcome',
      config: { template: 'welcome', recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    { id: 'wait4', type: 'wait', label: 'Wait 4 days', config: { kind: 'duration', amount: 4, unit: 'days' } },
    { id: 'day4', type: 'email', label: 'Day 4 check-in', config: { template: 'day4', recipients: 'primaryContact' } },
    {
      id: 'segment',
      type: 'branch',
      label: 'High touch?',
      config: {
        conditions: [
          { handle: 'human', when: { field: 'account.segment', op: 'in', value: ['high-touch', 'mid-touch'] } },
        ],
      },
    },
    {
      id: 'call',
      type: 'task',
      label: 'Setup call',
      config: {
        assignee: 'ownerCsm',
        kind: 'call',
        title: 'Setup session (60 min)',
        dueIn: { amount: 2, unit: 'businessDays' },
      },
    },
    {
      id: 'value',
      type: 'waitForEvent',
      label: 'First value?',
      config: { event: 'first_value', timeout: { amount: 7, unit: 'days' } },
    },
    { id: 'ttfv', type: 'goal', label: 'First value', config: { name: 'time to first value' } },
    {
      id: 'offer',
      type: 'approval',
      label: 'Offer training',
      config: { kind: 'offer', title: 'Free training session', timeout: { amount: 2, unit: 'days' } },
    },
    {
      id: 'offerMail',
      type: 'email',
      label: 'Training offer',
      config: { template: 'offer', recipients: 'primaryContact' },
    },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'welcome' },
    { id: 'e2', source: 'welcome', target: 'wait4' },
    { id: 'e3', source: 'wait4', target: 'day4' },
    { id: 'e4', source: 'day4', target: 'segment' },
    { id: 'e5', source: 'segment', sourceHandle: 'human', target: 'call' },
    { id: 'e6', source: 'segment', sourceHandle: 'else', target: 'done' },
    { id: 'e7', source: 'call', target: 'value' },
    { id: 'e8', source: 'value', sourceHandle: 'received', target: 'ttfv' },
    { id: 'e9', source: 'value', sourceHandle: 'timeout', target: 'offer' },
    { id: 'e10', source: 'ttfv', target: 'done' },
    { id: 'e11', source: 'offer', sourceHandle: 'approved', target: 'offerMail' },
    { id: 'e12', source: 'offer', sourceHandle: 'rejected', target: 'done' },
    { id: 'e13', source: 'offer', sourceHandle: 'timeout', target: 'done' },
    { id: 'e14', source: 'offerMail', target: 'done' },
  ],
};
