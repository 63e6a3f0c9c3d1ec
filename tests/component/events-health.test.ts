import { openDatabase } from '../../server/db/database.js';
import { eventsHealthSuite } from '../support/events-health-suite.js';

eventsHealthSuite('PGlite (embedded)', () => openDatabase({ dataDir: 'memory://' }));
