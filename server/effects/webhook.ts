import type { Effect, EffectOutcome } from '../../engine/interpreter/types.js';
import type { Db } from '../db/database.js';
import type { Deliverer, EffectStep } from './perform.js';
import { deliveryLog } from './deliveries.js';
import { retryableStatus, sendJson } from './http-post.js';
import { OutboundRefused, refusalOf, type OutboundPolicy } from './outbound-guard.js';
import { signWebhook } from './signature.js';

type WebhookEffect = Extract<Effect, { kind: 'webhook' }>;

const TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 3;

/** The same key on every attempt of one step, so the receiver can drop a retry of a request it already handled. */
export const idempotencyKeyOf = (step: Pick<EffectStep, 'runId' | 'stepKey'>) => `${step.runId}:${step.stepKey}`;

/** What the receiver gets: the step's configured body, and under `stayflow` which run, account and step sent it. */
export function webhookBody(step: EffectStep<WebhookEffect>): string {
  const { effect, run } = step;
  return JSON.stringify({
    ...effect.body,
    stayflow: {
      accountId: run?.accountId ?? null,
      playbook: run ? { key: run.playbookKey, name: run.playbookName, version: run.version } : null,
      step: { nodeId: effect.nodeId, label: effect.label, at: run?.at ?? null, day: run?.day ?? null },
      workflowId: step.workflowId,
      runId: step.runId,
    },
  });
}

/**
 * Outbound HTTP for webhook steps. 2xx: done. 408, 429, 5xx, a timeout or a network error: thrown, so Temporal
 * retries with backoff (the Idempotency-Key lets the receiver drop a duplicate). Any other answer is final:
 * `failed`, with the reason, and the run follows the step's `failed` connection if it has one. Redirects are
 * followed only as 307/308 to the same origin, so a step can never be bounced to another host.
 */
export function webhookDeliverer(deps: {
  db: Db;
  secret?: string;
  timeoutMs?: number;
  outbound?: OutboundPolicy;
}): Deliverer<WebhookEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect } = step;
    // A temporary failure is retried, except on the last attempt, where it is the step's final answer.
    const temporary = async (detail: string, status?: number): Promise<EffectOutcome> => {
      if (!step.lastAttempt) {
        await log.finish('retrying', detail, status);
        throw new Error(`${detail}; retrying`);
      }
      const final = `${detail} (gave up after ${step.attempt} attempts)`;
      await log.finish('failed', final, status);
      return { status: 'failed', detail: final };
    };
    const body = webhookBody(step);
    const log = deliveryLog(deps.db, step, 'webhook', effect.url);
    await log.start();
    let url = effect.url;
    for (let hops = 0; ; hops++) {
      // Signed per attempt (a fresh timestamp) under one message id, which is the idempotency key.
      const id = idempotencyKeyOf(step);
      const headers: Record<string, string> = {
        'idempotency-key': id,
        ...(deps.secret ? signWebhook(deps.secret, id, body, new Date()) : {}),
      };
      let answer;
      try {
        answer = await sendJson(url, effect.method, body, headers, deps.timeoutMs ?? TIMEOUT_MS, deps.outbound);
      } catch (error) {
        // Final, and worded the same for every private target: no port, no connection error, nothing to probe with.
        if (error instanceof OutboundRefused) {
          const detail = `${effect.method} to ${new URL(url).hostname} ${error.message}`;
          await log.finish('failed', detail);
          return { status: 'failed', detail };
        }
        return temporary(`${effect.method} ${url} failed: ${(error as Error).message}`);
      }
      const said = `${effect.method} ${url} answered ${answer.status} ${answer.statusText}`.trim();
      if (answer.status >= 200 && answer.status < 300) {
        await log.finish('done', said, answer.status);
        return { status: 'done', detail: said };
      }
      if (answer.status >= 300 && answer.status < 400) {
        const refused = answer.location && refusalOf(answer.location, deps.outbound);
        if (refused) {
          const detail = `${said}, redirecting to ${new URL(answer.location!).hostname}: ${refused}`;
          await log.finish('failed', detail, answer.status);
          return { status: 'failed', detail };
        }
        const sameOrigin = answer.location && new URL(answer.location).origin === new URL(url).origin;
        if ((answer.status === 307 || answer.status === 308) && sameOrigin && hops < MAX_REDIRECTS) {
          url = answer.location!;
          continue;
        }
        const detail = `${said}, redirecting to ${answer.location ?? 'nowhere'}: Stayflow follows only 307/308 redirects on the same host (at most ${MAX_REDIRECTS})`;
        await log.finish('failed', detail, answer.status);
        return { status: 'failed', detail };
      }
      if (retryableStatus(answer.status)) return temporary(said, answer.status);
      await log.finish('failed', said, answer.status);
      return { status: 'failed', detail: said };
    }
  };
}
