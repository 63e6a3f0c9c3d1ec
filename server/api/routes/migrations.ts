import { z } from 'zod';
import {
  MigrationPlan,
  MigrationProgress,
  MigrationRequest,
  MigrationStarted,
} from '../../../engine/playbook/migration-request.js';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { migrationProgress, planMigration, startMigration } from '../../playbooks/migrations.js';
import { route } from '../route.js';
import { DESIGNERS } from '../roles.js';

// Moving running accounts to a newer version of their playbook: a dry run, the move, and its progress.

const PlaybookRef = z.object({ id: z.string().min(1).max(100) });
const MigrationRef = PlaybookRef.extend({ migrationId: z.uuid({ message: 'must be a migration id (a UUID)' }) });

export const migrationRoutes = (ctx: AppContext) => [
  route({
    method: 'post',
    path: '/api/playbooks/:id/migrations/dry-run',
    tag: 'playbooks',
    access: { roles: DESIGNERS, scope: 'read' },
    summary:
      'Lists every running account of version `from` with the step it stands on and the step of the newer version it would continue at, the mapping (automatic where step ids and types match) and what is unmapped. Changes nothing.',
    params: PlaybookRef,
    body: MigrationRequest,
    response: MigrationPlan,
    errors: [404, 409, 422],
    async handler({ params, body }) {
      return planMigration(ctx, params.id, body);
    },
  }),
  route({
    method: 'post',
    path: '/api/playbooks/:id/migrations',
    tag: 'playbooks',
    access: { roles: DESIGNERS, scope: 'playbooks:publish' },
    summary:
      'Moves the running accounts of version `from` to a newer version: each run continues at the mapped step when the step it stands on ends. Refused (422) while a step is unmapped; runs the dry run refuses stay on their version. Audited.',
    params: PlaybookRef,
    body: MigrationRequest,
    status: 202,
    response: MigrationStarted,
    errors: [404, 409, 422],
    async handler({ params, body, principal, req }) {
      if (!principal) throw new DomainError('unauthenticated', 'unauthorized', 'Sign in to move runs');
      return startMigration(ctx, params.id, body, principal, req.ip ?? null);
    },
  }),
  route({
    method: 'get',
    path: '/api/playbooks/:id/migrations/:migrationId',
    tag: 'playbooks',
    access: { roles: DESIGNERS, scope: 'read' },
    summary: "A migration's progress: each run asked so far and whether it is moving, refused (why) or had ended.",
    params: MigrationRef,
    response: MigrationProgress,
    errors: [404],
    async handler({ params }) {
      return migrationProgress(ctx, params.id, params.migrationId);
    },
  }),
];
