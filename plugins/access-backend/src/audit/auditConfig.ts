import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** The validated `access.audit` config. */
export interface AuditConfig {
  /** The secret the chain's links are keyed with; absent: an unkeyed chain (development). */
  chainKey?: string;
  /** When and where the job that exports the chain's head runs. */
  anchorSchedule: SchedulerServiceTaskScheduleDefinition;
}

/** The minimum length of `access.audit.chainKey`. */
export const MIN_CHAIN_KEY_LENGTH = 32;

/** Where a missing chain key is allowed without saying so explicitly. */
const UNKEYED_ENVIRONMENTS = ['development', 'test'];

export const DEFAULT_ANCHOR_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 1 },
  initialDelay: { minutes: 1 },
  scope: 'global',
};

const auditSchema = z
  .object({
    chainKey: z
      .string()
      .min(
        MIN_CHAIN_KEY_LENGTH,
        `must be at least ${MIN_CHAIN_KEY_LENGTH} characters long`,
      )
      .optional(),
    dangerouslyAllowUnkeyedChain: z.boolean().default(false),
    // Read below with Backstage's own reader, which explains its mistakes itself.
    anchor: z.object({ schedule: z.unknown().optional() }).strict().optional(),
  })
  .strict();

/**
 * Reads `access.audit`. Refuses (throws) a missing `chainKey` unless NODE_ENV is `development`
 * or `test` or `dangerouslyAllowUnkeyedChain` is true: anyone who can write the database could
 * otherwise rewrite the audit log and recompute its chain.
 *
 * @throws InputError whose message starts with `Invalid access configuration:`.
 */
export function readAuditConfig(
  config: Config,
  env: { NODE_ENV?: string } = process.env,
): AuditConfig {
  const nodeEnv = env.NODE_ENV;
  const parsed = auditSchema.safeParse(
    config.getOptional('access.audit') ?? {},
  );
  if (!parsed.success) {
    throw new InputError(
      [
        'Invalid access configuration:',
        ...parsed.error.issues.map(issue => {
          const path = ['access', 'audit', ...issue.path].join('.');
          return issue.code === z.ZodIssueCode.unrecognized_keys
            ? `${path}: Unknown field(s) ${issue.keys.join(', ')}`
            : `${path}: ${issue.message}`;
        }),
      ].join('\n'),
    );
  }
  const { chainKey, dangerouslyAllowUnkeyedChain } = parsed.data;
  if (
    chainKey === undefined &&
    !dangerouslyAllowUnkeyedChain &&
    !UNKEYED_ENVIRONMENTS.includes(nodeEnv ?? '')
  ) {
    throw new InputError(
      `Invalid access configuration:\naccess.audit.chainKey: Required when NODE_ENV is ${
        nodeEnv ? `'${nodeEnv}'` : 'not set'
      } (only 'development' and 'test' do without): without it anyone who can write the database can rewrite the audit log and recompute its hash chain. Set it to a random secret of at least ${MIN_CHAIN_KEY_LENGTH} characters, the same on every instance, or set access.audit.dangerouslyAllowUnkeyedChain: true`,
    );
  }

  const scheduleConfig = config.getOptionalConfig(
    'access.audit.anchor.schedule',
  );
  let anchorSchedule = DEFAULT_ANCHOR_SCHEDULE;
  if (scheduleConfig) {
    try {
      anchorSchedule =
        readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig);
    } catch (error) {
      throw new InputError(
        `Invalid access configuration:\naccess.audit.anchor.schedule: ${
          (error as Error).message
        }`,
      );
    }
  }
  return { ...(chainKey !== undefined && { chainKey }), anchorSchedule };
}
