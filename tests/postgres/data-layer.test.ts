import { inject } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { dataLayerSuite } from '../support/data-layer-suite.js';
import '../support/provided.js';

dataLayerSuite('a PostgreSQL server', () => openDatabase({ databaseUrl: inject('databaseUrl'), dataDir: 'memory://' }));
