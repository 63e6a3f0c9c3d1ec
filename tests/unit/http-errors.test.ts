import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { toHttpError } from '../../server/api/http-error.js';
import { DomainError } from '../../server/errors.js';

// What an error becomes on its way out. A Temporal query that no worker answered in time (a loaded machine) made
// GET /api/runs/:id answer 500; it is the engine being unavailable, so 503 with a message saying nothing changed.

const grpc = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: {} });

describe('toHttpError', () => {
  it('maps a Temporal deadline or an unavailable server to 503, also when wrapped by the client', () => {
    const deadline = new ServiceError('Failed to query Workflow', { cause: grpc(4, 'query timed out') });
    expect(toHttpError(deadline)).toMatchObject({ status: 503, code: 'engine_unavailable' });
    expect(toHttpError(grpc(14, 'connection refused'))).toMatchObject({ status: 503 });
    expect(toHttpError(new ServiceError('x', { cause: grpc(14, 'down') }))).toMatchObject({ status: 503 });
  });

  it('keeps domain kinds and hides anything else behind a 500 without details', () => {
    expect(toHttpError(new DomainError('conflict', 'already_enrolled', 'already'))).toMatchObject({ status: 409 });
    expect(toHttpError(grpc(3, 'invalid argument'))).toMatchObject({ status: 500, code: 'internal' });
    expect(toHttpError(new Error('boom')).message).not.toContain('boom');
  });
});
