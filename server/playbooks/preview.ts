import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { simulationInputProblems } from '../../engine/simulator/input-problems.js';
import type { SimulationRequest } from '../../engine/simulator/schemas.js';
import { simulate } from '../../engine/simulator/simulate.js';
import { DomainError } from '../errors.js';
import type { PreviewSettings } from '../settings/preview-settings.js';

/**
 * The time-travel preview of a compiled playbook for a request. Values no run could use (a date that does not
 * exist) are refused up front, each named; should the time maths still refuse one, that is the request's fault
 * too (422), never a 500.
 */
export async function previewPlaybook(
  playbook: CompiledPlaybook,
  body: SimulationRequest,
  now = new Date(),
  /** The install's calendar and contact governance for this account (server/settings/preview-settings.ts). */
  installed?: PreviewSettings,
) {
  const problems = simulationInputProblems(body);
  if (problems.length > 0) throw new DomainError('unprocessable', 'invalid_simulation_data', problems.join('; '));
  try {
    return await simulate({
      playbook,
      account: body.account,
      startAt: body.startAt ?? now.toISOString(),
      events: body.events,
      approvals: body.approvals,
      failures: body.failures,
      changes: body.changes,
      settings: installed?.settings ?? body.settings,
      ...(installed && { governance: installed.governance }),
      ...(installed?.people && { people: installed.people }),
      ...(body.trigger && { trigger: body.trigger }),
      ...(body.horizonDays && { horizonDays: body.horizonDays }),
    });
  } catch (error) {
    if (error instanceof RangeError)
      throw new DomainError(
        'unprocessable',
        'invalid_simulation_data',
        `The preview cannot use a value: ${error.message}`,
      );
    throw error;
  }
}
