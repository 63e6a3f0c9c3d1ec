import { describe, expect, it } from 'vitest';
import { matchTriggers, shiftDate, supersededBy, type PublishedPlaybook } from '../../engine/triggers/match.js';

const playbook = (key: string, triggers: PublishedPlaybook['triggers']): PublishedPlaybook => ({
  key,
  version: 1,
  name: key,
  triggers,
  enrollment: { mode: 'oneAtATime' },
});
const rescueHigh = playbook('rescue-high', [{ type: 'riskLevelEntered', level: 'high' }]);
const rescueMedium = playbook('rescue-medium', [{ type: 'riskLevelEntered', level: 'medium' }]);
const rescueLow = playbook('rescue-low', [{ type: 'riskLevelEntered', level: 'low' }]);
const renewal = playbook('renewal', [{ type: 'dateRelative', field: 'renewalDate', offsetDays: -120 }]);
const nps = playbook('nps', [
  { type: 'event', event: 'nps.answered', filter: { field: 'event.score', op: 'lte', value: 6 } },
]);
const all = [rescueHigh, rescueMedium, rescueLow, renewal, nps];

describe('which playbooks a happening enrolls an account in', () => {
  it('enters a risk level only when it changes into it', () => {
    expect(matchTriggers(all, { kind: 'riskLevel', from: 'medium', to: 'high' }, {})).toEqual([
      { playbookKey: 'rescue-high', reason: 'risk level entered high (was medium)' },
    ]);
    expect(matchTriggers(all, { kind: 'riskLevel', from: 'high', to: 'high' }, {})).toEqual([]);
  });

  it('fires a date-relative trigger on the day itself, in the account calendar', () => {
    const fields = { renewalDate: '2027-03-31' };
    expect(shiftDate('2027-03-31', -120)).toBe('2026-12-01');
    expect(matchTriggers(all, { kind: 'day', today: '2026-12-01' }, fields)).toEqual([
      { playbookKey: 'renewal', reason: 'renewalDate (2027-03-31) is 120 days away' },
    ]);
    expect(matchTriggers(all, { kind: 'day', today: '2026-12-02' }, fields)).toEqual([]);
  });

  it('applies an event trigger filter to the event data', () => {
    expect(matchTriggers(all, { kind: 'event', name: 'nps.answered', data: { score: 5 } }, {})).toHaveLength(1);
    expect(matchTriggers(all, { kind: 'event', name: 'nps.answered', data: { score: 9 } }, {})).toHaveLength(0);
  });

  it('lets a higher rescue supersede lower ones, never the reverse', () => {
    expect(supersededBy(rescueHigh, [rescueMedium, rescueLow, renewal]).map((p) => p.key)).toEqual([
      'rescue-medium',
      'rescue-low',
    ]);
    expect(supersededBy(rescueMedium, [rescueHigh])).toEqual([]);
    expect(supersededBy(renewal, [rescueLow])).toEqual([]);
  });
});
