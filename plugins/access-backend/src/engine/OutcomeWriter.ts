import { LoggerService } from '@backstage/backend-plugin-api';
import { GrantResult } from '@jit-access/plugin-access-node';
import {
  appendAuditEvent,
  appendAuditEvents,
  AuditEventInput,
  SYSTEM_ACTOR,
} from '../database/audit';
import { Tx } from '../database/grants/grantRow';
import {
  GrantPatch,
  GrantRecord,
  GrantStore,
} from '../database/grants/GrantStore';
import { FulfilmentTaskStore } from '../database/tasks/FulfilmentTaskStore';
import { AccessEvents, StatusChange } from '../events/AccessEvents';
import { RetryPolicy, retryDelayMs } from './backoff';
import { CredentialVault } from './CredentialVault';
import { Done, Outcome } from './grantWork';
import { settleRequests } from './settleRequest';

/** Outcomes written per transaction. */
const WRITE_BATCH = 2000;

export interface OutcomeWriterOptions {
  grants: GrantStore;
  tasks: FulfilmentTaskStore;
  vault: CredentialVault;
  retry: RetryPolicy;
  logger: LoggerService;
  events?: AccessEvents;
  now: () => Date;
}

/**
 * Records what provisioner calls came to: the grant's new state (a retry with backoff, or failure
 * once attempts run out), sealed credentials, tasks for work handed to people, audit events of
 * failed items, and the requests settled. Outcomes are written in batches, in the background, so
 * that work falling due meanwhile is not held up behind the bookkeeping.
 */
export class OutcomeWriter {
  /** Outcomes of calls not yet written, and the writing under way. */
  private readonly unwritten: Done[] = [];
  private writing?: Promise<void>;

  constructor(private readonly options: OutcomeWriterOptions) {}

  enqueue(done: Done) {
    this.unwritten.push(done);
    this.startWriting();
  }

  /** Waits until every outcome so far is written. */
  async drain(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  /** Tells who listens which requests changed status; a failure to tell is only logged. */
  async report(changes: StatusChange[]) {
    if (changes.length === 0 || !this.options.events) {
      return;
    }
    try {
      await this.options.events.emit('statusChanged', changes);
    } catch (error) {
      this.options.logger.warn(`Could not announce status changes: ${error}`);
    }
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
    const now = this.options.now();
    const changes: StatusChange[] = [];
    await this.options.grants.transaction(async tx => {
      const requests = new Set<string>();
      const patches = batch.map(({ grant, action, outcome }) =>
        this.patchFor(grant, action, outcome, now),
      );
      const written = await this.options.grants.finishMany(
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
        requests.add(grant.requestId);
        if (outcome.kind === 'handed-to-people') {
          await this.options.tasks.open(tx, {
            grantId: grant.id,
            requestId: grant.requestId,
            action,
            instructions: outcome.instructions,
            owners,
            now,
          });
        }
        if (outcome.kind === 'failed' && patches[n].state === 'failed') {
          failures.push({
            requestId: grant.requestId,
            actorRef: SYSTEM_ACTOR,
            action: `${action}-item-failed`,
            details: {
              grantId: grant.id,
              resourceRef: grant.resourceRef,
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
          `Could not ${action} ${grant.permission} on ${grant.resourceRef} (grant ${grant.id}, attempt ${grant.attempts}): ${outcome.error}`,
        );
      }
    }
    await this.report(changes);
  }

  /** The columns an outcome changes: a new state, or a retry after the backoff. */
  private patchFor(
    grant: GrantRecord,
    action: 'grant' | 'revoke',
    outcome: Outcome,
    now: Date,
  ): GrantPatch {
    switch (outcome.kind) {
      case 'handed-to-people':
        // Waits for the task; no lease, no retry.
        return { nextAttemptAt: null, lastError: null };
      case 'done':
        if (action === 'grant') {
          const result = outcome.result as GrantResult | undefined;
          const credentials = result?.credentials;
          return {
            state: 'active',
            nextAttemptAt: null,
            lastError: null,
            grantedAt: now,
            externalId: result?.externalId ?? grant.externalId ?? null,
            ...(credentials
              ? {
                  credentials: this.options.vault.seal(grant.id, credentials),
                  credentialsState: 'ready' as const,
                }
              : {}),
          };
        }
        return {
          state: grant.endReason ?? 'revoked',
          nextAttemptAt: null,
          lastError: outcome.note ?? null,
          revokedAt: now,
          credentials: null,
        };
      case 'failed': {
        const { retry } = this.options;
        const exhausted = grant.attempts >= retry.maxAttempts;
        if (outcome.permanent || exhausted) {
          return {
            state: 'failed',
            nextAttemptAt: null,
            lastError: exhausted
              ? `${outcome.error} (gave up after ${grant.attempts} attempts)`
              : outcome.error,
          };
        }
        return {
          nextAttemptAt: new Date(
            now.getTime() + retryDelayMs(grant.attempts, retry),
          ),
          lastError: outcome.error,
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
    tx: Tx,
    claimed: GrantRecord,
    action: 'grant' | 'revoke',
    outcome: Outcome,
    current: GrantRecord | undefined,
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
    await this.options.grants.revokeAgain(tx, current, now);
    await appendAuditEvent(tx, {
      requestId: claimed.requestId,
      actorRef: SYSTEM_ACTOR,
      action: 'late-grant-revoked-again',
      details: { grantId: claimed.id },
      at: now,
    });
  }
}
