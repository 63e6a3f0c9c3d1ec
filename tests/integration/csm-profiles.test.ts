import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import '../support/provided.js';
import { until } from '../support/until.js';
import { api } from '../support/api.js';

// A CSM's profile (name, booking link, signature) is what playbook emails sign with for the accounts they own:
// saved over the API, seen in the editor's preview and in the email that arrives.

describe('CSM profiles', () => {
  const csm = `marta.${randomUUID().slice(0, 8)}@cs.example`;
  const booking = 'https://meet.cs.example/marta/30min';
  const signature = 'Marta Ruiz\nCustomer Success · Acme Analytics\n+34 600 000 000';

  it('are saved by email, partly updated, and refuse a bad link without changing anything', async () => {
    const saved = await api('PUT', `/api/csms/${csm.toUpperCase()}`, {
      name: 'Marta Ruiz',
      bookingLink: booking,
      signature,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ email: csm, name: 'Marta Ruiz', bookingLink: booking, signature });

    const bad = await api('PUT', `/api/csms/${csm}`, { bookingLink: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('bookingLink');
    expect((await api('GET', `/api/csms/${csm}`)).body.bookingLink).toBe(booking);

    const renamed = await api('PUT', `/api/csms/${csm}`, { name: 'Marta R.' });
    expect(renamed.body).toMatchObject({ name: 'Marta R.', bookingLink: booking });
    await api('PUT', `/api/csms/${csm}`, { name: 'Marta Ruiz' });

    expect((await api('GET', '/api/csms/nobody@cs.example')).status).toBe(404);
    expect((await api('PUT', '/api/csms/not-an-email', { name: 'x' })).status).toBe(400);
    expect((await api('PUT', `/api/csms/${csm}`, { phone: '1' })).status).toBe(400);
  });

  it('sign the preview and the email a playbook sends for an account the CSM owns', async () => {
    const account = await api('POST', '/api/accounts', {
      externalId: `csm-${randomUUID()}`,
      name: 'Ferretería Gómez',
      locale: 'es',
      ownerCsmName: 'Marta (from the CRM)',
      ownerCsmEmail: csm,
    });
    expect(account.status).toBe(201);
    const accountId = account.body.id as string;
    const contact = `pablo.${randomUUID().slice(0, 8)}@gomez.example`;
    expect(
      (await api('POST', `/api/accounts/${accountId}/contacts`, { name: 'Pablo Gómez', email: contact })).status,
    ).toBe(201);

    const preview = await api('POST', '/api/templates/render', { key: 'onboarding-day5', accountId });
    expect(preview.status).toBe(200);
    expect(preview.body.html).toContain(booking);
    expect(preview.body.text).toContain('Customer Success · Acme Analytics');

    const key = `csm-signed-${randomUUID().slice(0, 8)}`;
    const definition = {
      schemaVersion: 1,
      key,
      name: 'Signed by the CSM',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        {
          id: 'tips',
          type: 'email',
          label: 'ROI tips',
          config: { template: 'onboarding-day5', recipients: 'primaryContact', sendWindow: 'immediate' },
        },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'tips' },
        { id: 'e2', source: 'tips', target: 'done' },
      ],
    };
    expect((await api('POST', '/api/playbooks', { definition })).status).toBe(201);
    expect((await api('POST', `/api/playbooks/${key}/publish`)).status).toBe(201);
    expect((await api('POST', `/api/playbooks/${key}/enrollments`, { accountId })).status).toBe(201);
    const summary = await until(
      'the email in the outbox',
      async () => (await api('GET', `/api/outbox?to=${contact}`)).body.items[0],
    );
    const mail = (await api('GET', `/api/outbox/${summary.id}`)).body;
    expect(mail.subject).toBe('Tips para maximizar tu ROI');
    expect(mail.text).toContain('Customer Success · Acme Analytics');
    expect(mail.text).not.toContain('from the CRM');
  });
});
