import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { StayflowActivities } from '../activity-contracts.js';

const { deliverSystemEmail } = proxyActivities<StayflowActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second' },
});

export interface StackCheckInput {
  to: string;
  /** A durable timer before the email, so the check proves timers fire, not only that activities run. */
  delay: string;
}

export interface StackCheckResult {
  workflowId: string;
  messageId: string;
}

/**
 * The smallest end-to-end proof that the stack works: a durable timer, then an activity that sends an email
 * through SMTP. Used by the test lanes and by `POST /api/system/stack-check`.
 */
export async function stackCheckWorkflow(input: StackCheckInput): Promise<StackCheckResult> {
  await sleep(input.delay as Parameters<typeof sleep>[0]);
  const { workflowId } = workflowInfo();
  const delivered = await deliverSystemEmail({
    to: input.to,
    subject: `Stayflow stack check ${workflowId}`,
    text: 'Temporal ran a workflow with a durable timer and an activity, and the activity sent this email over SMTP.',
  });
  return { workflowId, messageId: delivered.messageId };
}
