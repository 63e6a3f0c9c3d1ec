import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { expect, inject, it } from 'vitest';
import { asAdmin } from '../support/api.js';
import { api, publish, runOf, runUntil } from '../support/rescue-playbooks.js';

// Issue 16, item 5, on the real dev server: an account imported 45 days before its renewal enters the renewal
// cadence at −30 d (the import tells its workflow the date was set; the date trigger takes it late), the run says
// why, and "why (not) enrolled" says so too.

it('an account imported 45 days before renewal enters the cadence at −30 d, and the explanation says why', async () => {
  const seed = JSON.parse(readFileSync('playbooks/seed/renewal-cadence.json', 'utf8')) as Record<string, unknown>;
  const key = `catch-up-${Date.now()}`;
  await publish({ ...seed, key, name: 'Renewal cadence (catch-up test)' });
  try {
    const zone = 'Europe/Madrid';
    const renewal = DateTime.now().setZone(zone).plus({ days: 45 }).toISODate()!;
    const externalId = `late-${randomUUID().slice(0, 8)}`;
    const res = await fetch(`${inject('apiUrl')}/api/accounts/import?kind=accounts`, {
      method: 'POST',
      headers: asAdmin({ 'content-type': 'text/csv' }),
      body: [
        'external_id,name,time_zone,segment,renewal_date',
        `${externalId},Norte Logística,${zone},tech-touch,${renewal}`,
      ].join('\n'),
    });
    expect(res.status).toBe(200);
    const account = (await api('GET', `/api/accounts/by-external-id/${externalId}`)).body as { id: string };

    const run = await runOf(account.id, key);
    const detail = await runUntil(
      run.workflowId,
      'the run to wait for −30 d',
      (d) => d.position?.waiting?.kind === 'timer',
    );
    const enrolled = detail.timeline[0]!;
    expect(enrolled.why).toContain('renewalDate set to');
    expect(enrolled.why).toContain('renewal in 45 days: the −120, −90 and −60 d steps are past; enters at −30 d');
    // Straight from the start to the −30 d wait: no QBR invite, no proposal.
    expect(detail.timeline.map((e) => e.summary)).toEqual([
      expect.stringMatching(/^Enrolled in /),
      expect.stringMatching(/^Until 30 days before renewal: until /),
    ]);

    const why = (await api('GET', `/api/accounts/${account.id}/enrollment?playbook=${key}`)).body as {
      summary: string[];
      now: { catchUp: { policy: string; enterAt: string } };
    };
    expect(why.summary[0]).toMatch(/^Enrolled: run /);
    expect(why.summary.join(' ')).toContain(
      'renewal in 45 days: the −120, −90 and −60 d steps are past; enters at −30 d',
    );
    expect(why.now.catchUp).toMatchObject({ policy: 'firstAhead', enterAt: 'until30' });
  } finally {
    await api('POST', `/api/playbooks/${key}/archive`);
  }
});
