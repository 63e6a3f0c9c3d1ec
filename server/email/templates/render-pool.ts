import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { EmailTemplateContent } from '../../../engine/templates/schema.js';
import { TemplateError } from './liquid.js';
import type { RenderEmailInput, RenderedEmail } from './render.js';
import type { RenderReply, RenderTask } from './render-worker.js';

// Email rendering off the event loop. Liquid runs synchronously between its awaits: a template with nested loops
// can hold a thread for a second per part, and on the main thread that second is every API request's and every
// workflow task's. Piscina (the worker-thread pool of the Node.js ecosystem) runs renders on their own threads,
// and aborting a task terminates its thread, so a render that overruns its budget is stopped, not waited for.

/** Wall time one email (subject, HTML and text) may take on its thread; Liquid's own limit is 1 s per part. */
export const RENDER_BUDGET_MS = 4_000;
/**
 * How long a render may wait for a thread before this attempt gives up. The budget counts from the moment the
 * thread starts rendering, not from the call: a thread that takes seconds to start on a loaded machine says
 * nothing about the template, and must not fail a good email for good as "too heavy".
 */
const START_CEILING_MS = 60_000;

// Under tsx (development, tests) the worker is TypeScript and needs tsx's loader; the build ships a .js sibling.
const workerFile = new URL(
  import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js',
  import.meta.url,
);
const needsLoader = workerFile.pathname.endsWith('.ts');

let pool: Piscina<RenderTask, RenderReply> | undefined;

function renderPool(): Piscina<RenderTask, RenderReply> {
  pool ??= new Piscina<RenderTask, RenderReply>({
    filename: workerFile.href,
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(4, availableParallelism())),
    // Threads beyond the first go after a minute without work.
    idleTimeout: 60_000,
    ...(needsLoader && {
      execArgv: [...process.execArgv.filter((a) => !a.startsWith('--inspect')), '--import', 'tsx'],
    }),
  });
  return pool;
}

/**
 * A template and its data → subject, HTML and plain text, rendered on a worker thread within the budget (tests
 * shorten it; the product uses RENDER_BUDGET_MS).
 * Throws a TemplateError (syntax, too heavy, too long) naming the language and the part; such an error does not
 * go away on a retry.
 */
export async function renderEmail(
  template: EmailTemplateContent,
  input: RenderEmailInput,
  budgetMs = RENDER_BUDGET_MS,
): Promise<RenderedEmail> {
  // The thread writes when it began (epoch ms) into memory both threads share; the watch below reads it.
  const started = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  const abort = new AbortController();
  const calledAt = Date.now();
  let overran: 'budget' | 'start' | undefined;
  const watch = setInterval(
    () => {
      const at = started[0]!;
      if (at > 0 && Date.now() - at > budgetMs) overran = 'budget';
      else if (at === 0 && Date.now() - calledAt > START_CEILING_MS) overran = 'start';
      if (overran) abort.abort();
    },
    Math.max(10, Math.min(250, budgetMs / 4)),
  );
  let reply: RenderReply;
  try {
    reply = await renderPool().run({ template, input, started }, { signal: abort.signal });
  } catch (error) {
    if (overran === 'budget')
      throw new TemplateError(
        'template_too_heavy',
        `it takes longer than ${budgetMs / 1000} s to render (a loop over too many items?)`,
      );
    // Not the template's fault: an ordinary error, so the send step's activity tries again.
    if (overran === 'start')
      throw new Error(`no render thread started within ${START_CEILING_MS / 1000} s: the machine is overloaded`);
    throw error;
  } finally {
    clearInterval(watch);
  }
  if ('ok' in reply) return reply.ok;
  if ('templateError' in reply) {
    const { code, message, place, line, column } = reply.templateError;
    throw new TemplateError(code, message, place, line, column);
  }
  throw new Error(`rendering an email failed: ${reply.error}`);
}

/** Stops the render threads (the stack's close). A later render starts a new pool. */
export async function closeRenderPool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
