import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../server/accounts/csv-read.js';
import { importCsv } from '../../server/accounts/import.js';
import { findAccountByExternalId } from '../../server/accounts/store.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import type { AccountFieldChanges } from '../../engine/activity-contracts.js';
import { matchTriggers } from '../../engine/triggers/match.js';

// An account imported 45 days before its renewal: the import tells the account's workflow that its renewal date
// was set (from nothing), and the renewal cadence's date trigger takes that late account (catch-up).

let database: AppDatabase;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
});
afterAll(() => database?.close());

const importText = async (text: string) => {
  const changes: AccountFieldChanges[] = [];
  const report = await importCsv(
    database.db,
    Readable.from([Buffer.from(text)]),
    'accounts',
    MAX_IMPORT_BYTES,
    (batch) => changes.push(...batch),
  );
  return { report, changes };
};

describe('a new account imported with a renewal date', () => {
  it('hands its set dates to its workflow, which enrolls it late in a date-relative playbook', async () => {
    const { report, changes } = await importText(
      [
        'external_id,name,renewal_date,start_date',
        'late-1,Norte Logística,2027-06-30,2025-06-30',
        'nodate-1,Sur Foods,,',
      ].join('\n'),
    );
    expect(report).toMatchObject({ created: 2, updated: 0 });
    const late = await findAccountByExternalId(database.db, 'late-1');
    // Only the dated account, only its dates: a new account without dates is no change to anybody.
    expect(changes).toEqual([
      {
        accountId: late.id,
        changed: { renewalDate: { from: null, to: '2027-06-30' }, startDate: { from: null, to: '2025-06-30' } },
      },
    ]);
    const cadence = {
      key: 'renewal-cadence',
      version: 1,
      name: 'Renewal cadence',
      triggers: [{ type: 'dateRelative' as const, field: 'renewalDate', offsetDays: -120 }],
      enrollment: { mode: 'oneAtATime' as const, catchUp: 'firstAhead' as const },
    };
    const happening = { kind: 'fields' as const, changed: changes[0]!.changed, today: '2027-05-16' };
    expect(matchTriggers([cadence], happening, { renewalDate: '2027-06-30' })).toEqual([
      {
        playbookKey: 'renewal-cadence',
        reason: 'renewalDate set to 2027-06-30: 120 days before (2027-03-02) is already past, enrolling late',
      },
    ]);
  });
});
