import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkDrill, random, sleep, startDrill } from './email-drill.js';
import { startRelay, type Relay } from './relay.js';
import { singleProcessStack, type StayflowProcess } from './stayflow-process.js';

// kill -9 of the whole `npm start` tree (launcher, server and worker, embedded Temporal) at random moments while
// 50 runs send three emails one minute apart, against a relay that survives the kills; restarted each time with the
// same one command. What a customer would notice is what is asserted: every email arrives, none twice, the planned
// minute between them shrinks by no more than the outage, and the outbox ends with no row left in doubt (a send
// cut off mid-transaction is settled by asking the relay's message lookup, as with a provider's).
// split-worker-kill.test.ts kills only the worker of the split deployment instead.

describe('kill -9 of the whole npm start tree during bursts of email', () => {
  let relay: Relay;
  let stayflow: StayflowProcess;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    relay = await startRelay();
    ({ stayflow, close } = await singleProcessStack('kill-during-burst', relay));
  });
  afterAll(async () => {
    await close?.();
    await relay?.close();
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
