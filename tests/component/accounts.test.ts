import { openDatabase } from '../../server/db/database.js';
import { accountsSuite } from '../support/accounts-suite.js';

accountsSuite('PGlite (embedded)', () => openDatabase({ dataDir: 'memory://' }));
