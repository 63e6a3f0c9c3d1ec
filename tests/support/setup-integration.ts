import type { TestProject } from 'vitest/node';
import type { TokenScope } from '../../server/auth/scopes.js';
import { createToken, revokeToken } from '../../server/auth/tokens.js';
import { startStack } from '../../server/stack.js';
import { temporalCliPath } from '../../server/temporal/cli-path.js';
import { installSampleTemplates } from './sample-templates.js';
import { testCa } from './test-ca.js';
import { testConfig, testLogger } from './test-config.js';
import './provided.js';

// The integration lane runs against the real thing, started once: a Temporal dev server, the worker, the API,
// PGlite and the in-process SMTP server — the same startStack() that `npm start` uses.
export default async function setup(project: TestProject) {
  const cliPath = temporalCliPath();
  if (!cliPath) {
    throw new Error('integration lane: the temporal CLI is not provisioned (run: bash scripts/provision.sh temporal)');
  }
  // Outbound webhooks are signed with this secret, so the effects tests can check the signature a receiver sees.
  const webhookSecret = 'integration-webhook-secret';
  // Webhook tests call a local HTTPS receiver: 127.0.0.1 allowed, its certificate from the tests' own CA trusted.
  const config = await testConfig({
    WEBHOOK_SECRET: webhookSecret,
    OUTBOUND_ALLOW: '127.0.0.1',
    OUTBOUND_CA_FILE: testCa().caFile,
  });
  const stack = await startStack(config, { logger: testLogger(), temporalCliPath: cliPath }).catch((error: Error) => {
    throw new Error(`integration lane: the local stack did not start: ${error.message}`);
  });
  // Published playbooks are checked against the stack's email templates: add the ones the sample playbooks use.
  await installSampleTemplates(stack.context.database.db).catch(async (error: Error) => {
    await stack.close();
    throw new Error(`integration lane: could not add the sample email templates: ${error.message}`);
  });
  // API tokens: one for events, one without that scope, one revoked. (The stack's admin token, which the request
  // helpers send, is its STAYFLOW_BOOTSTRAP_TOKEN: tests/support/test-config.ts.)
  const db = stack.context.database.db;
  const token = (name: string, scope: TokenScope) => createToken(db, { name, scopes: [scope] });
  const apiTokens = await Promise.all([
    token('integration: events', 'events:write'),
    token('integration: other scope', 'read'),
    token('integration: revoked', 'events:write').then(async (t) => (await revokeToken(db, t.token.id), t)),
  ]).catch(async (error: Error) => {
    await stack.close();
    throw new Error(`integration lane: could not create the API tokens: ${error.message}`);
  });
  project.provide('apiTokens', {
    events: apiTokens[0].secret,
    otherScope: apiTokens[1].secret,
    revoked: apiTokens[2].secret,
  });
  project.provide('apiUrl', stack.apiUrl!);
  project.provide('webhookSecret', webhookSecret);
  project.provide('taskQueue', config.TEMPORAL_TASK_QUEUE);
  return () => stack.close();
}
