import type { Trigger } from '../playbook/triggers.js';

// What enrolls a playbook, in words, for the playbook list ("event subscription.created", "the daily sweep 120 days
// before renewalDate"). Pure and zod-free.

export function describeTrigger(trigger: Trigger): string {
  switch (trigger.type) {
    case 'event':
      return `event ${trigger.event}${trigger.filter ? ' (matching its filter)' : ''}`;
    case 'riskLevelEntered':
      return `entering risk level ${trigger.level}`;
    case 'fieldChanged':
      return `a change of ${trigger.field}`;
    case 'segmentEntered':
      return `entering segment ${trigger.segment}`;
    case 'dateRelative': {
      const offset = trigger.offsetDays;
      const when =
        offset === 0
          ? `on ${trigger.field}`
          : `${Math.abs(offset)} days ${offset < 0 ? 'before' : 'after'} ${trigger.field}`;
      return `the daily sweep ${when}`;
    }
    case 'manual':
      return 'by hand';
    default: {
      const unreachable: never = trigger;
      return unreachable;
    }
  }
}
