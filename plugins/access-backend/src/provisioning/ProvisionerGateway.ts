import { LoggerService } from '@backstage/backend-plugin-api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  AccessCredentials,
  AccessProvisioner,
  DiscoveredResource,
  GrantResult,
  isPermanentProvisioningError,
  ObservedAccess,
  ProvisioningContext,
  ProvisioningTarget,
  RevokeResult,
} from '@jit-access/plugin-access-node';
import { GrantRecord } from '../database/grants/GrantStore';
import { CallMetrics, Operation } from './callMetrics';
import { provisioningTarget, TargetRequest } from './provisioningTarget';

export interface ProvisionerGatewayOptions {
  provisioners: ReadonlyMap<string, AccessProvisioner>;
  logger: LoggerService;
  /** How long one call may take (`access.engine.callTimeout`). */
  callTimeoutMs: number;
  /** Per provisioner id, how long its calls may take instead (`access.engine.callTimeouts`). */
  callTimeoutsMs?: Readonly<Record<string, number>>;
  /** Where each call is counted and timed; without it, calls are not measured. */
  metrics?: MetricsService;
  now?: () => Date;
}

/** Why a call failed, and whether trying again can help. */
export interface CallFailure {
  message: string;
  /** The provisioner said that retrying cannot help (see isPermanentProvisioningError). */
  permanent: boolean;
  /** The call ran out of time (and was abandoned, whether or not the provisioner stopped). */
  timedOut: boolean;
}

export type CallResult<T> =
  | { ok: true; value: T }
  | ({ ok: false } & CallFailure);

/**
 * The one way to call a provisioner: every call gets the configured timeout (and is abandoned
 * when it runs out, whether or not the provisioner heeds its signal), a logger naming the
 * provisioner and grant, a stable idempotency key per grant and action, and its failure sorted
 * into permanent or transient by the same rule everywhere.
 */
export class ProvisionerGateway {
  readonly callTimeoutMs: number;
  private readonly metrics?: CallMetrics;

  constructor(private readonly options: ProvisionerGatewayOptions) {
    this.callTimeoutMs = options.callTimeoutMs;
    this.metrics = options.metrics && new CallMetrics(options.metrics);
  }

  /** How long a call to this provisioner may take. */
  timeoutFor(provisionerId: string): number {
    return this.options.callTimeoutsMs?.[provisionerId] ?? this.callTimeoutMs;
  }

  /** The longest any call may take: what a lease on grant work must outlast. */
  longestTimeout(): number {
    return Math.max(
      this.callTimeoutMs,
      ...Object.values(this.options.callTimeoutsMs ?? {}),
    );
  }

  /** The installed provisioner with this id. */
  get(id: string): AccessProvisioner | undefined {
    return this.options.provisioners.get(id);
  }

  /** Every installed provisioner. */
  all(): AccessProvisioner[] {
    return [...this.options.provisioners.values()];
  }

  /** Grants one target; `signal` also ends the call early (the engine's shutdown). */
  grant(
    provisioner: AccessProvisioner,
    target: ProvisioningTarget,
    signal?: AbortSignal,
  ): Promise<CallResult<GrantResult | void>> {
    return this.call(
      provisioner,
      'grant',
      target.grantId,
      ctx => provisioner.grant(target, withKey(ctx, `${target.grantId}:grant`)),
      signal,
    );
  }

  /** Revokes one target; the key is the same for every revocation of a grant. */
  revoke(
    provisioner: AccessProvisioner,
    target: ProvisioningTarget,
    signal?: AbortSignal,
  ): Promise<CallResult<RevokeResult | void>> {
    return this.call(
      provisioner,
      'revoke',
      target.grantId,
      ctx =>
        provisioner.revoke(target, withKey(ctx, `${target.grantId}:revoke`)),
      signal,
    );
  }

  /**
   * Issues new credentials; each reset (at its moment `at`) is its own operation. Fails for good
   * when the provisioner cannot reset credentials.
   */
  async resetCredentials(
    provisioner: AccessProvisioner,
    target: ProvisioningTarget,
    at: Date,
  ): Promise<CallResult<AccessCredentials>> {
    if (!provisioner.resetCredentials) {
      return unsupported(provisioner, 'reset credentials');
    }
    return this.call(provisioner, 'reset', target.grantId, ctx =>
      provisioner.resetCredentials!(
        target,
        withKey(ctx, `${target.grantId}:reset:${at.getTime()}`),
      ),
    );
  }

  /**
   * What access the provisioner says exists now, for reconciliation. Fails for good when the
   * provisioner cannot observe.
   */
  async observe(
    provisioner: AccessProvisioner,
  ): Promise<CallResult<ObservedAccess[]>> {
    if (!provisioner.observe) {
      return unsupported(provisioner, 'observe access');
    }
    return this.call(provisioner, 'observe', undefined, ctx =>
      provisioner.observe!(ctx),
    );
  }

  /**
   * The resources the provisioner offers, for discovery. Fails for good when the provisioner
   * cannot discover.
   */
  async discover(
    provisioner: AccessProvisioner,
  ): Promise<CallResult<DiscoveredResource[]>> {
    if (!provisioner.discover) {
      return unsupported(provisioner, 'discover resources');
    }
    return this.call(provisioner, 'discover', undefined, ctx =>
      provisioner.discover!(ctx),
    );
  }

  /**
   * Moves the end of an active grant's access in its target system to `endsAt`, for the
   * `extension`-th extension of its request (which is the key's last part), where the provisioner
   * keeps an end (has `extend`); otherwise does nothing. `accessStart` is when the extension
   * chain's access began. Throws a ConflictError when the provisioner refuses for good, a
   * ServiceUnavailableError when trying again may help (a timeout too).
   */
  async extend(
    grant: GrantRecord,
    request: TargetRequest,
    options: { accessStart: Date; endsAt: Date; extension: number },
  ): Promise<void> {
    const provisioner = this.get(grant.provisionerId);
    if (!provisioner?.extend) {
      return;
    }
    const target = provisioningTarget(grant, request, {
      now: this.now(),
      accessStart: options.accessStart,
      endsAt: options.endsAt,
    });
    const result = await this.call(provisioner, 'extend', grant.id, ctx =>
      provisioner.extend!(
        target,
        withKey(ctx, `${grant.id}:extend:${options.extension}`),
      ),
    );
    if (!result.ok) {
      const message = `Could not extend ${grant.permission} on ${grant.resourceRef}: ${result.message}`;
      // A permanent refusal will not change on a retry; a transient one may.
      throw result.permanent
        ? new ConflictError(message)
        : new ServiceUnavailableError(message);
    }
  }

  private async call<T>(
    provisioner: AccessProvisioner,
    operation: Operation,
    grantId: string | undefined,
    invoke: (ctx: Omit<ProvisioningContext, 'idempotencyKey'>) => Promise<T>,
    stop?: AbortSignal,
  ): Promise<CallResult<T>> {
    const started = performance.now();
    const result = await this.attempt(provisioner, grantId, invoke, stop);
    this.metrics?.record(
      provisioner.id,
      operation,
      result,
      (performance.now() - started) / 1000,
    );
    return result;
  }

  /** Makes the call within the timeout and sorts its failure. */
  private async attempt<T>(
    provisioner: AccessProvisioner,
    grantId: string | undefined,
    invoke: (ctx: Omit<ProvisioningContext, 'idempotencyKey'>) => Promise<T>,
    stop?: AbortSignal,
  ): Promise<CallResult<T>> {
    const timeoutMs = this.timeoutFor(provisioner.id);
    // One controller and one timer per call: AbortSignal.timeout and AbortSignal.any cost a
    // weakly held signal each, which tells when thousands of calls go out at once (mass expiry).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(
        new DOMException(
          `The call took longer than ${timeoutMs} ms`,
          'TimeoutError',
        ),
      );
    }, timeoutMs);
    timer.unref?.();
    const onStop = () => controller.abort(stop?.reason);
    if (stop?.aborted) {
      onStop();
    }
    stop?.addEventListener('abort', onStop, { once: true });
    const { signal } = controller;
    const parentLogger = this.options.logger;
    let logger: LoggerService | undefined;
    const ctx = {
      signal,
      // Made when the provisioner logs, not for every call.
      get logger() {
        logger ??= parentLogger.child({
          provisioner: provisioner.id,
          ...(grantId ? { grant: grantId } : {}),
        });
        return logger;
      },
    };
    try {
      return { ok: true, value: await untilAborted(invoke(ctx), signal) };
    } catch (error) {
      const message =
        error instanceof Error ? error.message : String(error ?? 'failed');
      return {
        ok: false,
        permanent: isPermanentProvisioningError(error),
        timedOut,
        message: timedOut
          ? `Timed out after ${timeoutMs} ms: ${message}`
          : message,
      };
    } finally {
      clearTimeout(timer);
      stop?.removeEventListener('abort', onStop);
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function unsupported(
  provisioner: AccessProvisioner,
  what: string,
): { ok: false } & CallFailure {
  return {
    ok: false,
    permanent: true,
    timedOut: false,
    message: `Provisioner '${provisioner.id}' cannot ${what}`,
  };
}

/** The call's answer, or its signal's reason once it is aborted, whichever comes first. */
function untilAborted<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) {
      abort();
    }
    signal.addEventListener('abort', abort, { once: true });
    call.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
    });
  });
}

/**
 * The call's context with its idempotency key. Not a spread: that would read the lazy logger,
 * making a child logger for every call.
 */
function withKey(
  ctx: Omit<ProvisioningContext, 'idempotencyKey'>,
  idempotencyKey: string,
): ProvisioningContext {
  return {
    idempotencyKey,
    signal: ctx.signal,
    get logger() {
      return ctx.logger;
    },
  };
}
