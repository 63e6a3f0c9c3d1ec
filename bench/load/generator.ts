import type { LoadJob, LoadResult } from './protocol.js';

// The bench's HTTP load generator, run as a child process (bench/load/client.ts starts it): it takes one job at a
// time over IPC and answers each request's latency. Open-loop latencies are measured from when each request was due,
// so a server that falls behind is charged for the queue it causes (no coordinated omission).

async function send(job: LoadJob, i: number, errors: string[]): Promise<void> {
  const request = job.requests[i]!;
  const res =
    request.body === undefined
      ? await fetch(request.url, { headers: job.headers })
      : await fetch(request.url, { method: 'POST', headers: job.headers, body: JSON.stringify(request.body) });
  const text = await res.text();
  if (res.status !== job.expect && errors.length < 5) errors.push(`${res.status}: ${text.slice(0, 300)}`);
}

async function closed(job: Extract<LoadJob, { kind: 'closed' }>): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(job.inFlight, job.requests.length) }, async () => {
      while (next < job.requests.length) {
        const i = next++;
        const sent = performance.now();
        await send(job, i, errors);
        latencies[i] = performance.now() - sent;
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - t0, errors };
}

async function open(job: Extract<LoadJob, { kind: 'open' }>): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const interval = 1000 / job.ratePerSecond;
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < job.requests.length; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(job, i, errors).then(() => void (latencies[i] = performance.now() - due)));
  }
  await Promise.all(pending);
  return { latencies, elapsedMs: performance.now() - t0, errors };
}

process.on('message', (job: LoadJob) => {
  (job.kind === 'open' ? open(job) : closed(job)).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ latencies: [], elapsedMs: 0, errors: [String(error)] } satisfies LoadResult),
  );
});
process.send?.('ready');
