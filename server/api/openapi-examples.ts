// Request-body examples of the main operations, shown in the docs (/api/docs) and checked against each operation's
// own schema by tests/unit/openapi-document.test.ts, so an example cannot drift from what the API accepts.
// Keyed by "METHOD /path" as the route table writes it.

export const requestExamples: Record<string, unknown> = {
  'POST /api/session': { email: 'admin@acme.example', password: 'correct horse battery staple' },
  'POST /api/users': { email: 'ana@acme.example', name: 'Ana Ruiz', role: 'csm', password: 'a long passphrase here' },
  'POST /api/tokens': { name: 'CRM sync', scopes: ['events:write'], expiresAt: '2027-01-01T00:00:00Z' },
  'POST /api/accounts': {
    externalId: 'crm-4711',
    name: 'Acme S.A.',
    segment: 'high-touch',
    ownerCsmEmail: 'ana@acme.example',
    locale: 'es',
    timeZone: 'Europe/Madrid',
    plan: 'pro',
    mrr: 1200,
    renewalDate: '2027-03-31',
  },
  'PATCH /api/accounts/:id': { segment: 'tech-touch', custom: { seats: 40 } },
  'POST /api/accounts/:id/contacts': { name: 'Lucía Gómez', email: 'lucia@acme.example', role: 'Admin', primary: true },
  'POST /api/events': {
    externalId: 'crm-4711',
    name: 'nps.answered',
    occurredAt: '2026-03-02T09:00:00Z',
    data: { score: 9 },
    idempotencyKey: 'nps-4711-2026-03',
  },
  'POST /api/runs/bulk': { action: 'cancel', workflowIds: ['playbook:onboarding-30d:account:acme'] },
  'POST /api/tasks/:id/complete': { note: 'Called; they will book the training next week.' },
  'POST /api/approvals/:id/decision': { decision: 'approved', values: { discount: 15 }, reason: 'Long-time customer' },
};
