import { benchCliStart } from './cli-start.js';
import { benchCsvImport } from './csv-import.js';
import { benchSimulate } from './simulate.js';

// `npm run bench`: each line is a cost as a ratio of a baseline measured in the same run on the same machine,
// so numbers from different machines compare. Not a test: nothing here fails a build.
console.log('Stayflow bench (ratios against a baseline of the same run)\n');
await benchSimulate();
await benchCsvImport();
benchCliStart();
