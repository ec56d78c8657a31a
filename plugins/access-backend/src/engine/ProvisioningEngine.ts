import { LoggerService } from '@backstage/backend-plugin-api';
import { SYSTEM_ACTOR } from '../database/audit';
import { AccessStores } from '../database/AccessDatabase';
import { GrantQueries } from '../database/grants/GrantQueries';
import { lockRequestStates } from '../database/grants/grantRequests';
import { GrantRecord, GrantStore } from '../database/grants/GrantStore';
import { AccessEvents, StatusChange } from '../events/AccessEvents';
import { ProvisionerGateway } from '../provisioning/ProvisionerGateway';
import { transitionRequests } from '../database/requests/transitions';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './backoff';
import { CredentialVault } from './CredentialVault';
import { BatchContext, doGrantWork } from './grantWork';
import { OutcomeWriter } from './OutcomeWriter';
import { settleRequests } from './settleRequest';
import { WakeUpTimer } from './WakeUpTimer';

export interface ProvisioningEngineOptions {
  /** The grants (the engine's outbox), what is read of them, and tasks for people. */
  stores: Pick<AccessStores, 'grants' | 'grantQueries' | 'tasks'>;
  /** The provisioners, called with the configured timeout. */
  gateway: ProvisionerGateway;
  resources: ResourceCatalog;
  vault: CredentialVault;
  logger: LoggerService;
  /** Where the engine says which requests changed status, for people to hear of it. */
  events?: AccessEvents;
  now?: () => Date;
  retry?: RetryPolicy;
  /** How long a claimed grant is held before another worker may take it over. */
  leaseMs?: number;
  /** How many provisioner calls run at once in this process. */
  concurrency?: number;
  /** Sets the in-process wake-up timer; tests drive the engine by hand instead. */
  useTimer?: boolean;
  /** How often the timer is checked against the database's next due moment. */
  watchIntervalMs?: number;
}

const CLAIM_BATCH = 500;
/** Rounds of claiming per tick, so a flood of work cannot hold a tick forever. */
const MAX_ROUNDS = 40;

/**
 * Grants and revokes access through the provisioners: claims due grant work from the outbox,
 * calls the provisioner outside any transaction, hands the outcome to the writer (which records
 * it with compare-and-set and moves the request on), and ends access whose time is up. Driven by
 * scheduler sweeps (every instance, after restarts), by kicks after approvals and revocations, and
 * by one wake-up timer set for the next moment something is due.
 */
export class ProvisioningEngine {
  private readonly grants: GrantStore;
  private readonly queries: GrantQueries;
  private readonly writer: OutcomeWriter;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly timer?: WakeUpTimer;
  private readonly watch?: ReturnType<typeof setInterval>;
  private readonly shutdown = new AbortController();
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly options: ProvisioningEngineOptions) {
    this.grants = options.stores.grants;
    this.queries = options.stores.grantQueries;
    this.writer = new OutcomeWriter({
      grants: this.grants,
      tasks: options.stores.tasks,
      vault: options.vault,
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      logger: options.logger,
      events: options.events,
      now: () => this.now(),
    });
    this.leaseMs = options.leaseMs ?? 120_000;
    this.concurrency = options.concurrency ?? 32;
    if (options.useTimer) {
      this.timer = new WakeUpTimer(
        () => this.kick(),
        () => this.now(),
      );
      // Other instances approve, grant and extend too: look at the database's next due moment
      // every second (two indexed MIN queries), so an instance whose peer died takes over its
      // expiries within a second or two rather than at the next scheduler sweep.
      this.watch = setInterval(
        () =>
          this.scheduleWakeUp().catch(error =>
            options.logger.warn(`Access engine watch failed: ${error}`),
          ),
        options.watchIntervalMs ?? 1000,
      );
      this.watch.unref?.();
    }
  }

  /**
   * Does the due work soon, without waiting for it; errors are logged. Outcomes are written in the
   * background, so that work falling due meanwhile is not held up behind the bookkeeping.
   */
  kick(): void {
    this.pump().catch(error =>
      this.options.logger.error(`Access engine tick failed: ${error}`),
    );
  }

  /** Does all due work and waits until its outcomes are written (the scheduler sweep, tests). */
  async tick(): Promise<void> {
    await this.pump();
    await this.writer.drain();
  }

  /**
   * Claims and does all due work, and ends what is due to end. Pumps in one process never
   * overlap: one asked for while another runs happens right after it.
   */
  private async pump(): Promise<void> {
    if (this.shutdown.signal.aborted) {
      return undefined;
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (let round = 0; round < MAX_ROUNDS; round++) {
            if ((await this.claimAndCall()) === 0) {
              break;
            }
          }
          if ((await this.expireDue()) > 0) {
            this.again = true; // it queued revocations
          }
        } while (this.again && !this.shutdown.signal.aborted);
        await this.scheduleWakeUp();
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  stop(): void {
    this.shutdown.abort();
    this.timer?.stop();
    if (this.watch) {
      clearInterval(this.watch);
    }
  }

  /**
   * Requests whose end has come but which have no active grant for the claim to end (grants still
   * retrying, or waiting for a fulfilment task) start their revocation here. Active grants are
   * ended by the claim itself, in bulk.
   */
  async expireDue(): Promise<number> {
    const now = this.now();
    const due = await this.queries.endedWithoutLiveGrant(now, 500);
    if (due.length === 0) {
      return 0;
    }
    const changes: StatusChange[] = [];
    // One transaction for the whole batch: the moves to `revoking` and on are written together.
    await this.grants.transaction(async tx => {
      const byId = await lockRequestStates(tx, due);
      const ending = due.flatMap(id => {
        const request = byId.get(id);
        const end = request?.endsAt;
        return request &&
          end &&
          end <= now &&
          (request.status === 'active' || request.status === 'granting')
          ? [request]
          : []; // extended or ended meanwhile
      });
      if (ending.length === 0) {
        return;
      }
      await transitionRequests(
        tx,
        ending.map(request => ({
          current: request,
          transition: {
            to: 'revoking',
            actorRef: SYSTEM_ACTOR,
            action: 'expire',
            reason: 'Access ended',
            at: now,
          },
        })),
      );
      ending.forEach(request =>
        changes.push({
          requestId: request.id,
          from: request.status,
          to: 'revoking',
        }),
      );
      const ids = ending.map(request => request.id);
      await this.grants.beginRevocations(tx, ids, 'expired', now);
      changes.push(...(await settleRequests(tx, ids, now)));
    });
    await this.writer.report(changes);
    return due.length;
  }

  /** Claims due grant work, does it and writes the outcomes; returns how many it claimed. */
  async runDue(): Promise<number> {
    const claimed = await this.claimAndCall();
    await this.writer.drain();
    return claimed;
  }

  /**
   * Claims a batch of due work and makes the provisioner calls, `concurrency` at a time; the
   * outcomes go to the writer, which records them in batches while the next claim goes out, so
   * that calls do not queue behind bookkeeping.
   */
  private async claimAndCall(): Promise<number> {
    if (this.shutdown.signal.aborted) {
      return 0;
    }
    const claimed = await this.grants.claimDue({
      now: this.now(),
      leaseMs: this.leaseMs,
      limit: CLAIM_BATCH,
    });
    await this.startScheduled(claimed);
    const batch = await this.batchContext(claimed);
    const queue = [...claimed];
    const deps = {
      gateway: this.options.gateway,
      grants: this.queries,
      shutdown: this.shutdown.signal,
    };
    await Promise.all(
      Array.from(
        { length: Math.min(this.concurrency, queue.length) },
        async () => {
          for (let grant = queue.shift(); grant; grant = queue.shift()) {
            this.writer.enqueue(
              await doGrantWork(grant, batch, { ...deps, now: this.now() }),
            );
          }
        },
      ),
    );
    return claimed.length;
  }

  /** The requests and resources of a claimed batch, read once for all of its grants. */
  private async batchContext(claimed: GrantRecord[]): Promise<BatchContext> {
    const requests = await this.queries.requestTargetsByIds([
      ...new Set(claimed.map(g => g.requestId)),
    ]);
    const refs = [...new Set(claimed.map(g => g.resourceRef))];
    const resources: BatchContext['resources'] =
      refs.length === 0
        ? new Map()
        : await this.options.resources.getByRefs(refs).catch(error => {
            // Types and owners are extras for the provisioner; the work goes on without them.
            this.options.logger.warn(`Could not look up resources: ${error}`);
            return new Map();
          });
    return { requests, resources };
  }

  /** Scheduled requests move to `granting` as soon as work on them is claimed. */
  private async startScheduled(claimed: GrantRecord[]) {
    const starting = [
      ...new Set(
        claimed
          .filter(g => g.state === 'granting' && g.attempts === 1)
          .map(g => g.requestId),
      ),
    ];
    if (starting.length === 0) {
      return;
    }
    const scheduled = await this.queries.scheduledAmong(starting);
    const now = this.now();
    const changes = await this.grants.transaction(tx =>
      settleRequests(tx, scheduled, now),
    );
    await this.writer.report(changes);
  }

  /** The next moment the engine has something to do, and the timer set for it. */
  async scheduleWakeUp(): Promise<Date | undefined> {
    // Ends are read off active grants (the claim ends them); requests with nothing active that
    // have ended are handled by expireDue in the same pump.
    const [grantDue, endDue] = await Promise.all([
      this.queries.nextDueAt(),
      this.queries.nextExpiryAt(),
    ]);
    const next = [grantDue, endDue]
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    if (next) {
      this.timer?.wakeAt(next);
    }
    return next;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
