import { afterEach, describe, expect, it, vi } from 'vitest';
import { simulateCommand } from '../../cli/simulate.js';
import { SimulationRequest } from '../../engine/simulator/schemas.js';
import type { TimelineEntry } from '../../engine/interpreter/types.js';

// One scripted-simulation contract (engine/simulator/schemas.ts) for the simulator, the simulate API and the CLI:
// each can script events, approvals, field changes, failures and the run's calendar.

const account = JSON.stringify({
  id: 'acme',
  timeZone: 'Europe/Madrid',
  fields: { segment: 'high-touch', renewalDate: '2027-06-30' },
});

async function cliTimeline(extra: Record<string, string>): Promise<TimelineEntry[]> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  const code = await simulateCommand('playbooks/seed/renewal-cadence.json', {
    account,
    start: '2027-03-02T10:00:00Z',
    json: true,
    ...extra,
  });
  log.mockRestore();
  expect(code).toBe(0);
  return JSON.parse(printed.join('\n')) as TimelineEntry[];
}

const entry = (timeline: TimelineEntry[], nodeId: string) => timeline.filter((e) => e.nodeId === nodeId);

describe('one scripted-simulation schema', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the API body takes field changes, failures and the run settings', () => {
    const body = SimulationRequest.parse({
      changes: [{ afterHours: 48, fields: { renewalDate: '2027-07-30' } }],
      failures: [{ nodeId: 'qbrInvite' }],
      settings: { calendar: { holidays: ['2027-03-03'] } },
    });
    expect(body.changes).toHaveLength(1);
    expect(body.failures[0]).toEqual({ nodeId: 'qbrInvite', status: 'failed', detail: 'simulated delivery failure' });
    expect(body.settings?.calendar).toEqual({ holidays: ['2027-03-03'], weekend: ['sat', 'sun'] });
    expect(SimulationRequest.safeParse({ changes: [{ fields: {}, extra: 1 }] }).success).toBe(false);
    expect(SimulationRequest.safeParse({ settings: { calendar: { holidays: ['2027-02-30'] } } }).success).toBe(false);
  });

  it('the CLI scripts a moved renewal date, a bounced email and a holiday, like the API', async () => {
    const plain = await cliTimeline({});
    expect(entry(plain, 'until90')).toHaveLength(1);
    expect(entry(plain, 'internalReview')[0]!.why).toBe('due 2027-03-09T10:00:00Z');

    const scripted = await cliTimeline({
      changes: '[{"afterHours":48,"fields":{"renewalDate":"2027-07-30"}}]',
      failures: '[{"nodeId":"qbrInvite"}]',
      settings: '{"calendar":{"holidays":["2027-03-03"]}}',
    });
    // Five business days from Tuesday skip the Wednesday holiday.
    expect(entry(scripted, 'internalReview')[0]!.why).toBe('due 2027-03-10T10:00:00Z');
    const [, replanned] = entry(scripted, 'until90');
    expect(replanned!.summary).toContain('re-planned to 2027-05-01');
    expect(entry(scripted, 'qbrInvite')[0]!.summary).toMatch(/failed$/);
  });

  it('a whole script in one option, with a list flag replacing its part', async () => {
    const script = JSON.stringify({ failures: [{ nodeId: 'qbrInvite', status: 'skipped', detail: 'unsubscribed' }] });
    const timeline = await cliTimeline({ script, failures: '[]' });
    expect(entry(timeline, 'qbrInvite')[0]!.summary).not.toMatch(/skipped|failed/);
    const withScript = await cliTimeline({ script });
    expect(entry(withScript, 'qbrInvite')[0]!.summary).toMatch(/skipped$/);
  });
});
