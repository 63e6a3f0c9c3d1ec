import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../engine/accounts/import-report.js';
import { durationWords } from '../../engine/text/words.js';
import { motionLines } from '../../cli/import.js';

// `stayflow import` says under its counts what an accounts import sets in motion, as the import report tells it.

const report = (more: Partial<ImportReport>): ImportReport => ({
  kind: 'accounts',
  rows: 10_000,
  created: 10_000,
  updated: 0,
  unchanged: 0,
  rejected: [],
  ...more,
});

describe('what stayflow import says an import sets in motion', () => {
  it('names each playbook it starts, with an example, and how long the hand-off takes', () => {
    expect(
      motionLines(
        report({
          enrollments: [
            {
              playbookKey: 'renewal-cadence',
              name: 'Renewal cadence',
              accounts: 312,
              example: 'renewalDate set to 2027-02-01',
            },
            { playbookKey: 'welcome', name: 'Welcome', accounts: 1 },
          ],
          handOff: { accounts: 10_000, perSecond: 50, estimatedSeconds: 200 },
        }),
      ),
    ).toEqual([
      'Will start: Renewal cadence for up to 312 accounts (e.g. renewalDate set to 2027-02-01)',
      'Will start: Welcome for up to 1 account',
      'Handing 10,000 accounts to their playbooks takes about 3 min 20 s (50 a second)',
    ]);
  });

  it('says when no playbook starts, and nothing for a contacts import or an import that changed nothing', () => {
    expect(
      motionLines(report({ enrollments: [], handOff: { accounts: 3, perSecond: 50, estimatedSeconds: 1 } })),
    ).toEqual([
      'No published playbook starts from these changes',
      'Handing 3 accounts to their playbooks takes about 1 s (50 a second)',
    ]);
    expect(motionLines(report({ kind: 'contacts' }))).toEqual([]);
    expect(
      motionLines(
        report({
          created: 0,
          unchanged: 10_000,
          enrollments: [],
          handOff: { accounts: 0, perSecond: 50, estimatedSeconds: 0 },
        }),
      ),
    ).toEqual([]);
  });

  it('words durations as people read them', () => {
    expect([0, 1, 59, 60, 200, 3599, 3600, 3900, 7170].map(durationWords)).toEqual([
      'under a second',
      '1 s',
      '59 s',
      '1 min',
      '3 min 20 s',
      '59 min 59 s',
      '1 h',
      '1 h 5 min',
      '2 h',
    ]);
  });
});
