import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEmailTemplate } from '../../server/email/templates/check.js';
import { TemplateError } from '../../server/email/templates/liquid.js';
import { chooseLocale } from '../../server/email/templates/locale.js';
// The rendering itself, on this thread: the pool that runs it off the event loop is tested in the component lane.
import { renderEmailInThread as renderEmail } from '../../server/email/templates/render.js';
import {
  SAMPLE_TEMPLATE_INPUT,
  templateVariables,
  type TemplateVariablesInput,
} from '../../server/email/templates/variables.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompileContext } from '../../engine/playbook/ir.js';
import {
  EmailTemplate,
  templateVariableProblem,
  templateVocabulary,
  type EmailTemplateContent,
} from '../../engine/templates/schema.js';
import { loadShippedTemplates, parseTemplateFile, ShippedTemplateError } from '../../server/templates/shipped.js';

const template = (
  locales: EmailTemplateContent['locales'],
  defaultLocale: 'es' | 'en' = 'es',
): EmailTemplateContent => ({
  name: 'Test',
  locales,
  defaultLocale,
});
const both = template({
  es: {
    subject: 'Hola {{ contact.first_name }}',
    body: 'Hola {{ contact.first_name }}, bienvenida a **{{ account.name }}**.',
  },
  en: {
    subject: 'Hi {{ contact.first_name }}',
    body: 'Hi {{ contact.first_name }}, welcome to **{{ account.name }}**.',
  },
});

const data = (overrides: TemplateVariablesInput = {}) => templateVariables({ ...SAMPLE_TEMPLATE_INPUT, ...overrides });

describe('locale choice', () => {
  it('takes the contact’s locale first, then the account’s, then the template’s default, and says why', () => {
    expect(chooseLocale(both, { contact: 'en', account: 'es' })).toMatchObject({ locale: 'en', source: 'contact' });
    expect(chooseLocale(both, { contact: null, account: 'en' })).toMatchObject({
      locale: 'en',
      source: 'account',
      why: "English: the account's locale (en); the contact has no locale",
    });
    expect(chooseLocale(both, {})).toMatchObject({ locale: 'es', source: 'default' });
    expect(chooseLocale(both, {}).why).toBe(
      "Spanish, the template's default: the contact has no locale, the account has no locale",
    );
  });

  it('reads regional locales as their language and skips languages the template is not written in', () => {
    expect(chooseLocale(both, { contact: 'en-GB' })).toMatchObject({ locale: 'en', source: 'contact' });
    const spanishOnly = template({ es: { subject: 'Hola', body: 'Hola' } });
    const choice = chooseLocale(spanishOnly, { contact: 'en', account: 'fr' });
    expect(choice).toMatchObject({ locale: 'es', source: 'default' });
    expect(choice.why).toContain("the contact's locale en has no version of this template");
    expect(choice.why).toContain("the account's locale fr is not a language emails are written in");
  });

  it('lets the preview ask for a language', () => {
    expect(chooseLocale(both, { requested: 'en', contact: 'es' })).toMatchObject({ locale: 'en', source: 'requested' });
  });

  it('renders in the chosen language and reports it', async () => {
    const rendered = await renderEmail(both, { variables: data(), locale: { contact: 'en' } });
    expect(rendered.locale).toBe('en');
    expect(rendered.subject).toBe('Hi Lucía');
    expect(rendered.html).toContain('<html lang="en"');
    const byAccount = await renderEmail(both, { variables: data() }); // the sample account's locale is es
    expect(byAccount).toMatchObject({ locale: 'es', subject: 'Hola Lucía' });
    expect(byAccount.why).toContain("the account's locale (es)");
  });
});

describe('rendering', () => {
  const hostile = data({
    account: { name: '<script>alert("x")</script> Tom & Jerry [win](http://evil.example) **now**' },
  });

  it('escapes HTML in account data in the HTML part and shows it as typed in the text part', async () => {
    const rendered = await renderEmail(both, { variables: hostile });
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry');
    expect(rendered.html).not.toContain('&amp;lt;'); // escaped once, not twice
    expect(rendered.html).not.toContain('href="http://evil.example"'); // data cannot write Markdown links…
    expect(rendered.html).toContain('[win](http://evil.example) **now**'); // …or bold: it stays text
    expect(rendered.text).toContain('<script>alert("x")</script> Tom & Jerry [win](http://evil.example) **now**');
  });

  it('renders the Markdown body: bold, links, lists, with inline styles, and keeps link addresses in the text', async () => {
    const markdown = template({
      es: {
        subject: 'Pasos',
        body: [
          'Hola **{{ contact.first_name }}**:',
          '',
          '1. Verifica tu correo',
          '2. [Reserva una llamada]({{ csm.booking_link }})',
          '',
          '- Ayuda: https://help.example.com/inicio',
          '- Equipo',
          '',
          'Un saludo,',
          '{{ csm.signature }}',
        ].join('\n'),
      },
    });
    const { html, text } = await renderEmail(markdown, { variables: data() });
    expect(html).toMatch(/<strong>Lucía<\/strong>/);
    expect(html).toMatch(/<ol style="[^"]+">\s*<li style="[^"]+">Verifica tu correo<\/li>/);
    expect(html).toContain('<a href="https://meet.example.com/marta-ruiz" style="');
    expect(html).toContain('<a href="https://help.example.com/inicio"');
    expect(html).toMatch(/Un saludo,<br>\s*Marta Ruiz<br>\s*Customer Success Manager/);
    expect(text).toContain('Hola Lucía:');
    expect(text).toMatch(
      /^ ?1\. Verifica tu correo\n ?2\. Reserva una llamada \(https:\/\/meet\.example\.com\/marta-ruiz\)$/m,
    );
    expect(text).toContain('- Ayuda: https://help.example.com/inicio\n- Equipo');
    expect(text).toContain('Un saludo,\nMarta Ruiz\nCustomer Success Manager');
  });

  it('writes headings, quotes, tables, code and mail links of the body into the text part as a reader expects', async () => {
    const rich = template({
      es: {
        subject: 's',
        body: [
          '## Tu plan',
          '',
          '> Renovación en enero',
          '',
          '| Plan | Asientos |',
          '|---|---|',
          '| Pro | 25 |',
          '',
          '```',
          'npm start',
          '```',
          '',
          'Escríbeme a marta@example.com o [por correo](mailto:ayuda@example.com).',
        ].join('\n'),
      },
    });
    const { text } = await renderEmail(rich, { variables: data() });
    expect(text).toMatch(/^Tu plan$/m); // not shouted in capitals
    expect(text).toMatch(/^> Renovación en enero$/m);
    expect(text).toMatch(/^Plan +Asientos\nPro +25$/m);
    expect(text).toMatch(/^npm start$/m);
    expect(text).toContain('Escríbeme a marta@example.com o por correo (ayuda@example.com).');
    expect(text).not.toMatch(/<|mailto:|\*\*|##/);
  });

  it('wraps the body in the 600 px layout with the unsubscribe link and address in both parts', async () => {
    const footer = {
      unsubscribeUrl: 'https://cs.example.com/u/tok123',
      company: 'Acme',
      address: 'Calle Mayor 1, Madrid',
    };
    const { html, text } = await renderEmail(both, { variables: data(), footer });
    expect(html).toContain('width="600"');
    expect(html).toContain('<a href="https://cs.example.com/u/tok123"');
    expect(html).toContain('Calle Mayor 1, Madrid');
    expect(text).toMatch(/Darse de baja de estos correos: https:\/\/cs\.example\.com\/u\/tok123/);
    const sneaky = await renderEmail(both, { variables: data(), footer: { unsubscribeUrl: 'javascript:alert(1)' } });
    expect(sneaky.html).not.toContain('javascript:');
  });

  it('writes to the account team (the owner CSM) with a team footer and no unsubscribe line', async () => {
    const { html, text } = await renderEmail(both, { variables: data(), footer: { company: 'Acme', staff: true } });
    expect(text).toContain('Recibes este correo como parte del equipo de Acme.');
    expect(html).toContain('Recibes este correo como parte del equipo de Acme.');
    expect(`${html}${text}`).not.toContain('Darse de baja');
  });

  it('does not HTML-escape the subject, and keeps it on one line', async () => {
    const subject = template({ es: { subject: '{{ account.name }}:\n  novedades', body: 'x' } });
    const rendered = await renderEmail(subject, {
      variables: data({ account: { name: 'Tom & Jerry <Ltd>' } }),
    });
    expect(rendered.subject).toBe('Tom & Jerry <Ltd>: novedades');
  });

  it('escapes once even when the author adds | escape out of habit', async () => {
    const habit = template({ es: { subject: 's', body: '{{ account.name | escape }} {{ account.name | raw }}' } });
    const { html } = await renderEmail(habit, { variables: data({ account: { name: 'A & B <c>' } }) });
    expect(html).toContain('A &amp; B &lt;c&gt; A &amp; B &lt;c&gt;');
  });

  it('formats dates in the email’s language without shifting the day', async () => {
    const dated = template({
      es: { subject: 's', body: 'Renovación: {{ account.renewalDate | date: "%e de %B de %Y" }}' },
      en: { subject: 's', body: 'Renewal: {{ account.renewalDate | date: "%B %e, %Y" }}' },
    });
    expect((await renderEmail(dated, { variables: data() })).text).toContain('Renovación: 12 de enero de 2027');
    expect((await renderEmail(dated, { variables: data(), locale: { requested: 'en' } })).text).toContain(
      'Renewal: January 12, 2027',
    );
  });

  it('stops a runaway loop quickly with an error that says what happened', async () => {
    const loop = template({ es: { subject: 's', body: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' } });
    const started = Date.now();
    const error = await renderEmail(loop, { variables: data() }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ code: 'template_too_heavy', place: { locale: 'es', field: 'body' } });
    expect((error as Error).message).toMatch(/^Spanish body, line 1, column \d+: .*loop/);
  });

  it('stops a slow nested loop at the time limit', async () => {
    const slow = template({
      es: { subject: 's', body: '{% for i in (1..3000) %}{% for j in (1..3000) %}x{% endfor %}{% endfor %}' },
    });
    const started = Date.now();
    await expect(renderEmail(slow, { variables: data() })).rejects.toMatchObject({ code: 'template_too_heavy' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('template checks', () => {
  it('rejects an unknown variable naming the language and the part', () => {
    const typo = template({
      es: { subject: 'Hola {{ contact.first_name }}', body: 'Hola\n\n{{ acount.name }} y {{ csm.nickname }}' },
      en: { subject: '{{ account.tier }}', body: 'Hi' },
    });
    const { issues } = checkEmailTemplate(typo);
    expect(issues.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: 'locales.es.body', code: 'unknown_template_variable' },
      { path: 'locales.es.body', code: 'unknown_template_variable' },
      { path: 'locales.en.subject', code: 'unknown_account_field' },
    ]);
    expect(issues[0]?.message).toBe(
      "Spanish body, line 3, column 4: {{acount.name}} cannot be used: there is no 'acount' (did you mean {{account.name}}?): variables start with account., contact., csm., run., approval. or trigger.",
    );
    expect(issues[1]?.message).toContain(
      "CSMs have no 'nickname'; they have first_name, name, email, booking_link and signature",
    );
  });

  it('reports Liquid that does not parse with its line and column, in words', () => {
    const broken = template({ es: { subject: 'ok', body: 'Hola\n\n{% if account.plan %}\nPlan {{ account.plan }}' } });
    expect(checkEmailTemplate(broken).issues).toEqual([
      {
        path: 'locales.es.body',
        code: 'template_syntax',
        message: 'Spanish body, line 3, column 1: {% if account.plan %} is never closed: add {% endif %}',
      },
    ]);
    const filter = checkEmailTemplate(template({ es: { subject: '{{ account.name | shout }}', body: 'x' } }));
    expect(filter.issues[0]?.message).toBe("Spanish subject, line 1, column 1: there is no filter 'shout'");
  });

  it('refuses partials: a template cannot read files', () => {
    const partial = checkEmailTemplate(template({ es: { subject: 's', body: '{% include "/etc/passwd" %}' } }));
    expect(partial.issues[0]?.message).toContain('the {% include %} tag is not available in email templates');
  });

  it('lists the variables a template reads, not the ones it assigns or loops over', () => {
    const loops = template({
      es: {
        subject: '{{ contact.first_name }}',
        body: '{% assign who = csm.name %}{{ who }}{% for i in (1..2) %}{{ forloop.index }}{{ i }}{% endfor %}{{ account.name.size }}',
      },
    });
    expect(checkEmailTemplate(loops)).toEqual({
      variables: ['account.name.size', 'contact.first_name', 'csm.name'],
      issues: [],
    });
  });

  it('knows custom account fields only when told, and explains the unsubscribe link', () => {
    const vocabulary = templateVocabulary();
    expect(templateVariableProblem(vocabulary, 'account.renewalDate')).toBeUndefined();
    expect(templateVariableProblem(vocabulary, 'account.seats')).toMatchObject({ code: 'unknown_account_field' });
    expect(templateVariableProblem(templateVocabulary({ seats: { type: 'number' } }), 'account.seats')).toBeUndefined();
    expect(templateVariableProblem(vocabulary, 'links.unsubscribe')?.reason).toContain('footer of every email');
    expect(templateVariableProblem(vocabulary, 'csm')?.reason).toContain('{{csm.name}}');
    expect(templateVariableProblem(vocabulary, 'account[field]')?.reason).toContain('computed name');
    expect(templateVariableProblem(vocabulary, 'contact.firstname')?.reason).toContain(
      'did you mean {{contact.first_name}}',
    );
    expect(templateVariableProblem(vocabulary, 'account.constructor')).toMatchObject({ code: 'unknown_account_field' });
  });
});

describe('the playbook compiler and templates', () => {
  const example = JSON.parse(
    readFileSync(new URL('../../playbooks/examples/welcome-and-checkin.json', import.meta.url), 'utf8'),
  );

  it('fails an email whose template uses an unknown variable, on that email’s node', () => {
    const bad = checkEmailTemplate(
      template({ es: { subject: 'Hola', body: 'Hola {{ csm.nickname }} de {{ acount.name }}' } }),
    );
    const context: CompileContext = {
      templates: { welcome: { variables: bad.variables }, 'onboarding-day4': { variables: ['contact.first_name'] } },
    };
    const result = compilePlaybook(example, context);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map(({ nodeId, code }) => ({ nodeId, code }))).toEqual([
      { nodeId: 'welcome', code: 'unknown_template_variable' },
      { nodeId: 'welcome', code: 'unknown_template_variable' },
    ]);
    expect(issues.map((issue) => issue.message)).toContain(
      "The 'Welcome' email uses {{csm.nickname}} but CSMs have no 'nickname'; they have first_name, name, email, booking_link and signature",
    );
  });

  it('compiles the example playbook against the shipped templates', async () => {
    const shipped = await loadShippedTemplates();
    const templates = Object.fromEntries(shipped.map((t) => [t.key, { variables: checkEmailTemplate(t).variables }]));
    expect(Object.keys(templates)).toEqual(expect.arrayContaining(['welcome', 'onboarding-day4']));
    expect(compilePlaybook(example, { templates }).ok).toBe(true);
  });

  it('does not check templates when no template store is wired (offline validate)', () => {
    expect(compilePlaybook(example).ok).toBe(true);
  });
});

describe('shipped templates', () => {
  it('are written in Spanish and English, signed by the CSM with a booking link, and render cleanly', async () => {
    for (const shipped of await loadShippedTemplates()) {
      expect(Object.keys(shipped.locales).sort(), shipped.key).toEqual(['en', 'es']);
      for (const locale of ['es', 'en'] as const) {
        const { subject, html, text } = await renderEmail(shipped, {
          variables: data(),
          locale: { requested: locale },
        });
        // Personal by the greeting; some subjects are the seed's own words, kept verbatim (¿Cómo va tu primera experiencia?).
        expect(`${subject}\n${text}`).toContain('Lucía');
        expect(text).toContain('Marta Ruiz');
        expect(html).toContain('href="https://meet.example.com/marta-ruiz"');
        expect(`${subject}${text}`).not.toMatch(/\{\{|\{%|lorem/i);
      }
    }
  });

  it('reads the front matter strictly and says which file is wrong', () => {
    const file = parseTemplateFile(
      'hello.en.md',
      '---\nname: Hello\nsubject: "  Hi {{ contact.first_name }}"\n---\n\nBody\n',
    );
    expect(file).toEqual({
      key: 'hello',
      locale: 'en',
      front: { name: 'Hello', subject: '  Hi {{ contact.first_name }}' },
      body: 'Body',
    });
    expect(() => parseTemplateFile('hello.fr.md', '---\n---\n')).toThrow(ShippedTemplateError);
    expect(() => parseTemplateFile('hello.es.md', '---\ntitle: x\n---\n')).toThrow(
      "hello.es.md: line 2: unknown key 'title'",
    );
    expect(() => parseTemplateFile('hello.es.md', 'no front matter')).toThrow(/front matter/);
  });
});

describe('the template schema', () => {
  it('keeps the schema’s promise that the default language is one the template is written in', () => {
    const parsed = EmailTemplate.safeParse({
      key: 'x',
      name: 'X',
      defaultLocale: 'en',
      locales: { es: { subject: 's', body: 'b' } },
    });
    expect(parsed.success).toBe(false);
  });
});

describe('template variables', () => {
  it('builds snake_case groups from plain records, deriving first names and keeping dates as calendar dates', () => {
    const built = templateVariables({
      account: { name: 'Acme', plan: 'Pro', renewalDate: new Date('2027-03-01T00:00:00Z'), fields: { seats: 12 } },
      contact: { name: 'Ana María López', email: 'ana@acme.example' },
      csm: { name: 'Marta Ruiz', bookingLink: 'https://meet.example.com/marta' },
      run: { playbook: 'Onboarding', day: 4 },
    });
    expect(built).toEqual({
      account: { name: 'Acme', externalId: null, plan: 'Pro', renewalDate: '2027-03-01', seats: 12 },
      contact: { first_name: 'Ana', name: 'Ana María López', email: 'ana@acme.example' },
      csm: {
        first_name: 'Marta',
        name: 'Marta Ruiz',
        email: '',
        booking_link: 'https://meet.example.com/marta',
        signature: 'Marta Ruiz',
      },
      run: { playbook: 'Onboarding', day: 4 },
      approval: {},
      trigger: {},
    });
  });

  it('keeps a field named __proto__ as data', () => {
    const built = templateVariables({ account: { name: 'A', fields: JSON.parse('{"__proto__": "x"}') } });
    expect(Object.getPrototypeOf(built.account)).toBe(Object.prototype);
  });
});
