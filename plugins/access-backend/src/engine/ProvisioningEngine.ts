import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessProvisioner,
  GrantResult,
  isPermanentProvisioningError,
  ProvisioningTarget,
  RevokeResult,
} from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  appendAuditEvent,
  appendAuditEvents,
  AuditEventInput,
  SYSTEM_ACTOR,
} from '../audit/auditLog';
import { readOptionalDate } from '../lib/dates';
import { RequestRow } from '../requests/RequestStore';
import { applyTransitions } from '../requests/transitions';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { DEFAULT_RETRY_POLICY, RetryPolicy, retryDelayMs } from './backoff';
import { CredentialVault } from './CredentialVault';
import { GrantRow, GrantStore } from './GrantStore';
import { settleRequests } from './settleRequest';
import { AccessEvents, StatusChange } from '../events/AccessEvents';
import { WakeUpTimer } from './WakeUpTimer';

export interface ProvisioningEngineOptions {
  db: Knex;
  provisioners: ReadonlyMap<string, AccessProvisioner>;
  resources: ResourceCatalog;
  vault: CredentialVault;
  logger: LoggerService;
  /** Told after commit about every request whose status the engine changed. */
  /** Where the engine says which requests changed status, for people to hear of it. */
  events?: AccessEvents;
  now?: () => Date;
  retry?: RetryPolicy;
  /** How long a claimed grant is held before another worker may take it over. */
  leaseMs?: number;
  /** How long one provisioner call may take; kept below the lease. */
  callTimeoutMs?: number;
  /** How many provisioner calls run at once in this process. */
  concurrency?: number;
  /** Sets the in-process wake-up timer; tests drive the engine by hand instead. */
  useTimer?: boolean;
  /** How often the timer is checked against the database's next due moment. */
  watchIntervalMs?: number;
}

const CLAIM_BATCH = 500;
/** Outcomes written per transaction. */
const WRITE_BATCH = 500;
/** Rounds of claiming per tick, so a flood of work cannot hold a tick forever. */
const MAX_ROUNDS = 40;

/**
 * Grants and revokes access through the provisioners: claims due grant work from the outbox,
 * calls the provisioner outside any transaction, writes the outcome back with compare-and-set, and
 * moves the request on. Ends access whose time is up. Driven by scheduler sweeps (every instance,
 * after restarts), by kicks after approvals and revocations, and by one wake-up timer set for the
 * next moment something is due.
 */
export class ProvisioningEngine {
  private readonly grants: GrantStore;
  private readonly retry: RetryPolicy;
  private readonly leaseMs: number;
  private readonly callTimeoutMs: number;
  private readonly concurrency: number;
  private readonly timer?: WakeUpTimer;
  private readonly watch?: ReturnType<typeof setInterval>;
  private readonly shutdown = new AbortController();
  private running?: Promise<void>;
  private again = false;
  /** Outcomes of calls not yet written, and the writing under way. */
  private readonly unwritten: Done[] = [];
  private writing?: Promise<void>;

  constructor(private readonly options: ProvisioningEngineOptions) {
    this.grants = new GrantStore(options.db);
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
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
    await this.drain();
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
    const { db } = this.options;
    const due = await db<RequestRow>('access_requests')
      .whereIn('status', ['active', 'granting'])
      .where('ends_at', '<=', now)
      .whereNotExists(
        db('access_grants')
          .select(db.raw('1'))
          .whereRaw('access_grants.request_id = access_requests.id')
          .whereIn('access_grants.state', ['active', 'revoking']),
      )
      .orderBy('ends_at')
      .limit(500)
      .select('id');
    if (due.length === 0) {
      return 0;
    }
    const changes: StatusChange[] = [];
    // One transaction for the whole batch: the moves to `revoking` and on are written together.
    await this.options.db.transaction(async tx => {
      const query = tx<RequestRow>('access_requests')
        .whereIn(
          'id',
          due.map(row => row.id),
        )
        .orderBy('id');
      if (tx.client.config.client === 'pg') {
        query.forUpdate();
      }
      const byId = new Map((await query).map(row => [row.id, row]));
      const ending = due.flatMap(({ id }) => {
        const row = byId.get(id);
        const end = readOptionalDate(row?.ends_at);
        return row &&
          end &&
          end <= now &&
          (row.status === 'active' || row.status === 'granting')
          ? [row]
          : []; // extended or ended meanwhile
      });
      if (ending.length === 0) {
        return;
      }
      await applyTransitions(
        tx,
        ending.map(row => ({
          current: row,
          transition: {
            to: 'revoking',
            actorRef: SYSTEM_ACTOR,
            action: 'expire',
            reason: 'Access ended',
            at: now,
          },
        })),
      );
      ending.forEach(row =>
        changes.push({ requestId: row.id, from: row.status, to: 'revoking' }),
      );
      const ids = ending.map(row => row.id);
      await this.grants.beginRevocations(tx, ids, 'expired', now);
      changes.push(...(await settleRequests(tx, ids, now)));
    });
    await this.report(changes);
    return due.length;
  }

  /** Claims due grant work, does it and writes the outcomes; returns how many it claimed. */
  async runDue(): Promise<number> {
    const claimed = await this.claimAndCall();
    await this.drain();
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
    await Promise.all(
      Array.from(
        { length: Math.min(this.concurrency, queue.length) },
        async () => {
          for (let grant = queue.shift(); grant; grant = queue.shift()) {
            this.enqueue(await this.work(grant, batch));
          }
        },
      ),
    );
    return claimed.length;
  }

  /** The requests and resources of a claimed batch, read once for all of its grants. */
  private async batchContext(claimed: GrantRow[]): Promise<BatchContext> {
    const requests = new Map<string, RequestRow>();
    const ids = [...new Set(claimed.map(g => g.request_id))];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.options
        .db<RequestRow>('access_requests')
        .whereIn('id', ids.slice(i, i + 500));
      rows.forEach(row => requests.set(row.id, row));
    }
    const refs = [...new Set(claimed.map(g => g.resource_ref))];
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
  private async startScheduled(claimed: GrantRow[]) {
    const starting = [
      ...new Set(
        claimed
          .filter(g => g.state === 'granting' && g.attempts === 1)
          .map(g => g.request_id),
      ),
    ];
    if (starting.length === 0) {
      return;
    }
    const scheduled = await this.options
      .db<RequestRow>('access_requests')
      .whereIn('id', starting)
      .where('status', 'scheduled')
      .select('id');
    const now = this.now();
    const changes = await this.options.db.transaction(tx =>
      settleRequests(
        tx,
        scheduled.map(row => row.id),
        now,
      ),
    );
    await this.report(changes);
  }

  private enqueue(done: Done) {
    this.unwritten.push(done);
    this.startWriting();
  }

  private startWriting() {
    if (this.writing) {
      return;
    }
    this.writing = (async () => {
      try {
        while (this.unwritten.length > 0) {
          await this.write(this.unwritten.splice(0, WRITE_BATCH));
        }
      } finally {
        this.writing = undefined;
      }
    })().then(() => {
      if (this.unwritten.length > 0) {
        this.startWriting();
      }
    });
  }

  /** Waits until every outcome so far is written. */
  private async drain(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  /** The next moment the engine has something to do, and the timer set for it. */
  async scheduleWakeUp(): Promise<Date | undefined> {
    // Ends are read off active grants (the claim ends them); requests with nothing active that
    // have ended are handled by expireDue in the same pump.
    const [grantDue, endDue] = await Promise.all([
      this.grants.nextDueAt(),
      this.options
        .db('access_grants')
        .where('state', 'active')
        .whereNotNull('expires_at')
        .min({ at: 'expires_at' })
        .first()
        .then(row => readOptionalDate(row?.at)),
    ]);
    const next = [grantDue, endDue]
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    if (next) {
      this.timer?.wakeAt(next);
    }
    return next;
  }

  /** Does one claimed grant's work (a provisioner call, unless there is nothing to call). */
  private async work(grant: GrantRow, batch: BatchContext): Promise<Done> {
    const action = grant.state === 'revoking' ? 'revoke' : 'grant';
    const request = batch.requests.get(grant.request_id);
    if (!request) {
      return {
        grant,
        action,
        outcome: {
          kind: 'failed',
          permanent: true,
          error: 'The request is gone',
        },
        owners: [],
      };
    }
    const provisioner = this.options.provisioners.get(grant.provisioner_id);
    const resource = batch.resources.get(grant.resource_ref);
    const target = this.target(grant, request, resource?.type);
    let outcome: Outcome;
    if (!provisioner) {
      outcome = {
        kind: 'failed',
        permanent: true,
        error: `No provisioner '${grant.provisioner_id}' is installed`,
      };
    } else if (action === 'grant' && resource?.unrequestableReason) {
      // A catalog entity its provisioner does not accept (a request from before it stopped
      // accepting it, say) is never granted; revoking what exists still goes ahead.
      outcome = {
        kind: 'failed',
        permanent: true,
        error: `${grant.resource_ref} is not requestable: ${resource.unrequestableReason}`,
      };
    } else if (!serves(provisioner, target)) {
      outcome = {
        kind: 'failed',
        permanent: true,
        error: `Provisioner '${provisioner.id}' does not serve ${
          target.permission
        } on ${target.resourceType ?? target.resourceRef}`,
      };
    } else if (action === 'revoke' && provisioner.overlap !== 'independent') {
      const covering = await this.grants.coveringGrant(grant);
      outcome = covering
        ? { kind: 'done', note: `Access kept: grant ${covering.id} covers it` }
        : await this.call(provisioner, action, target);
    } else {
      outcome = await this.call(provisioner, action, target);
    }
    const owners =
      outcome.kind === 'handed-to-people' ? resource?.owners ?? [] : [];
    return { grant, action, outcome, owners };
  }

  private async call(
    provisioner: AccessProvisioner,
    action: 'grant' | 'revoke',
    target: ProvisioningTarget,
  ): Promise<Outcome> {
    const timeout = AbortSignal.timeout(this.callTimeoutMs);
    const signal = AbortSignal.any([timeout, this.shutdown.signal]);
    const ctx = {
      signal,
      logger: this.options.logger.child({
        provisioner: provisioner.id,
        grant: target.grantId,
      }),
      idempotencyKey: `${target.grantId}:${action}`,
    };
    try {
      const result: GrantResult | RevokeResult | void =
        action === 'grant'
          ? await provisioner.grant(target, ctx)
          : await provisioner.revoke(target, ctx);
      if (result?.fulfilment) {
        return {
          kind: 'handed-to-people',
          instructions: result.fulfilment.instructions,
        };
      }
      return { kind: 'done', result: result ?? undefined };
    } catch (error) {
      const message =
        error instanceof Error ? error.message : String(error ?? 'failed');
      return {
        kind: 'failed',
        permanent: isPermanentProvisioningError(error),
        error: timeout.aborted
          ? `Timed out after ${this.callTimeoutMs} ms: ${message}`
          : message,
      };
    }
  }

  /**
   * Writes what a batch of calls came to, and moves their requests on, in one transaction. If the
   * batch fails as a whole, each outcome is tried on its own so that one bad row loses no other;
   * an outcome that cannot be written is retried when its lease runs out.
   */
  private async write(batch: Done[]): Promise<void> {
    try {
      await this.writeTogether(batch);
    } catch (error) {
      if (batch.length === 1) {
        this.options.logger.error(
          `Could not record the outcome of grant ${batch[0].grant.id}: ${error}`,
        );
        return;
      }
      for (const done of batch) {
        await this.write([done]);
      }
    }
  }

  private async writeTogether(batch: Done[]): Promise<void> {
    const now = this.now();
    const changes: StatusChange[] = [];
    await this.options.db.transaction(async tx => {
      const requests = new Set<string>();
      const patches = batch.map(({ grant, action, outcome }) =>
        this.patchFor(grant, action, outcome, now),
      );
      const written = await this.grants.finishMany(
        tx,
        batch.map(({ grant }, n) => ({ claimed: grant, patch: patches[n] })),
      );
      // Audit events of failed items, appended together (before any other event, in order).
      const failures: AuditEventInput[] = [];
      for (const [n, { grant, action, outcome, owners }] of batch.entries()) {
        const result = written[n];
        if (!result.ok) {
          await appendAuditEvents(tx, failures.splice(0));
          await this.lateOutcome(
            tx,
            grant,
            action,
            outcome,
            result.current,
            now,
          );
          continue;
        }
        requests.add(grant.request_id);
        if (outcome.kind === 'handed-to-people') {
          await this.openTask(
            tx,
            grant,
            action,
            outcome.instructions,
            owners,
            now,
          );
        }
        if (outcome.kind === 'failed' && patches[n].state === 'failed') {
          failures.push({
            requestId: grant.request_id,
            actorRef: SYSTEM_ACTOR,
            action: `${action}-item-failed`,
            details: {
              grantId: grant.id,
              resourceRef: grant.resource_ref,
              permission: grant.permission,
              error: outcome.error,
              attempts: grant.attempts,
            },
            at: now,
          });
        }
      }
      await appendAuditEvents(tx, failures);
      changes.push(...(await settleRequests(tx, [...requests], now)));
    });
    for (const { grant, action, outcome } of batch) {
      if (outcome.kind === 'failed') {
        this.options.logger.warn(
          `Could not ${action} ${grant.permission} on ${grant.resource_ref} (grant ${grant.id}, attempt ${grant.attempts}): ${outcome.error}`,
        );
      }
    }
    await this.report(changes);
  }

  private patchFor(
    grant: GrantRow,
    action: 'grant' | 'revoke',
    outcome: Outcome,
    now: Date,
  ): Partial<GrantRow> {
    switch (outcome.kind) {
      case 'handed-to-people':
        // Waits for the task; no lease, no retry.
        return { next_attempt_at: null, last_error: null };
      case 'done':
        if (action === 'grant') {
          const credentials = (outcome.result as GrantResult | undefined)
            ?.credentials;
          return {
            state: 'active',
            next_attempt_at: null,
            last_error: null,
            granted_at: now,
            external_id:
              (outcome.result as GrantResult | undefined)?.externalId ??
              grant.external_id,
            ...(credentials
              ? {
                  credentials: this.options.vault.seal(grant.id, credentials),
                  credentials_state: 'ready' as const,
                }
              : {}),
          };
        }
        return {
          state: grant.end_reason ?? 'revoked',
          next_attempt_at: null,
          last_error: outcome.note ?? null,
          revoked_at: now,
          credentials: null,
        };
      case 'failed': {
        const exhausted = grant.attempts >= this.retry.maxAttempts;
        if (outcome.permanent || exhausted) {
          return {
            state: 'failed',
            next_attempt_at: null,
            last_error: exhausted
              ? `${outcome.error} (gave up after ${grant.attempts} attempts)`
              : outcome.error,
          };
        }
        return {
          next_attempt_at: new Date(
            now.getTime() + retryDelayMs(grant.attempts, this.retry),
          ),
          last_error: outcome.error,
        };
      }
      default:
        throw new Error('unreachable');
    }
  }

  /**
   * The grant changed while its call ran. A grant that succeeded after its request was ended
   * must not leave access behind: it is revoked again.
   */
  private async lateOutcome(
    tx: Knex.Transaction,
    claimed: GrantRow,
    action: 'grant' | 'revoke',
    outcome: Outcome,
    current: GrantRow | undefined,
    now: Date,
  ) {
    if (
      action !== 'grant' ||
      outcome.kind !== 'done' ||
      !current ||
      !['revoked', 'expired', 'cancelled'].includes(current.state)
    ) {
      return;
    }
    await tx('access_grants')
      .where({ id: current.id, version: current.version })
      .update({
        state: 'revoking',
        end_reason: current.state === 'expired' ? 'expired' : 'revoked',
        attempts: 0,
        next_attempt_at: now,
        version: current.version + 1,
      });
    await appendAuditEvent(tx, {
      requestId: claimed.request_id,
      actorRef: SYSTEM_ACTOR,
      action: 'late-grant-revoked-again',
      details: { grantId: claimed.id },
      at: now,
    });
  }

  private async openTask(
    tx: Knex.Transaction,
    grant: GrantRow,
    action: 'grant' | 'revoke',
    instructions: string,
    owners: string[],
    now: Date,
  ) {
    const open = await tx('access_fulfilment_tasks')
      .where({ grant_id: grant.id, action, state: 'open' })
      .first();
    if (open) {
      return; // a retried call after a lost lease: the task exists already
    }
    const id = randomUUID();
    await tx('access_fulfilment_tasks').insert({
      id,
      grant_id: grant.id,
      request_id: grant.request_id,
      action,
      instructions,
      state: 'open',
      created_at: now,
    });
    if (owners.length > 0) {
      await tx('access_fulfilment_assignees').insert(
        [...new Set(owners)].map(ref => ({ task_id: id, assignee_ref: ref })),
      );
    }
  }

  private target(
    grant: GrantRow,
    request: RequestRow,
    resourceType: string | undefined,
  ): ProvisioningTarget {
    // The access starts at the scheduled start, or when it was granted (or is being granted).
    const startsAt =
      readOptionalDate(request.starts_at) ??
      readOptionalDate(grant.granted_at) ??
      this.now();
    const endsAt = readOptionalDate(request.ends_at) ?? startsAt;
    return {
      grantId: grant.id,
      requestId: grant.request_id,
      resourceRef: grant.resource_ref,
      ...(resourceType ? { resourceType } : {}),
      permission: grant.permission,
      granteeRef: request.grantee_ref,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      ...(grant.external_id ? { externalId: grant.external_id } : {}),
    };
  }

  private async report(changes: StatusChange[]) {
    if (changes.length === 0 || !this.options.events) {
      return;
    }
    try {
      await this.options.events.emit('statusChanged', changes);
    } catch (error) {
      this.options.logger.warn(`Could not announce status changes: ${error}`);
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/** What the grants of one claimed batch share: their requests and resources. */
interface BatchContext {
  requests: Map<string, RequestRow>;
  resources: Map<
    string,
    { type: string; owners: string[]; unrequestableReason?: string }
  >;
}

/** A claimed grant's work, done, waiting to be written. */
interface Done {
  grant: GrantRow;
  action: 'grant' | 'revoke';
  outcome: Outcome;
  owners: string[];
}

type Outcome =
  | { kind: 'done'; result?: GrantResult | RevokeResult; note?: string }
  | { kind: 'handed-to-people'; instructions: string }
  | { kind: 'failed'; permanent: boolean; error: string };

function serves(
  provisioner: AccessProvisioner,
  target: ProvisioningTarget,
): boolean {
  const { resourceTypes, permissions } = provisioner.serves ?? {};
  if (permissions && !permissions.includes(target.permission)) {
    return false;
  }
  if (
    resourceTypes &&
    target.resourceType &&
    !resourceTypes.includes(target.resourceType)
  ) {
    return false;
  }
  return true;
}
