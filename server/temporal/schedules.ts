import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';

export const DAILY_SWEEP_SCHEDULE = 'stayflow-daily-sweep';

/**
 * The daily sweep runs from a Temporal Schedule (not cron, not a timer in this process), so it fires once a day
 * whichever processes are up, and a missed day is caught up by Temporal. Created once; later starts leave it be.
 */
export async function ensureDailySweep(
  client: Client,
  taskQueue: string,
  hourUtc: number,
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: DAILY_SWEEP_SCHEDULE,
      spec: { calendars: [{ hour: hourUtc, minute: 0 }] },
      action: { type: 'startWorkflow', workflowType: 'dailySweepWorkflow', taskQueue, args: [{}] },
      policies: { catchupWindow: '1 day', overlap: 'SKIP' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'exists';
    throw error;
  }
}
