import { z } from 'zod';
import { TimeZone } from '../time/time-zone.js';
import type { EnrollmentPolicy } from './schema.js';

/**
 * What a date-relative playbook (the renewal cadence) does with an account whose anchor date already puts some of
 * its steps in the past: enter at the first step still ahead (the default), run the latest past step now, or refuse.
 */
export const CatchUpPolicy = z
  .enum(['firstAhead', 'latestPast', 'refuse'], { error: "must be 'firstAhead', 'latestPast' or 'refuse'" })
  .meta({
    id: 'CatchUpPolicy',
    title: 'Late accounts',
    description:
      'For playbooks timed from a date (renewalDate −120 d…): when an account arrives after some steps are past, firstAhead enters at the first step still ahead (default), latestPast runs the latest past step now, refuse does not enroll it.',
  });
export type CatchUpPolicy = z.infer<typeof CatchUpPolicy>;

/** The account as a run sees it when it starts (its snapshot travels in the workflow input). */
export const EnrollmentAccount = z
  .object({
    id: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    timeZone: TimeZone.default('UTC'),
    fields: z.record(z.string(), z.json()).default({}),
  })
  .meta({ id: 'EnrollmentAccount' });
export type EnrollmentAccount = z.infer<typeof EnrollmentAccount>;

export interface EnrollmentIdentity {
  workflowId: string;
  /** What Temporal does when a run with this id has already finished. */
  idReusePolicy: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE';
  /** What Temporal does when a run with this id is still running. */
  idConflictPolicy: 'FAIL';
}

/**
 * Enrollment rules are workflow ids: (playbook, account) maps to one id, and the playbook's policy to Temporal's
 * reuse and conflict policies, so the server enforces "once" and "one at a time" without a lock of our own.
 */
export function enrollmentIdentity(
  playbookKey: string,
  accountId: string,
  policy: EnrollmentPolicy,
  enrollmentId: string,
): EnrollmentIdentity {
  const base = `playbook:${playbookKey}:account:${accountId}`;
  switch (policy.mode) {
    case 'once':
      return { workflowId: base, idReusePolicy: 'REJECT_DUPLICATE', idConflictPolicy: 'FAIL' };
    case 'oneAtATime':
      return { workflowId: base, idReusePolicy: 'ALLOW_DUPLICATE', idConflictPolicy: 'FAIL' };
    case 'everyTime':
      return { workflowId: `${base}:${enrollmentId}`, idReusePolicy: 'ALLOW_DUPLICATE', idConflictPolicy: 'FAIL' };
    default: {
      const unreachable: never = policy;
      return unreachable;
    }
  }
}
