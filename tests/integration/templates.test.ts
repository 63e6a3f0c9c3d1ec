import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../support/provided.js';
import { api } from '../support/api.js';

const renewal = {
  name: 'Renewal reminder',
  description: '30 days before the renewal date.',
  defaultLocale: 'es',
  locales: {
    es: {
      subject: '{{ account.name }}: tu renovación se acerca',
      body: 'Hola {{ contact.first_name }}:\n\nTu plan **{{ account.plan }}** se renueva pronto.\n\n[Hablemos]({{ csm.booking_link }})\n\n{{ csm.name }}',
    },
    en: {
      subject: '{{ account.name }}: your renewal is coming up',
      body: 'Hi {{ contact.first_name }},\n\nYour **{{ account.plan }}** plan renews soon.\n\n[Let’s talk]({{ csm.booking_link }})\n\n{{ csm.name }}',
    },
  },
};

describe('email templates over HTTP', () => {
  it('lists the shipped templates installed at start', async () => {
    const { status, body } = await api('GET', '/api/templates');
    expect(status).toBe(200);
    const byKey = Object.fromEntries(body.items.map((t: { key: string }) => [t.key, t]));
    expect(byKey.welcome).toMatchObject({ origin: 'shipped', edited: false, defaultLocale: 'es' });
    expect(byKey.welcome.variables).toEqual(
      expect.arrayContaining(['contact.first_name', 'csm.name', 'csm.booking_link']),
    );
    expect(byKey['onboarding-day4']).toMatchObject({ origin: 'shipped' });
  });

  it('saves a template with PUT and reads it back with the variables it uses', async () => {
    const saved = await api('PUT', '/api/templates/renewal-30d', renewal);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ key: 'renewal-30d', origin: 'custom', edited: false });
    const { status, body } = await api('GET', '/api/templates/renewal-30d');
    expect(status).toBe(200);
    expect(body.locales.en.subject).toBe(renewal.locales.en.subject);
    expect(body.variables).toEqual([
      'account.name',
      'account.plan',
      'contact.first_name',
      'csm.booking_link',
      'csm.name',
    ]);
    expect((await api('GET', '/api/templates/nope')).status).toBe(404);
  });

  it('refuses unknown variables and broken Liquid with 422, naming the language and the part', async () => {
    const broken = structuredClone(renewal);
    broken.locales.en.body = 'Hi {{ contact.first_name }}\n\n{{ csm.nickname }}';
    broken.locales.es.subject = '{% if account.plan %}Hola';
    const { status, body } = await api('PUT', '/api/templates/renewal-broken', broken);
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_template');
    expect(body.error.issues).toEqual([
      expect.objectContaining({ path: 'locales.es.subject', code: 'template_syntax' }),
      expect.objectContaining({ path: 'locales.en.body', code: 'unknown_template_variable' }),
    ]);
    expect(body.error.issues[1].message).toMatch(/^English body, line 3, column 4: \{\{csm\.nickname\}\}/);
    expect((await api('GET', '/api/templates/renewal-broken')).status).toBe(404);
    expect((await api('PUT', '/api/templates/no-language', { ...renewal, locales: {} })).status).toBe(400);
  });

  it('renders a saved template for sample values: escaped HTML, plain text, subject as typed, and why that language', async () => {
    const { status, body } = await api('POST', '/api/templates/render', {
      key: 'renewal-30d',
      variables: {
        account: { name: 'Tom & Jerry <script>alert(1)</script>', plan: 'Business' },
        contact: { first_name: 'Ana', locale: 'en-US' },
        csm: { name: 'Marta Ruiz', booking_link: 'https://meet.example.com/marta' },
      },
    });
    expect(status).toBe(200);
    expect(body.locale).toBe('en');
    expect(body.why).toBe("English: the contact's locale (en-US)");
    expect(body.subject).toBe('Tom & Jerry <script>alert(1)</script>: your renewal is coming up');
    expect(body.html).not.toContain('<script>');
    expect(body.html).toContain('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body.html).toContain('<a href="https://meet.example.com/marta"');
    expect(body.text).toContain('Your Business plan renews soon.');
    expect(body.text).toContain('Let’s talk (https://meet.example.com/marta)');
  });

  it('renders for a stored account, its primary contact and its CSM', async () => {
    const account = await api('POST', '/api/accounts', {
      externalId: `tpl-${Date.now()}`,
      name: 'Transportes Álvarez',
      locale: 'es',
      plan: 'Pro',
      ownerCsmName: 'Marta Ruiz',
      ownerCsmEmail: 'marta@cs.example.com',
    });
    expect(account.status).toBe(201);
    const contact = await api('POST', `/api/accounts/${account.body.id}/contacts`, {
      name: 'Lucía Álvarez',
      email: 'lucia@alvarez.example',
    });
    expect(contact.status).toBe(201);
    const { status, body } = await api('POST', '/api/templates/render', {
      key: 'renewal-30d',
      accountId: account.body.id,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ locale: 'es', subject: 'Transportes Álvarez: tu renovación se acerca' });
    expect(body.text).toContain('Hola Lucía:');
    expect(body.text).toContain('Tu plan Pro se renueva pronto.');
    expect(body.text).toContain('Marta Ruiz');
    const missing = await api('POST', '/api/templates/render', {
      key: 'renewal-30d',
      accountId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.status).toBe(404);
  });

  it('previews an unsaved template, and refuses one with an unknown variable', async () => {
    const preview = await api('POST', '/api/templates/render', {
      template: {
        name: 'Draft',
        defaultLocale: 'en',
        locales: { en: { subject: 'Hi {{ contact.first_name }}', body: 'Hello' } },
      },
      locale: 'en',
    });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe('Hi Lucía'); // the sample customer
    const bad = await api('POST', '/api/templates/render', {
      template: { name: 'Draft', defaultLocale: 'en', locales: { en: { subject: 'Hi {{ acount.name }}', body: 'x' } } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0]).toMatchObject({ path: 'locales.en.subject', code: 'unknown_template_variable' });
    expect((await api('POST', '/api/templates/render', { key: 'welcome', template: renewal })).status).toBe(400);
    expect((await api('POST', '/api/templates/render', { key: 'nope' })).status).toBe(404);
  });

  it('validates playbooks against the stored templates: an email with a missing template fails on its node', async () => {
    const example = JSON.parse(
      readFileSync(new URL('../../playbooks/examples/welcome-and-checkin.json', import.meta.url), 'utf8'),
    );
    expect((await api('POST', '/api/playbooks/validate', { definition: example })).status).toBe(200);
    example.nodes.find((n: { id: string }) => n.id === 'checkin').config.template = 'onboarding-day99';
    const { status, body } = await api('POST', '/api/playbooks/validate', { definition: example });
    expect(status).toBe(422);
    expect(body.error.issues).toEqual([expect.objectContaining({ nodeId: 'checkin', code: 'unknown_template' })]);
  });
});
