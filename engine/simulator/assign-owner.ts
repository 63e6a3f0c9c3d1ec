import {
  assignedDetail,
  assignmentProblems,
  keptOwnerDetail,
  personName,
  teamName,
  type AssignmentDirectory,
} from '../playbook/assign-owner.js';
import type { AssignOwnerEffect, EffectOutcome } from '../interpreter/types.js';

/**
 * What an assignOwner step would do, said no more surely than the preview can know it. A CSM named by the step
 * (bySegment) is certain; who is next in a team depends on the rotation and the counts when the step runs (other
 * runs take turns meanwhile), so the preview names the team and its CSMs, not one of them. With the install's
 * people (the simulate API passes them) it fails where the run would fail: a CSM or team that is not there.
 */
export function previewAssignment(effect: AssignOwnerEffect, people?: AssignmentDirectory): EffectOutcome {
  const { owner, basis } = effect;
  if (effect.onlyIfUnowned && people?.accountOwner) {
    return { status: 'skipped', detail: keptOwnerDetail(people.accountOwner) };
  }
  // An account whose owner the preview does not know may have one by the time the step runs.
  const caveat = effect.onlyIfUnowned && people?.accountOwner === undefined ? ', unless it has an owner by then' : '';
  if (owner.kind === 'csm') {
    const email = owner.email.toLowerCase();
    const known = people?.csms[email];
    if (people && !known) return { status: 'failed', detail: assignmentProblems.unknownCsm(owner.email) };
    return { status: 'done', detail: `would be ${assignedDetail({ email, name: known?.name }, basis)}${caveat}` };
  }
  const team = people?.teams[owner.team.toLowerCase()];
  if (people && !team) return { status: 'failed', detail: assignmentProblems.unknownTeam(owner.team) };
  const manager = { email: owner.team, name: team?.name };
  if (team && team.members.length === 0) return { status: 'failed', detail: assignmentProblems.emptyTeam(manager) };
  const members = team?.members.map((email) => personName({ email, name: people?.csms[email]?.name })).join(', ');
  const who =
    owner.pick === 'roundRobin'
      ? `the next CSM in ${teamName(manager)}'s rotation`
      : `the CSM of ${teamName(manager)} who owns the fewest accounts when the step runs`;
  const how = [members ? `of ${members}` : '', basis].filter(Boolean).join('; ');
  return { status: 'done', detail: `would be assigned to ${who}${how ? ` (${how})` : ''}${caveat}` };
}
