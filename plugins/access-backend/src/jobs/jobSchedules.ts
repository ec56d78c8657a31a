import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';

/** The plugin's scheduled jobs, by their key under `access.schedules`. */
export type AccessJob =
  | 'discovery'
  | 'provisioningSweep'
  | 'pendingApprovals'
  | 'reconciliation'
  | 'chatDeliveries';

/** Each job's task id, and whether one instance runs it for all (global) or each its own. */
export const ACCESS_JOBS: Record<
  AccessJob,
  { taskId: string; scope: 'global' | 'local' }
> = {
  // Resources that provisioners offer (their optional `discover`), kept in each instance.
  discovery: { taskId: 'access-discovery', scope: 'local' },
  // The engine's backstop for work this instance's timer does not know of: other instances'
  // approvals, restarts, timers lost with a crashed process.
  provisioningSweep: { taskId: 'access-provisioning-sweep', scope: 'global' },
  // Pending timeouts, reminders and escalations.
  pendingApprovals: { taskId: 'access-pending-timeout', scope: 'global' },
  reconciliation: { taskId: 'access-reconciliation', scope: 'global' },
  // The chat outbox's backstop (a queued message is delivered at once in the instance that
  // queued it): retries, other instances' messages, and "expiring soon".
  chatDeliveries: { taskId: 'access-chat-deliveries', scope: 'global' },
};

const DEFAULTS: Record<
  AccessJob,
  Omit<SchedulerServiceTaskScheduleDefinition, 'scope'>
> = {
  discovery: { frequency: { minutes: 10 }, timeout: { minutes: 5 } },
  provisioningSweep: { frequency: { seconds: 15 }, timeout: { minutes: 5 } },
  pendingApprovals: { frequency: { minutes: 1 }, timeout: { minutes: 5 } },
  reconciliation: {
    frequency: { minutes: 10 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
  },
  chatDeliveries: { frequency: { seconds: 10 }, timeout: { minutes: 5 } },
};

export type JobSchedules = Record<
  AccessJob,
  SchedulerServiceTaskScheduleDefinition
>;

/**
 * Each job's schedule: `access.schedules.<job>` (a Backstage task schedule: frequency, timeout,
 * initialDelay) over the defaults, with the job's own scope. Reconciliation's frequency defaults
 * to `access.engine.reconcileEvery`.
 */
export function readJobSchedules(
  config: Config,
  engine: { reconcileEvery: string },
): JobSchedules {
  const section = config.getOptionalConfig('access.schedules');
  const jobs = Object.keys(ACCESS_JOBS) as AccessJob[];
  const unknown = (section?.keys() ?? []).filter(
    key => !jobs.includes(key as AccessJob),
  );
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid access configuration:\naccess.schedules.${
        unknown[0]
      }: Unknown job; the jobs are ${jobs.join(', ')}`,
    );
  }
  const reconcileEvery = Duration.fromISO(engine.reconcileEvery).toMillis();
  const defaults: typeof DEFAULTS = {
    ...DEFAULTS,
    reconciliation: {
      ...DEFAULTS.reconciliation,
      frequency: { milliseconds: reconcileEvery },
    },
  };
  return Object.fromEntries(
    jobs.map(job => {
      const given = section?.getOptionalConfig(job);
      let schedule = defaults[job];
      if (given) {
        try {
          const read =
            readSchedulerServiceTaskScheduleDefinitionFromConfig(given);
          schedule = {
            ...defaults[job],
            // What the config leaves out (an initial delay, say) keeps its default.
            ...Object.fromEntries(
              Object.entries(read).filter(([, value]) => value !== undefined),
            ),
          };
        } catch (error) {
          throw new InputError(
            `Invalid access configuration:\naccess.schedules.${job}: ${
              (error as Error).message
            }`,
          );
        }
      }
      return [job, { ...schedule, scope: ACCESS_JOBS[job].scope }];
    }),
  ) as JobSchedules;
}
