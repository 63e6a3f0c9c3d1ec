import { describe, expect, inject, it } from 'vitest';
import '../support/provided.js';
import { until } from '../support/until.js';
import { api } from '../support/api.js';

// A playbook email through the real stack: published and enrolled over the API, sent by the worker through the
// in-process SMTP server, read back from the outbox; then its links used as the recipient would use them.

const apiUrl = () => inject('apiUrl');

const playbook = {
  schemaVersion: 1,
  key: 'email-delivery-it',
  name: 'Resources email',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    {
      id: 'resources',
      type: 'email',
      label: 'Resources',
      config: { template: 'it-resources', recipients: 'primaryContact', sendWindow: 'immediate' },
    },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'resources' },
    { id: 'e2', source: 'resources', target: 'done' },
  ],
};

/** The path of a link of ours in the email (the stack's PUBLIC_URL names port 0 in tests: the path is what counts). */
const pathOf = (url: string) => new URL(url.replace(/&amp;/g, '&')).pathname;

describe('a playbook email through the API', () => {
  it('arrives with its subject and headers; its unsubscribe link and tracked link work end to end', async () => {
    const template = await api('PUT', '/api/templates/it-resources', {
      name: 'Resources (integration)',
      defaultLocale: 'en',
      locales: {
        en: {
          subject: 'Resources for {{ account.name }}',
          body: 'Hi {{ contact.first_name }},\n\n[Best practices](https://docs.acme.example/best-practices)',
        },
        es: {
          subject: 'Recursos para {{ account.name }}',
          body: 'Hola {{ contact.first_name }}:\n\n[Buenas prácticas](https://docs.acme.example/buenas-practicas)',
        },
      },
    });
    expect(template.status).toBe(200);
    expect((await api('POST', '/api/playbooks', { definition: playbook })).status).toBe(201);
    expect((await api('POST', `/api/playbooks/${playbook.key}/publish`)).status).toBe(201);
    const account = await api('POST', '/api/accounts', {
      externalId: 'email-it-1',
      name: 'Transportes Álvarez',
      locale: 'es',
    });
    expect(account.status).toBe(201);
    const accountId = account.body.id as string;
    const contact = await api('POST', `/api/accounts/${accountId}/contacts`, {
      name: 'Lucía Álvarez',
      email: 'lucia@alvarez.example',
    });
    expect(contact.status).toBe(201);
    expect((await api('POST', `/api/playbooks/${playbook.key}/enrollments`, { accountId })).status).toBe(201);

    const summary = await until(
      'the email in the outbox',
      async () => (await api('GET', '/api/outbox?to=lucia@alvarez.example')).body.items[0],
      45_000,
    );
    expect(summary.subject).toBe('Recursos para Transportes Álvarez');
    const mail = (await api('GET', `/api/outbox/${summary.id}`)).body;
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /^<([^>]+)>$/.exec(mail.headers['list-unsubscribe'])![1]!;
    expect(pathOf(unsubscribeUrl)).toMatch(/^\/u\/[\w-]+\.[\w-]+\.[\w-]+$/); // a signed JWT (jose, HS256)

    // The outbox's own record: sent, with the same Message-ID the SMTP server received.
    const deliveries = (await api('GET', `/api/outbox/deliveries?accountId=${accountId}`)).body.items;
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ state: 'sent', recipient: 'lucia@alvarez.example', locale: 'es' });
    expect(deliveries[0].messageId).toBe(mail.messageId);
    const message = (await api('GET', `/api/outbox/deliveries/${deliveries[0].id}`)).body;
    expect(message.html).toContain('Buenas prácticas');
    expect(message.headers['List-Unsubscribe']).toBe(`<${unsubscribeUrl}>`);
    // Only uncertain emails may be resent by hand: this one is known to be sent.
    const resend = await api('POST', `/api/outbox/deliveries/${deliveries[0].id}/resend`);
    expect(resend.status).toBe(409);
    expect(resend.body.error.message).toMatch(/this one is sent/);

    // A click goes through the tracked redirect to the template's link and is recorded for the account.
    const tracked = /href="([^"]+\/r\/[^"]+)"/.exec(mail.html)![1]!;
    const click = await fetch(`${apiUrl()}${pathOf(tracked)}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://docs.acme.example/buenas-practicas');
    const events = (await api('GET', `/api/accounts/${accountId}/events`)).body.items;
    expect(events.find((e: { name: string }) => e.name === 'email.clicked')?.data).toMatchObject({
      url: 'https://docs.acme.example/buenas-practicas',
      template: 'it-resources',
    });

    // The unsubscribe page asks first; the POST (the page's button, or a mail client's one-click) unsubscribes.
    const page = await fetch(`${apiUrl()}${pathOf(unsubscribeUrl)}`);
    expect(page.status).toBe(200);
    // No upgrade-insecure-requests: the button must work on an install served over plain http.
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(await page.text()).toContain('<form method="post"');
    const contactsBefore = (await api('GET', `/api/accounts/${accountId}/contacts`)).body.items;
    expect(contactsBefore[0].unsubscribed).toBe(false);
    const oneClick = await fetch(`${apiUrl()}${pathOf(unsubscribeUrl)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed');
    const contactsAfter = (await api('GET', `/api/accounts/${accountId}/contacts`)).body.items;
    expect(contactsAfter[0].unsubscribed).toBe(true);
  });

  it('answers a damaged link with a 400 page and changes nothing', async () => {
    const res = await fetch(`${apiUrl()}/u/not-a-real-token`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This link does not work');
    const forged = await fetch(`${apiUrl()}/r/eyJrIjoiciIsIm8iOiJ4IiwidSI6Imh0dHBzOi8vZXZpbC5leGFtcGxlIn0.AAAA`, {
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);
    expect(forged.headers.get('location')).toBeNull();
    // A JWT that claims no signature is needed (alg "none") is as damaged as any other.
    const claims = Buffer.from('{"k":"r","o":"x","u":"https://evil.example"}').toString('base64url');
    const unsigned = await fetch(`${apiUrl()}/r/${Buffer.from('{"alg":"none"}').toString('base64url')}.${claims}.`, {
      redirect: 'manual',
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get('location')).toBeNull();
    expect((await api('GET', '/api/outbox/deliveries?state=nope')).status).toBe(400);
  });
});
