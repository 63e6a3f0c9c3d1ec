import type { Account } from '../../engine/accounts/schema.js';
import type { Db } from '../db/database.js';
import { listAccountEvents } from '../events/store.js';
import { accountHealth } from '../health/service.js';

/** The account as the person deciding needs to see it, taken when the approval was asked. */
export interface ApprovalContext {
  account: {
    name: string;
    segment: string | null;
    plan: string | null;
    mrr: number | null;
    renewalDate: string | null;
    ownerCsmEmail: string | null;
  } | null;
  /** The newest health score: risk level and every signal that fired, each with its why. */
  health: {
    healthScore: number;
    riskScore: number;
    riskLevel: string;
    why: string[];
    computedAt: string;
  } | null;
  /** The newest events, newest first. */
  recentEvents: { name: string; occurredAt: string }[];
}

const RECENT_EVENTS = 10;

export async function approvalContext(db: Db, account: Account | undefined): Promise<ApprovalContext> {
  if (!account) return { account: null, health: null, recentEvents: [] };
  const [{ latest }, events] = await Promise.all([
    accountHealth(db, account.id, 1),
    listAccountEvents(db, account.id, RECENT_EVENTS),
  ]);
  return {
    account: {
      name: account.name,
      segment: account.segment,
      plan: account.plan,
      mrr: account.mrr,
      renewalDate: account.renewalDate,
      ownerCsmEmail: account.ownerCsmEmail,
    },
    health: latest && {
      healthScore: latest.healthScore,
      riskScore: latest.riskScore,
      riskLevel: latest.riskLevel,
      why: latest.fired.map((signal) => signal.why),
      computedAt: latest.computedAt,
    },
    recentEvents: events.map((e) => ({ name: e.name, occurredAt: e.occurredAt })),
  };
}
