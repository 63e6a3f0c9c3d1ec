import { openDatabase } from '../../server/db/database.js';
import { dataLayerSuite } from '../support/data-layer-suite.js';

dataLayerSuite('PGlite (embedded)', () => openDatabase({ dataDir: 'memory://' }));
