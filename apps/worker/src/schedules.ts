import { Client, ScheduleAlreadyRunning, ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import { TASK_QUEUE } from '@walt/temporal';

/** The daily work of the system, as Temporal Schedules (not a timer in a process: runs are visible, retried, caught up). */
export const DAILY_SCHEDULES = [
  // At night, Paris time, when nobody works: the purge of operational data past its retention delay.
  { scheduleId: 'walt-daily-retention', workflowType: 'retentionPurgeWorkflow', hour: 3, minute: 30 },
  // Then the anonymisation after inactivity; its notices wait for the end of quiet hours like any message.
  { scheduleId: 'walt-daily-anonymisation', workflowType: 'anonymisationWorkflow', hour: 4, minute: 0 },
] as const;

export function dailyScheduleOptions(schedule: (typeof DAILY_SCHEDULES)[number], taskQueue = TASK_QUEUE): ScheduleOptions {
  return {
    scheduleId: schedule.scheduleId,
    spec: { calendars: [{ hour: schedule.hour, minute: schedule.minute }], timezone: 'Europe/Paris' },
    action: { type: 'startWorkflow', workflowType: schedule.workflowType, workflowId: schedule.scheduleId, taskQueue, args: [] },
    // A run still going the next night is left to finish; a night missed (server down) is caught up within the day.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/**
 * Creates the Schedules at worker start-up, or brings an existing one to this version's spec and
 * action: idempotent, so every worker of a deployment may run it.
 */
export async function ensureDailySchedules(client: Client, taskQueue = TASK_QUEUE): Promise<void> {
  for (const schedule of DAILY_SCHEDULES) {
    const options = dailyScheduleOptions(schedule, taskQueue);
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(schedule.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
    }
  }
}
