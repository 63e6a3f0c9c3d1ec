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

// Loose enough for tests to break a playbook in any way they like.
export interface Draft {
  nodes: {
    id: string;
    type: string;
    label: string;
    position?: { x: number; y: number };
    config: Record<string, unknown>;
  }[];
  edges: { id: string; source: string; sourceHandle?: string | null; target: string }[];
  triggers: Record<string, unknown>[];
  [key: string]: unknown;
}

// An onboarding playbook that uses every step type (and every kind of wait).
export function everyStepType(): Draft {
  const playbook = {
    schemaVersion: 1,
    key: 'onboarding-30d',
    name: 'Onboarding, day 0–30',
    triggers: [
      { type: 'event', event: 'subscription.created', filter: { field: 'event.plan', op: 'neq', value: 'free' } },
      { type: 'dateRelative', field: 'renewalDate', offsetDays: -120 },
      { type: 'manual' },
    ],
    enrollment: { mode: 'once' },
    exit: [{ kind: 'event', label: 'First value', event: 'first_value', goal: { name: 'Time to first value' } }],
    nodes: [
      { id: 'start', type: 'trigger', label: 'Purchase', position: { x: 0, y: 0 }, config: {} },
      {
        id: 'welcome',
        type: 'email',
        label: 'Welcome email',
        config: { template: 'welcome', recipients: 'primaryContact' },
      },
      {
        id: 'setup',
        type: 'task',
        label: 'Setup session',
        config: {
          assignee: 'ownerCsm',
          kind: 'meeting',
          title: 'Book the 60-minute setup',
          dueIn: { amount: 3, unit: 'businessDays' },
        },
      },
      { id: 'wait2d', type: 'wait', label: 'Wait 2 days', config: { kind: 'duration', amount: 2, unit: 'days' } },
      {
        id: 'bySegment',
        type: 'branch',
        label: 'Segment?',
        config: {
          conditions: [
            {
              handle: 'highTouch',
              when: {
                all: [
                  { field: 'account.segment', op: 'eq', value: 'high-touch' },
                  { field: 'account.seats', op: 'gte', value: 10 },
                ],
              },
            },
          ],
        },
      },
      {
        id: 'offer',
        type: 'approval',
        label: 'Offer discount',
        config: {
          kind: 'discount',
          title: '10% off the first renewal',
          details: '',
          timeout: { amount: 2, unit: 'days' },
        },
      },
      {
        id: 'crm',
        type: 'webhook',
        label: 'Tell the CRM',
        config: { url: 'https://crm.example.com/hooks/offer', method: 'POST', body: { offer: 10 } },
      },
      {
        id: 'notifyCsm',
        type: 'notify',
        label: 'Tell the CSM',
        config: { channel: 'slack', message: 'Offer not approved' },
      },
      {
        id: 'awaitValue',
        type: 'waitForEvent',
        label: 'First value?',
        config: {
          event: 'first_value',
          filter: { not: { field: 'event.source', op: 'eq', value: 'import' } },
          timeout: { amount: 7, unit: 'days' },
        },
      },
      {
        id: 'day4',
        type: 'email',
        label: 'Day 4 check-in',
        config: {
          template: 'day4-check-in',
          recipients: 'allContacts',
          sendWindow: { days: ['mon', 'tue'], from: '09:00', to: '17:00' },
        },
      },
      {
        id: 'ab',
        type: 'split',
        label: 'A/B',
        config: {
          variants: [
            { handle: 'A', percent: 50 },
            { handle: 'B', percent: 50 },
          ],
        },
      },
      {
        id: 'untilRenewal',
        type: 'wait',
        label: 'Until 90 days before renewal',
        config: { kind: 'untilDate', field: 'renewalDate', offsetDays: -90, atTime: '09:00' },
      },
      {
        id: 'nextMonday',
        type: 'wait',
        label: 'Next Monday 09:00',
        config: { kind: 'nextWeekday', weekday: 'mon', time: '09:00' },
      },
      {
        id: 'markStage',
        type: 'updateField',
        label: 'Mark adopting',
        config: { field: 'lifecycleStage', value: 'adopting' },
      },
      { id: 'reachedValue', type: 'goal', label: 'Reached value', config: { name: 'first value' } },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'welcome' },
      { id: 'e2', source: 'welcome', sourceHandle: null, target: 'setup' },
      { id: 'e3', source: 'setup', target: 'wait2d' },
      { id: 'e4', source: 'wait2d', sourceHandle: 'out', target: 'bySegment' },
      { id: 'e5', source: 'bySegment', sourceHandle: 'highTouch', target: 'offer' },
      { id: 'e6', source: 'bySegment', sourceHandle: 'else', target: 'awaitValue' },
      { id: 'e7', source: 'offer', sourceHandle: 'approved', target: 'crm' },
      { id: 'e8', source: 'offer', sourceHandle: 'rejected', target: 'notifyCsm' },
      { id: 'e9', source: 'offer', sourceHandle: 'timeout', target: 'notifyCsm' },
      { id: 'e10', source: 'crm', target: 'reachedValue' },
      { id: 'e11', source: 'notifyCsm', target: 'done' },
      { id: 'e12', source: 'awaitValue', sourceHandle: 'received', target: 'reachedValue' },
      { id: 'e13', source: 'awaitValue', sourceHandle: 'timeout', target: 'day4' },
      { id: 'e14', source: 'day4', target: 'ab' },
      { id: 'e15', source: 'ab', sourceHandle: 'A', target: 'untilRenewal' },
      { id: 'e16', source: 'ab', sourceHandle: 'B', target: 'nextMonday' },
      { id: 'e17', source: 'untilRenewal', target: 'markStage' },
      { id: 'e18', source: 'nextMonday', target: 'markStage' },
      { id: 'e19', source: 'markStage', target: 'done' },
      { id: 'e20', source: 'reachedValue', target: 'done' },
    ],
  } satisfies PlaybookDefinitionInput;
  return playbook;
}
