import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { HttpError, Problem, problemOf, sendProblem, toHttpError } from '../../server/api/http-error.js';
import { DomainError } from '../../server/errors.js';

// What a problem response carries, status by status: Retry-After on 429 and 503 (the domain's own wait when it
// knows one), the RFC 9457 members and the older `error` object, in application/problem+json.

/** Records what sendProblem sets on an Express response. */
function recorder() {
  const sent = { status: 0, headers: {} as Record<string, string>, type: '', body: '' };
  const res = {
    set: (name: string, value: string) => ((sent.headers[name.toLowerCase()] = value), res),
    status: (status: number) => ((sent.status = status), res),
    type: (type: string) => ((sent.type = type), res),
    send: (body: string) => ((sent.body = body), res),
  };
  return { res: res as unknown as Response, sent };
}

describe('problem responses', () => {
  it('says when to retry a 503 the engine caused, and a 429 with the wait the domain knows', () => {
    const engine = recorder();
    sendProblem(engine.res, toHttpError(new DomainError('unavailable', 'engine_down', 'Temporal is down')), '/api/x');
    expect(engine.sent.status).toBe(503);
    expect(engine.sent.headers['retry-after']).toBe('5');
    expect(engine.sent.type).toBe('application/problem+json');
    expect(Problem.parse(JSON.parse(engine.sent.body))).toMatchObject({ title: 'Service Unavailable', status: 503 });

    const locked = recorder();
    sendProblem(locked.res, toHttpError(new DomainError('rate_limited', 'too_many', 'wait', undefined, 600)), '/a');
    expect(locked.sent.headers['retry-after']).toBe('600');
  });

  it('sends no Retry-After where waiting does not help', () => {
    const bad = recorder();
    sendProblem(bad.res, new HttpError(400, 'invalid_request', 'no'), '/api/x');
    expect(bad.sent.headers['retry-after']).toBeUndefined();
  });

  it('keeps the issues in both places, and types each code under one base', () => {
    const issues = [{ path: 'name', code: 'too_small', message: 'must not be empty' }];
    const problem = problemOf(new HttpError(422, 'invalid_playbook', 'Fix 1 problem', issues), '/api/playbooks/x');
    expect(problem).toEqual({
      type: 'https://stayflow.dev/problems/invalid_playbook',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'Fix 1 problem',
      instance: '/api/playbooks/x',
      code: 'invalid_playbook',
      issues,
      error: { code: 'invalid_playbook', message: 'Fix 1 problem', issues },
    });
  });
});
