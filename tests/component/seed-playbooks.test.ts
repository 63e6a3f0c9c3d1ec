import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { openDatabase, type AppDatabase, type Db } from '../../server/db/database.js';
import { installSeedPlaybooks, loadSeedPlaybooks } from '../../server/playbooks/seed.js';
import { findPlaybook, listVersions, publishDraft, updateDraft } from '../../server/playbooks/store.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';

// The seed playbooks through the real CLI and into a real (PGlite) database. What each one does, day by day, is
// previewed by the simulator in tests/unit/seed-playbooks.test.ts.

const seeds = await loadSeedPlaybooks();
const keys = seeds.map((s) => (s.definition as PlaybookDefinition).key).sort();

describe('the seed playbooks', () => {
  it('pass `stayflow validate`', () => {
    const files = seeds.map((s) => path.join('playbooks', 'seed', s.file));
    const run = spawnSync(process.execPath, ['scripts/stayflow.mjs', 'validate', ...files], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('✓'))).toHaveLength(seeds.length);
  });
});

// One database for the file, as one install sees it across starts: the tests run in order.
describe('installing the seed playbooks on first start', () => {
  let database: AppDatabase | undefined;
  let db: Db;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    db = database.db;
  });
  afterAll(() => database?.close());

  it('does not create a seed that does not compile here (its template was removed), and says why', async () => {
    await installShippedTemplates(db);
    await db.deleteFrom('email_templates').where('key', '=', 'rescue-low-stories').execute();
    const report = await installSeedPlaybooks(db);
    expect(report.installed.sort()).toEqual(keys.filter((key) => key !== 'rescue-low'));
    expect(report.failed).toEqual([
      {
        file: 'rescue-low.json',
        issues: [expect.objectContaining({ nodeId: 'caseStudies', code: 'unknown_template' })],
      },
    ]);
    await expect(findPlaybook(db, 'rescue-low')).rejects.toThrow();
  });

  it('publishes each as version 1 once (the next start adds the one that compiles now), and never overwrites one the install has edited', async () => {
    await installShippedTemplates(db); // the removed template comes back
    const next = await installSeedPlaybooks(db);
    expect(next).toMatchObject({ installed: ['rescue-low'], failed: [] });
    expect(next.kept).toHaveLength(seeds.length - 1);
    for (const key of keys) expect((await findPlaybook(db, key)).currentVersion, key).toBe(1);
    const onboarding = await findPlaybook(db, 'onboarding-30d');

    // A CS lead renames the onboarding and publishes version 2; the next start leaves it alone.
    const edited = { ...(onboarding.draft as PlaybookDefinition), name: 'Onboarding (our version)' };
    await updateDraft(db, 'onboarding-30d', edited);
    await publishDraft(db, 'onboarding-30d');
    const again = await installSeedPlaybooks(db);
    expect(again).toMatchObject({ installed: [], failed: [] });
    expect(again.kept).toHaveLength(seeds.length);
    const after = await findPlaybook(db, 'onboarding-30d');
    expect(after).toMatchObject({ name: 'Onboarding (our version)', currentVersion: 2 });
    expect((await listVersions(db, after.id)).map((v) => v.version)).toEqual([2, 1]);
  });
});
