import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { createPlaybook, listVersions, publishDraft, updateDraft } from '../../server/playbooks/store.js';

// Publishing from git on every push must not mint a version per push: a draft that compiles to the current
// version is answered with that version.

const definition = (days: number, x = 0) => ({
  schemaVersion: 1,
  key: 'publish-twice',
  name: 'Publish twice',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {}, position: { x, y: 0 } },
    { id: 'wait', type: 'wait', label: 'Wait', config: { kind: 'duration', amount: days, unit: 'days' } },
    { id: 'end', type: 'end', label: 'End', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'end' },
  ],
});

describe('publishing a draft', () => {
  let database: AppDatabase;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
  }, 60_000);
  afterAll(() => database.close());

  it('answers with the current version when nothing a run does would change', async () => {
    const { db } = database;
    const playbook = await createPlaybook(db, definition(3));
    expect(await publishDraft(db, playbook.key)).toMatchObject({ version: 1, unchanged: false });
    expect(await publishDraft(db, playbook.key)).toMatchObject({ version: 1, unchanged: true });
    await updateDraft(db, playbook.key, definition(3, 250));
    expect(await publishDraft(db, playbook.key)).toMatchObject({ version: 1, unchanged: true });

    await updateDraft(db, playbook.key, definition(4));
    expect(await publishDraft(db, playbook.key)).toMatchObject({ version: 2, unchanged: false });
    expect((await listVersions(db, playbook.id)).map((v) => v.version).sort()).toEqual([1, 2]);
  });
});
