import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { installSeedPlaybooks } from '../../server/playbooks/seed.js';
import { createPlaybook, publishDraft } from '../../server/playbooks/store.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';

// NPS follow-up used to ship as three playbooks filtered by score; it now ships as one that branches on the score.
// An install upgraded from the three keeps them and is not given the new one too (an answer would be followed up
// twice); a new install gets only the new one.

let database: AppDatabase | undefined;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await installShippedTemplates(database.db);
});
afterAll(() => database?.close());

const keys = async () => (await database!.db.selectFrom('playbooks').select('key').execute()).map((r) => r.key);

describe('upgrading an install that has the three NPS playbooks', () => {
  it('keeps them and does not add nps-follow-up beside them', async () => {
    // The promoters' playbook as the previous release shipped it (its steps do not matter here).
    const old = {
      schemaVersion: 1,
      key: 'nps-promoters',
      name: 'NPS follow-up: promoters (9–10)',
      triggers: [{ type: 'event', event: 'nps.answered', filter: { field: 'event.score', op: 'gte', value: 9 } }],
      enrollment: { mode: 'everyTime', cooldown: { amount: 30, unit: 'days' } },
      nodes: [
        { id: 'answered', type: 'trigger', label: 'NPS 9–10', config: {} },
        {
          id: 'thanks',
          type: 'email',
          label: 'Thanks',
          config: { template: 'nps-promoter', recipients: 'primaryContact' },
        },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [
        { id: 'a', source: 'answered', target: 'thanks' },
        { id: 'b', source: 'thanks', target: 'done' },
      ],
    };
    await createPlaybook(database!.db, old);
    await publishDraft(database!.db, 'nps-promoters');
    const report = await installSeedPlaybooks(database!.db);
    expect(report.kept).toEqual(expect.arrayContaining(['nps-follow-up']));
    expect(report.installed).not.toContain('nps-follow-up');
    expect(await keys()).toContain('nps-promoters');
    expect(await keys()).not.toContain('nps-follow-up');
    expect(report.installed).toContain('rescue-high');
  });
});
