import type { PlaybookDefinitionInput } from '../../engine/playbook/schema.js';

/**
 * A discount the owner CSM may change (10 % by default, 0–20 %) and approve within two days; unanswered, it
 * escalates to the CSM manager for one more day, then takes the timeout branch. Approved, the offer email goes
 * out at once with the discount decided.
 */
export function discountOffer(key = 'discount-offer', template = 'discount-offer'): PlaybookDefinitionInput {
  return {
    schemaVersion: 1,
    key,
    name: 'Discount offer',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'At risk', config: {} },
      {
        id: 'incentive',
        type: 'approval',
        label: 'Offer a renewal discount?',
        config: {
          kind: 'discount',
          title: 'Renewal discount to keep the account',
          details: 'Approve to email the customer the discount on their next renewal.',
          timeout: { amount: 2, unit: 'days' },
          parameters: [{ name: 'discount', label: 'Discount', type: 'percent', default: 10, min: 0, max: 20 }],
          decider: 'ownerCsm',
          escalation: [{ to: 'csmManager', timeout: { amount: 1, unit: 'days' } }],
        },
      },
      {
        id: 'offerMail',
        type: 'email',
        label: 'Discount offer',
        config: { template, recipients: 'primaryContact', sendWindow: 'immediate' },
      },
      { id: 'done', type: 'end', label: 'Done', config: {} },
      { id: 'noDecision', type: 'end', label: 'Nobody decided', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'incentive' },
      { id: 'e2', source: 'incentive', sourceHandle: 'approved', target: 'offerMail' },
      { id: 'e3', source: 'incentive', sourceHandle: 'rejected', target: 'done' },
      { id: 'e4', source: 'incentive', sourceHandle: 'timeout', target: 'noDecision' },
      { id: 'e5', source: 'offerMail', target: 'done' },
    ],
  };
}

/** The offer email: it states the discount the approval decided. */
export const discountOfferTemplate = {
  name: 'Discount offer',
  defaultLocale: 'en' as const,
  locales: {
    en: {
      subject: 'A {{ approval.discount }} % discount for {{ account.name }}',
      body: 'Hi {{ contact.first_name }},\n\nWe are glad to offer **{{ account.name }}** a {{ approval.discount }} % discount on your next renewal.\n\n{{ csm.name }}',
    },
    es: {
      subject: 'Un {{ approval.discount }} % de descuento para {{ account.name }}',
      body: 'Hola {{ contact.first_name }}:\n\nNos alegra ofrecer a **{{ account.name }}** un {{ approval.discount }} % de descuento en vuestra próxima renovación.\n\n{{ csm.name }}',
    },
  },
};
