import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import {
  findTemplate,
  saveTemplate,
  templateCompileContext,
  InvalidTemplateError,
} from '../../server/templates/store.js';

// The email_templates store on PGlite: installing shipped templates and saving edited ones. Rendering and the
// checks a save runs are pure, in tests/unit/email-templates.test.ts.

describe('template store on PGlite', () => {
  let database: AppDatabase;
  let dir: string;
  const write = (name: string, subject: string) =>
    writeFileSync(
      path.join(dir, name),
      `---\nname: Renewal\ndefaultLocale: en\nsubject: ${subject}\n---\nHi {{ contact.first_name }}, your renewal is near.\n`,
    );

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'stayflow-templates-'));
  });
  afterAll(async () => {
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs shipped templates once, updates unedited ones, and never overwrites an edited one', async () => {
    write('renewal.en.md', 'Your renewal');
    expect(await installShippedTemplates(database.db, dir)).toEqual({ installed: ['renewal'], updated: [], kept: [] });
    expect(await installShippedTemplates(database.db, dir)).toEqual({ installed: [], updated: [], kept: [] });
    expect(await findTemplate(database.db, 'renewal')).toMatchObject({ origin: 'shipped', edited: false });

    write('renewal.en.md', 'Your renewal is coming up'); // a new release ships a better subject
    expect(await installShippedTemplates(database.db, dir)).toMatchObject({ updated: ['renewal'] });
    expect((await findTemplate(database.db, 'renewal')).locales.en?.subject).toBe('Your renewal is coming up');

    const edited = await findTemplate(database.db, 'renewal');
    await saveTemplate(database.db, 'renewal', {
      name: edited.name,
      defaultLocale: 'en',
      locales: { en: { subject: 'Our own subject', body: edited.locales.en!.body } },
    });
    write('renewal.en.md', 'Yet another shipped subject');
    expect(await installShippedTemplates(database.db, dir)).toEqual({ installed: [], updated: [], kept: ['renewal'] });
    expect(await findTemplate(database.db, 'renewal')).toMatchObject({
      origin: 'shipped',
      edited: true,
      locales: { en: { subject: 'Our own subject' } },
    });
  });

  it('refuses to save a template with an unknown variable, and hands the compiler each template’s variables', async () => {
    const error = await saveTemplate(database.db, 'nps', {
      name: 'NPS',
      defaultLocale: 'es',
      locales: { es: { subject: 'Hola {{ contact.nombre }}', body: 'x' } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTemplateError);
    expect(error).toMatchObject({
      kind: 'unprocessable',
      issues: [{ path: 'locales.es.subject', code: 'unknown_template_variable' }],
    });

    await saveTemplate(database.db, 'nps', {
      name: 'NPS',
      defaultLocale: 'es',
      locales: { es: { subject: 'Hola {{ contact.first_name }}', body: '{{ csm.name }}' } },
    });
    expect((await templateCompileContext(database.db)).nps).toEqual({ variables: ['contact.first_name', 'csm.name'] });
  });
});
