import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../../bench/postgres.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { startDevServer, type DevServer } from '../../server/temporal/dev-server.js';
import { freePort } from '../support/free-port.js';
import { checkDrill, random, sleep, startDrill } from './email-drill.js';
import { startRelay, type Relay } from './relay.js';
import { call, stayflowProcess, type StayflowProcess } from './stayflow-process.js';

// The split deployment (docker-compose.yml's shape): PostgreSQL, a Temporal server, and Stayflow's API and worker
// as separate processes, each started with the product's one command (`npm start` with STAYFLOW_ROLE=api or
// worker). kill -9 of the worker alone — its launcher and its server, as the OOM killer would — at random moments
// while 50 runs send three emails one minute apart, and the same command starts it again. The API, Temporal and
// the database never stop. Asserted as a customer would notice: every run completes, every email arrives once and
// in order, the planned minute holds (less the outage), no outbox row is left in doubt; and the API kept answering
// throughout. kill-during-burst.test.ts kills the whole single-process tree instead.

describe('kill -9 of the worker process of the split deployment during bursts of email', () => {
  let relay: Relay;
  let postgres: { url: string; stop(): void } | undefined;
  let temporal: DevServer | undefined;
  let api: StayflowProcess;
  let worker: StayflowProcess;
  let dataDir: string;

  beforeAll(async () => {
    relay = await startRelay();
    postgres = await startPostgres();
    if (!postgres) throw new Error('no PostgreSQL server binaries (run: bash scripts/provision.sh postgres)');
    temporal = await startDevServer({ cliPath: temporalCliPath()!, port: await freePort() });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-split-'));
    const shared = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: postgres.url,
      SMTP_URL: `smtp://127.0.0.1:${relay.port}`,
      SMTP_MESSAGE_LOOKUP_URL: relay.lookupUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    // The worker first: it brings the database's schema up to date before the API reads it.
    worker = stayflowProcess('split-worker', { ...shared, STAYFLOW_ROLE: 'worker' });
    await worker.start();
    api = stayflowProcess('split-api', {
      ...shared,
      STAYFLOW_ROLE: 'api',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      STAYFLOW_BOOTSTRAP_TOKEN: `sf_faults-${randomBytes(16).toString('hex')}`,
    });
    await api.start();
  });
  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await temporal?.stop();
    postgres?.stop();
    await relay?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'every run completes; every email arrives once; the planned minute holds; the API answers throughout',
    async () => {
      const recipients = await startDrill(api);

      // Two kills of the worker: one in the first burst, one around the second (a minute later), each at a random
      // moment. Each outage lasts from the kill until the restarted worker says it is running (it polls by then).
      const outages: number[] = [];
      const outage = async () => {
        const killedAt = Date.now();
        worker.killHard();
        await sleep(random(1_000, 5_000));
        // The API is another process: it still reads and writes while no worker runs.
        const accounts = await call(api, 'GET', '/api/accounts?limit=1');
        expect(accounts.status, JSON.stringify(accounts.body)).toBe(200);
        await worker.start();
        outages.push(Date.now() - killedAt);
      };
      await sleep(random(0, 8_000));
      await outage();
      await sleep(random(20_000, 50_000));
      await outage();

      await checkDrill(api, relay, recipients, Math.max(...outages));
      // Only the worker was restarted: three starts of it, one of the API.
      expect(worker.logs).toHaveLength(3);
      expect(api.logs).toHaveLength(1);
    },
    15 * 60_000,
  );
});
