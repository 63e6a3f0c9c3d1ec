import { inject } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { accountsSuite } from '../support/accounts-suite.js';
import '../support/provided.js';

accountsSuite('a PostgreSQL server', () => openDatabase({ databaseUrl: inject('databaseUrl'), dataDir: 'memory://' }));
