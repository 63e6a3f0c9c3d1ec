import { expect, it } from 'vitest';
import { DatabaseUnavailableError, openDatabase } from '../../server/db/database.js';
import { freePort } from '../support/free-port.js';

it('reports a PostgreSQL server that does not answer as unusable, naming where it looked', async () => {
  const port = await freePort();
  const opening = openDatabase({
    databaseUrl: `postgres://stayflow:secret@127.0.0.1:${port}/stayflow`,
    dataDir: 'memory://',
  });
  await expect(opening).rejects.toBeInstanceOf(DatabaseUnavailableError);
  await expect(opening).rejects.toThrow(`127.0.0.1:${port}/stayflow`);
  await expect(opening).rejects.not.toThrow('secret');
});
