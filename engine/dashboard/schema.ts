import { z } from 'zod';
import { HealthRiskLevel } from '../health/scorecard.js';

// The operations dashboard: the portfolio in numbers. Each number is the size of a list the API serves with the
// filters given beside it (`filter`), so the web app links every number to that list and a test can check that
// the two agree.

/** A run status as the runs list filters by it. */
export const RunListStatus = z.enum([
  'running',
  'waiting-timer',
  'waiting-event',
  'waiting-approval',
  'completed',
  'exited',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
]);
export type RunListStatus = z.infer<typeof RunListStatus>;

const Day = z.iso.date();

export const HealthBucket = z.object({
  healthMin: z.number().int(),
  healthMax: z.number().int(),
  accounts: z.number().int(),
});

export const PlaybookRuns = z.object({
  key: z.string(),
  name: z.string(),
  archived: z.boolean(),
  /** Runs by status, as `GET /api/runs?playbook=<key>&status=<status>` lists them (`running`: every open run). */
  byStatus: z.partialRecord(RunListStatus, z.number().int()),
});

export const FunnelStep = z.object({
  nodeId: z.string(),
  label: z.string(),
  type: z.string(),
  /**
   * Runs that did this step (`GET /api/runs?playbook=&reached=`); null for a step that leaves no record (a wait,
   * a branch), which only `here` can show.
   */
  reached: z.number().int().nullable(),
  /** Runs standing at this step now (`GET /api/runs?playbook=&node=&status=running`). */
  here: z.number().int(),
});

export const PlaybookFunnel = z.object({
  key: z.string(),
  name: z.string(),
  version: z.number().int(),
  /** Runs of the playbook ever started (any version). */
  started: z.number().int(),
  steps: z.array(FunnelStep),
});

export const EmailDay = z.object({
  day: Day,
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  uncertain: z.number().int(),
});
export type EmailDay = z.infer<typeof EmailDay>;

export const TimeToGoal = z.object({
  playbook: z.object({ key: z.string(), name: z.string() }),
  /** The goal of an event exit (onboarding's "Time to first value") and the event that reaches it. */
  goal: z.string(),
  event: z.string(),
  /** Runs of the playbook (`GET /api/runs?playbook=`). */
  started: z.number().int(),
  /** Of those, the runs whose account had the goal event after the run started. */
  reached: z.number().int(),
  /** Median days from a run's start to its account's goal event, over the runs that reached it. */
  medianDays: z.number().nullable(),
});

export const RenewalCadence = z.object({
  /** The cadence playbook (a published playbook triggered relative to the renewal date); null when there is none. */
  playbook: z.object({ key: z.string(), name: z.string() }).nullable(),
  from: Day,
  to: Day,
  accounts: z.number().int(),
  /** How many of those accounts stand where in the cadence: a step of a running run, or its outcome. */
  states: z.array(
    z.object({
      state: z.enum(['at-step', 'finished', 'not-enrolled']),
      nodeId: z.string().nullable(),
      label: z.string(),
      accounts: z.number().int(),
    }),
  ),
  /** The accounts behind `accounts` and `states`, soonest renewal first. */
  upcoming: z.array(
    z.object({
      accountId: z.string(),
      name: z.string(),
      renewalDate: Day,
      ownerCsmEmail: z.string().nullable(),
      state: z.enum(['at-step', 'finished', 'not-enrolled']),
      /** Where it stands (the step, or how the run ended), in words. */
      cadence: z.string(),
      nodeId: z.string().nullable(),
      workflowId: z.string().nullable(),
    }),
  ),
});

/** The run statuses the dashboard counts per playbook. */
export const DASHBOARD_RUN_STATUSES = [
  'running',
  'waiting-approval',
  'completed',
  'exited',
  'failed',
  'cancelled',
] as const;

export const Dashboard = z
  .object({
    asOf: z.iso.datetime(),
    owner: z
      .string()
      .nullable()
      .meta({ description: 'The owner CSM the numbers are narrowed to, when one was asked.' }),
    health: z.object({
      accounts: z.number().int(),
      /** Accounts by the level of their newest score (`GET /api/accounts?riskLevel=`); `unscored`: never scored. */
      byLevel: z.record(z.enum([...HealthRiskLevel.options, 'unscored']), z.number().int()),
      /** Accounts by their newest health score (`GET /api/accounts?healthMin=&healthMax=`). */
      buckets: z.array(HealthBucket),
    }),
    runs: z.array(PlaybookRuns),
    funnels: z.array(PlaybookFunnel),
    emails: z.object({
      from: Day,
      to: Day,
      /** Playbook emails by the day (UTC) they were made and their state now (`GET /api/outbox/deliveries?state=&from=&to=`). */
      byDay: z.array(EmailDay),
    }),
    approvals: z.object({
      /** Approvals waiting for a person now (the inbox's open ones). */
      pending: z.number().int(),
      /** Approved or rejected by a person in the period (the inbox's decided ones); timeouts are not decisions. */
      decided: z.number().int(),
      /** Median hours from an approval's request to its decision, over those decided in the period. */
      medianHoursToDecision: z.number().nullable(),
    }),
    timeToGoal: z.array(TimeToGoal),
    renewals: RenewalCadence,
  })
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof Dashboard>;

export const DashboardQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .meta({ description: 'The period of the email and goal figures.' }),
  renewalDays: z.coerce.number().int().min(1).max(730).default(120),
  owner: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(254)
    .optional()
    .meta({ description: 'Narrow every number to the accounts this CSM owns (email).' }),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;
