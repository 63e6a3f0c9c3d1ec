import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailTemplateContent } from '../../engine/templates/schema.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import {
  closeRenderPool,
  renderEmail,
  SAMPLE_TEMPLATE_INPUT,
  TemplateError,
  templateVariables,
} from '../../server/email/templates/index.js';
import { findTemplate, InvalidTemplateError, saveTemplate } from '../../server/templates/store.js';

// Rendering runs on worker threads with a time budget: a heavy template must not stall the event loop that serves
// the API and runs the Temporal worker, and one that cannot render for a sample account is refused at save.

const template = (body: string): EmailTemplateContent =>
  ({
    name: 'Heavy',
    defaultLocale: 'en',
    locales: { en: { subject: 'Hello {{ contact.first_name }}', body } },
  }) as EmailTemplateContent;
// About half a second of Liquid per part on this machine: under Liquid's 1 s limit, far over a real email's 10 ms.
const NESTED =
  '{% for a in (1..120) %}{% for b in (1..300) %}{% if b == 1 %}{{ a }}{% endif %}{% endfor %}{% endfor %}';
const variables = templateVariables(SAMPLE_TEMPLATE_INPUT);

describe('email rendering off the event loop', () => {
  let database: AppDatabase;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await closeRenderPool();
    await database?.close();
  });

  it('renders a real email on a render thread, in the language asked for', async () => {
    const rendered = await renderEmail(template('Hi {{ contact.first_name }}, welcome.'), { variables });
    expect(rendered.subject).toMatch(/^Hello \S+/);
    expect(rendered.text).toContain('welcome.');
    expect(rendered.html).toContain('<html');
  });

  it('keeps the event loop answering while four heavy templates render', async () => {
    await renderEmail(template('warm up'), { variables }); // the first thread's start is not what this measures
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const renders = await Promise.all([1, 2, 3, 4].map(() => renderEmail(template(NESTED), { variables })));
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(renders.every((r) => r.text.includes('120'))).toBe(true);
    // On the calling thread the loop would stand still for each whole render (hundreds of ms at a time).
    expect(took).toBeGreaterThan(200);
    expect(worstGap).toBeLessThan(150);
  });

  it('stops a render that overruns its budget and says why', async () => {
    const started = performance.now();
    const error = await renderEmail(template(NESTED), { variables }, 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ code: 'template_too_heavy' });
    expect((error as Error).message).toMatch(/longer than 0.05 s to render/);
    expect(performance.now() - started).toBeLessThan(1_000);
    // The pool goes on serving after a thread was stopped mid-render.
    expect((await renderEmail(template('after'), { variables })).text).toContain('after');
  });

  it('counts the budget from when a thread starts rendering, not from the call', async () => {
    // Every thread busy with a heavy render: the light email waits its turn far longer than its own budget.
    const heavy = [1, 2, 3, 4, 5, 6].map(() => renderEmail(template(NESTED), { variables }));
    const started = performance.now();
    const light = await renderEmail(template('Hi {{ contact.first_name }}, your turn.'), { variables }, 300);
    expect(performance.now() - started).toBeGreaterThan(300);
    expect(light.text).toContain('your turn.');
    await Promise.all(heavy);
  });

  it('refuses at save a template that cannot render for a sample account, and writes nothing', async () => {
    const endless = template('{% for i in (1..100000000) %}{{ i }}{% endfor %}');
    const error = await saveTemplate(database.db, 'endless', endless).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTemplateError);
    const issues = (error as InvalidTemplateError).issues ?? [];
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'locales.en.body',
        code: 'template_too_heavy',
        message: expect.stringMatching(/^Rendered for a sample account, English body/),
      }),
    ]);
    await expect(findTemplate(database.db, 'endless')).rejects.toThrow(/not found|no email template/i);
  });
});
