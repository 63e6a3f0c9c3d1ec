import { TemplateError } from './liquid.js';
import { renderEmailInThread, type RenderEmailInput, type RenderedEmail } from './render.js';
import type { EmailTemplateContent } from '../../../engine/templates/schema.js';

// The body of a render thread (render-pool.ts). Errors cross the thread boundary as plain data: a structured
// clone would drop TemplateError's class and its code, and the caller needs both.

export interface RenderTask {
  template: EmailTemplateContent;
  input: RenderEmailInput;
  /** Shared with the caller: the thread writes when it began rendering (epoch ms), where the budget starts. */
  started: Float64Array;
}

export type RenderReply =
  | { ok: RenderedEmail }
  | { templateError: Pick<TemplateError, 'code' | 'message' | 'place' | 'line' | 'column'> }
  | { error: string };

export default async function render(task: RenderTask): Promise<RenderReply> {
  task.started[0] = Date.now();
  try {
    return { ok: await renderEmailInThread(task.template, task.input) };
  } catch (error) {
    if (error instanceof TemplateError) {
      const { code, message, place, line, column } = error;
      return { templateError: { code, message, place, line, column } };
    }
    return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
