import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { checkDrill, random, sleep, startDrill } from './email-drill.js';
import { startRelay, type Relay } from './relay.js';
import { stayflowProcess, type StayflowProcess } from './stayflow-process.js';

// kill -9 of the whole `npm start` tree (launcher, server and worker, embedded Temporal) at random moments while
// 50 runs send three emails one minute apart, against a relay that survives the kills; restarted each time with the
// same one command. What a customer would notice is what is asserted: every email arrives, none twice, the planned
// minute between them shrinks by no more than the outage, and the outbox ends with no row left in doubt (a send
// cut off mid-transaction is settled by asking the relay's message lookup, as with a provider's).
// split-worker-kill.test.ts kills only the worker of the split deployment instead.

describe('kill -9 of the whole npm start tree during bursts of email', () => {
  let relay: Relay;
  let stayflow: StayflowProcess;
  let dataDir: string;

  beforeAll(async () => {
    relay = await startRelay();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-faults-'));
    stayflow = stayflowProcess('kill-during-burst', {
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      SMTP_URL: `smtp://127.0.0.1:${relay.port}`,
      SMTP_MESSAGE_LOOKUP_URL: relay.lookupUrl,
      STAYFLOW_BOOTSTRAP_TOKEN: `sf_faults-${randomBytes(16).toString('hex')}`,
      LOG_LEVEL: 'warn',
    });
    await stayflow.start();
  });
  afterAll(async () => {
    await stayflow?.stop();
    await relay?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'every run completes; every email arrives once; the planned minute between emails holds',
    async () => {
      const recipients = await startDrill(stayflow);

      // Two kills: one in the first burst, one around the second (a minute later), each at a random moment.
      // Each outage lasts from the kill until the restarted tree answers /api/health.
      const outages: number[] = [];
      const outage = async () => {
        const killedAt = Date.now();
        stayflow.killHard();
        await sleep(random(1_000, 5_000));
        await stayflow.start();
        outages.push(Date.now() - killedAt);
      };
      await sleep(random(0, 8_000));
      await outage();
      await sleep(random(20_000, 50_000));
      await outage();

      await checkDrill(stayflow, relay, recipients, Math.max(...outages));
    },
    15 * 60_000,
  );
});
