import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFieldChanges } from '../../engine/activity-contracts.js';
import { matchTriggers } from '../../engine/triggers/match.js';
import { accountFieldsAsOf } from '../../server/accounts/condition-fields.js';
import { MAX_IMPORT_BYTES } from '../../server/accounts/csv-read.js';
import { importCsv } from '../../server/accounts/import.js';
import { listAccounts } from '../../server/accounts/store.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { createPlaybook, publishDraft, publishedPlaybooks } from '../../server/playbooks/store.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';

// What an accounts import sets in motion, told by its report: for each published playbook, how many of the changed
// accounts its triggers take — the dry run before anything is written, the real import what it handed over — and
// how long the paced hand-off takes. The forecast must be what the accounts' workflows will decide: it is checked
// against the workflow's own inputs (accountFieldsAsOf, the published playbooks, matchTriggers) for each change.

const zone = 'Europe/Madrid';
const inDays = (days: number) => DateTime.now().setZone(zone).plus({ days }).toISODate()!;

let database: AppDatabase;
const run = (text: string, dryRun: boolean, kind: 'accounts' | 'contacts' = 'accounts') => {
  const changes: AccountFieldChanges[] = [];
  return importCsv(
    database.db,
    Readable.from([Buffer.from(text)]),
    kind,
    MAX_IMPORT_BYTES,
    (batch) => changes.push(...batch),
    { dryRun, handOffPerSecond: 2 },
  ).then((report) => ({ report, changes }));
};

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  const db = database.db;
  await installShippedTemplates(db);
  // The shipped renewal cadence (its trigger: 120 days before the renewal date), and a "plan changed" playbook.
  const cadence = JSON.parse(readFileSync('playbooks/seed/renewal-cadence.json', 'utf8')) as Record<string, unknown>;
  await createPlaybook(db, cadence);
  await publishDraft(db, 'renewal-cadence');
  await createPlaybook(db, {
    schemaVersion: 1,
    key: 'plan-changed',
    name: 'Plan changed',
    triggers: [{ type: 'fieldChanged', field: 'plan' }],
    enrollment: { mode: 'oneAtATime' },
    exit: [],
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'done' }],
  });
  await publishDraft(db, 'plan-changed');
  // Already there: one renewing far ahead (a row moves it into the window), one whose plan a row changes.
  await run(
    [
      'external_id,name,time_zone,plan,renewal_date',
      `old-far,Old Far,${zone},starter,${inDays(400)}`,
      `old-plan,Old Plan,${zone},starter,`,
    ].join('\n'),
    false,
  );
});
afterAll(() => database?.close());

const file = [
  'external_id,name,time_zone,plan,renewal_date',
  `new-45,Norte Logística,${zone},starter,${inDays(45)}`, // inside the 120-day window: enrolled late
  `new-100,Sur Foods,${zone},starter,${inDays(100)}`, // inside
  `new-300,Este SA,${zone},starter,${inDays(300)}`, // outside: the sweep enrolls it on its day
  `new-past,Oeste SL,${zone},starter,${inDays(-10)}`, // renewal already past: nothing to catch up with
  `new-nodate,Centro SL,${zone},starter,`, // no dates: no change for its workflow at all
  `old-far,Old Far,${zone},starter,${inDays(30)}`, // moved into the window
  `old-plan,Old Plan,${zone},pro,`, // plan changed
].join('\n');

describe('an accounts import’s forecast', () => {
  it('is told by the dry run, with nothing written, and is what the real import then hands over', async () => {
    const tagged = async () => (await listAccounts(database.db, { q: 'new-', limit: 50 })).items;
    const dry = await run(file, true);
    expect(await tagged()).toEqual([]);
    expect(dry.changes).toEqual([]);
    expect(dry.report).toMatchObject({ created: 5, updated: 2, unchanged: 0, rejected: [] });
    expect(dry.report.enrollments).toEqual([
      {
        playbookKey: 'plan-changed',
        name: 'Plan changed',
        accounts: 1,
        example: 'plan changed from "starter" to "pro"',
      },
      {
        playbookKey: 'renewal-cadence',
        name: 'Renewal cadence',
        accounts: 3,
        example: `renewalDate set to ${inDays(30)}: 120 days before (${inDays(30 - 120)}) is already past, enrolling late`,
      },
    ]);
    // Five accounts' workflows hear of a change (new-nodate has none): at 2 a second, 3 s.
    expect(dry.report.handOff).toEqual({ accounts: 6, perSecond: 2, estimatedSeconds: 3 });

    const real = await run(file, false);
    expect(real.report).toEqual(dry.report);
    expect(real.changes).toHaveLength(6);
    expect((await tagged()).map((a) => a.externalId).sort()).toEqual(
      ['new-100', 'new-300', 'new-45', 'new-nodate', 'new-past'].sort(),
    );

    // Each account's workflow, given its change, reads its fields and today and matches the published playbooks:
    // the same tally.
    const playbooks = await publishedPlaybooks(database.db);
    const tally: Record<string, number> = {};
    for (const { accountId, changed } of real.changes) {
      const account = (await accountFieldsAsOf(database.db, accountId))!;
      for (const match of matchTriggers(playbooks, { kind: 'fields', changed, today: account.today }, account.fields))
        tally[match.playbookKey] = (tally[match.playbookKey] ?? 0) + 1;
    }
    expect(tally).toEqual({ 'plan-changed': 1, 'renewal-cadence': 3 });

    // Imported again, nothing changes: nothing is handed over, nothing would start.
    const again = await run(file, true);
    expect(again.report).toMatchObject({
      unchanged: 7,
      enrollments: [],
      handOff: { accounts: 0, estimatedSeconds: 0 },
    });
  });

  it('says nothing of playbooks for a contacts file (contacts start no account workflow)', async () => {
    const { report } = await run(`account_external_id,email\nnew-45,ana@norte.example\n`, true, 'contacts');
    expect(report).toMatchObject({ kind: 'contacts', rows: 1 });
    expect(report.enrollments).toBeUndefined();
    expect(report.handOff).toBeUndefined();
  });
});
