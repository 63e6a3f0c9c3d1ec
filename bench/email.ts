import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { Effect } from '../engine/interpreter/types.js';
import { MAX_IMPORT_BYTES } from '../server/accounts/csv-read.js';
import { importCsv } from '../server/accounts/import.js';
import { openDatabase, type AppDatabase } from '../server/db/database.js';
import { parseFrequencyCap } from '../server/email/frequency-cap.js';
import { emailDeliverer } from '../server/email/send-step.js';
import { createMailTransport } from '../server/email/transport.js';
import { performEffect } from '../server/effects/perform.js';
import { installShippedTemplates } from '../server/templates/shipped.js';
import { findTemplate } from '../server/templates/store.js';
import { renderEmail, templateVariables } from '../server/email/templates/index.js';
import { bounded } from './bench-stack.js';
import { median, note, report, startBench } from './measure.js';
import { sampleAccountsCsv } from './sample-accounts-csv.js';
import { startSmtpCounter, type SmtpCounter } from './smtp-counter.js';
import { startPostgres } from './postgres.js';
import { noteRowSizes } from './row-sizes.js';

// 1,000 playbook emails through the product's path — the step log, the outbox row and its states, the checks
// (unsubscribed, frequency cap), rendering the shipped welcome template per contact, the pooled transport —
// against a bare nodemailer pool sending the same rendered email to the same SMTP server. Both keep the same
// number in flight (what a worker's activity slots would) and the same pool (5 connections); rounds alternate.
// The database is the embedded default (PGlite, one connection).
const EMAILS = 1_000;
/** The PostgreSQL arm is the same path on another database: half as many keep the whole bench inside its time. */
const EMAILS_ON_POSTGRES = 500;
const ROUNDS = 4;
const IN_FLIGHT = 20;
const FROM = 'Stayflow Bench <success@bench.example>';

export async function benchEmail(): Promise<void> {
  startBench('email', `${EMAILS} emails in ${ROUNDS} alternating rounds, ${IN_FLIGHT} in flight, 5 pooled connections`);
  const smtp = await startSmtpCounter();
  try {
    // The embedded default first, then a PostgreSQL server as a scaled-out install has (when one is provisioned).
    const embedded = await openDatabase({ dataDir: 'memory://' });
    try {
      await measure(embedded, smtp, 'PGlite', EMAILS);
    } finally {
      await embedded.close();
    }
    const postgres = await startPostgres();
    if (!postgres)
      return note('PostgreSQL not provisioned (bash scripts/provision.sh postgres): outbox on PGlite only');
    try {
      const database = await openDatabase({ databaseUrl: postgres.url, dataDir: 'memory://' });
      try {
        await measure(database, smtp, 'PostgreSQL', EMAILS_ON_POSTGRES);
      } finally {
        await database.close();
      }
    } finally {
      postgres.stop();
    }
  } finally {
    await smtp.close();
  }
}

async function seed(database: AppDatabase, count: number): Promise<string[]> {
  const db = database.db;
  await installShippedTemplates(db);
  const csv = (text: string) => Readable.from([Buffer.from(text)]);
  await importCsv(db, csv(sampleAccountsCsv(count, (i) => `mail-${i}`)), 'accounts', MAX_IMPORT_BYTES);
  const contacts = [
    'account_external_id,email,name',
    ...Array.from({ length: count }, (_, i) => `mail-${i},contact${i}@customer${i}.example,Contact ${i}`),
  ].join('\n');
  await importCsv(db, csv(contacts), 'contacts', MAX_IMPORT_BYTES);
  const rows = await db.selectFrom('accounts').select(['id', 'external_id']).execute();
  const byExternal = new Map(rows.map((r) => [r.external_id, r.id]));
  return Array.from({ length: count }, (_, i) => byExternal.get(`mail-${i}`)!);
}

async function measure(database: AppDatabase, smtp: SmtpCounter, label: string, count: number): Promise<void> {
  smtp.received.clear();
  const accountIds = await seed(database, count);
  // Every statement the outbox path sends is counted, to say where its time goes.
  let queries = 0;
  const db = database.db.withPlugin({
    transformQuery: (args) => {
      queries++;
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  });
  const transport = createMailTransport(smtp.url);
  const deliver = emailDeliverer({
    db,
    transport,
    from: FROM,
    settings: {
      publicUrl: 'https://stayflow.bench.example',
      linkSecret: 'a-bench-link-secret-that-is-long-enough',
      frequencyCap: parseFrequencyCap('3/7d'),
      company: 'Bench S.L.',
      postalAddress: 'Calle Mayor 1, Madrid',
    },
  });
  const effect: Effect = {
    kind: 'email',
    nodeId: 'welcome',
    label: 'Day 0: welcome',
    template: 'welcome',
    recipients: 'primaryContact',
  };
  const now = new Date().toISOString();
  const throughOutbox = (i: number) =>
    performEffect(
      { db, deliver: { email: deliver } },
      {
        workflowId: `bench-mail-${i}`,
        runId: `run-${i}`,
        stepKey: '1',
        attempt: 1,
        effect,
        run: {
          accountId: accountIds[i]!,
          playbookKey: 'onboarding-30d',
          playbookName: 'Onboarding',
          version: 1,
          at: now,
          day: 0,
          enrolledAt: now,
        },
      },
    ).then((outcome) => {
      if (outcome?.status !== 'done') throw new Error(`email ${i}: ${JSON.stringify(outcome)}`);
    });

  // The render pool's threads start on demand (seconds each on a busy machine, counted against a render's budget):
  // started here, as a worker that has been sending for a while has them, and not counted.
  for (let round = 0; round < 5; round++) {
    const warm = await Promise.allSettled(Array.from({ length: IN_FLIGHT }, () => renderCost(database, 1)));
    if (warm.every((r) => r.status === 'fulfilled')) break;
  }
  // The baseline sends what the product sent: the first outbox email, as rendered, with its own Message-ID each.
  await throughOutbox(0);
  const sample = await db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow();
  const bare = nodemailer.createTransport({
    pool: true,
    maxConnections: 5,
    host: '127.0.0.1',
    port: Number(new URL(smtp.url).port),
    secure: false,
  });
  const bareSend = (i: number) =>
    bare
      .sendMail({
        from: FROM,
        to: { name: `Contact ${i}`, address: `contact${i}@customer${i}.example` },
        subject: sample.subject ?? '',
        html: sample.html ?? undefined,
        text: sample.text ?? undefined,
        messageId: `<bare-${i}@bench.example>`,
        headers: sample.headers,
      })
      .then(() => undefined);

  const perRound = count / ROUNDS;
  const outboxMs: number[] = [];
  const bareMs: number[] = [];
  let sent = 1;
  let bareSent = 0;
  try {
    // Warm-up of the bare pool (connections opened), not counted.
    await bounded(50, IN_FLIGHT, (i) => bareSend(count + i));
    for (let round = 0; round < ROUNDS; round++) {
      const first = sent;
      const batch = Math.min(perRound, count - first);
      const outbox = async () => {
        const t0 = performance.now();
        await bounded(batch, IN_FLIGHT, (i) => throughOutbox(first + i));
        outboxMs.push((performance.now() - t0) / batch);
        sent += batch;
      };
      const plain = async () => {
        const from = bareSent;
        const t0 = performance.now();
        await bounded(perRound, IN_FLIGHT, (i) => bareSend(from + i));
        bareMs.push((performance.now() - t0) / perRound);
        bareSent += perRound;
      };
      if (round % 2) await plain().then(outbox);
      else await outbox().then(plain);
    }
  } finally {
    transport.close();
    bare.close();
  }

  const ids = [...smtp.received.keys()].filter((id) => !id.startsWith('<bare-'));
  const duplicates = ids.filter((id) => smtp.received.get(id)! > 1).length;
  const states = await db.selectFrom('email_outbox').select(['state', 'message_id']).execute();
  const lost = states.filter(
    (row) => row.state !== 'sent' || !smtp.received.has(`<${row.message_id.replace(/^<|>$/g, '')}>`),
  );
  note(
    `${label} outbox: ${states.length} rows, ${ids.length} distinct Message-IDs received, ${duplicates} received twice, ${lost.length} not received or not sent`,
  );
  const renderMs = await renderCost(database);
  if (label === 'PostgreSQL') await noteRowSizes(database.db, ['email_outbox', 'run_steps', 'contacts']);
  note(
    `${label}: ${(queries / count).toFixed(1)} SQL statements per email; rendering one (Liquid, Markdown, layout) ${renderMs.toFixed(2)} ms of CPU`,
  );
  const bareRate = median(bareMs);
  const outboxRate = median(outboxMs);
  report(`email throughput, outbox on ${label}, ms each`, 'bare nodemailer pool', bareRate, outboxRate, {
    ratio: bareRate / outboxRate,
    target: { text: 'rate ≥ 0.9× bare pool', met: (r) => r >= 0.9 },
    note: 'ratio = bare time / outbox time: the share of the bare pool’s rate reached',
  });
  report(`emails received twice (${label})`, `${count} sent`, count, duplicates, {
    unit: 'emails',
    target: { text: '0 duplicates', met: duplicates === 0 },
  });
  report(`emails lost (${label})`, `${count} sent`, count, lost.length + Math.max(0, count - states.length), {
    unit: 'emails',
    target: { text: '0 lost', met: lost.length === 0 && states.length === count },
  });
}

/** CPU time of rendering the welcome template for one contact, as the sender does (median of 200). */
async function renderCost(database: AppDatabase, renders = 200): Promise<number> {
  const template = await findTemplate(database.db, 'welcome');
  const times: number[] = [];
  for (let i = 0; i < renders; i++) {
    const t0 = performance.now();
    await renderEmail(template, {
      variables: templateVariables({
        account: { fields: { name: `Account ${i}`, locale: 'es' } },
        contact: { name: `Contact ${i}`, email: `contact${i}@example.com` },
        run: { playbook: 'Onboarding', day: 0 },
      }),
      footer: { unsubscribeUrl: 'https://stayflow.bench.example/u/x', company: 'Bench S.L.', address: 'Madrid' },
    });
    times.push(performance.now() - t0);
  }
  return median(times);
}
