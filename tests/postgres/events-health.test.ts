import { inject } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { eventsHealthSuite } from '../support/events-health-suite.js';
import '../support/provided.js';

eventsHealthSuite('a PostgreSQL server', () =>
  openDatabase({ databaseUrl: inject('databaseUrl'), dataDir: 'memory://' }),
);
