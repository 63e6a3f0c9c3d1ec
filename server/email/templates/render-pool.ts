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
  let reply: RenderReply;
  try {
    reply = await renderPool().run({ template, input }, { signal: AbortSignal.timeout(budgetMs) });
  } catch (error) {
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
      throw new TemplateError(
        'template_too_heavy',
        `it takes longer than ${budgetMs / 1000} s to render (a loop over too many items?)`,
      );
    }
    throw error;
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
