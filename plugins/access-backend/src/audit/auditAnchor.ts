import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { z } from 'zod';
import { AuditAnchor, AuditStore, createChainKey } from '../database/audit';
import { AuditConfig } from './auditConfig';

/**
 * Anchoring the audit chain outside the database: a job exports the head of the chain (seq,
 * link, time) through the Backstage auditor and the logs, and verification accepts such a head
 * back (`GET /admin/audit/verify?anchor=<seq>:<hash>`) to prove that row is still there with
 * that link, so the newest rows cannot be dropped, nor history rewritten, unnoticed.
 */

/** The id of the scheduled task that exports the head. */
export const AUDIT_ANCHOR_TASK_ID = 'access-audit-anchor';

/** The Backstage audit event the head is exported as. */
export const AUDIT_ANCHOR_EVENT_ID = 'audit-chain-anchor';

/** `<seq>:<hash>`: how a head is written in the logs and given back to verification. */
export function formatAuditAnchor(anchor: AuditAnchor): string {
  return `${anchor.seq}:${anchor.hash}`;
}

const ANCHOR_PATTERN = /^([1-9][0-9]{0,15}):([0-9a-fA-F]{64})$/;

/** An anchor as `<seq>:<hash>` (a positive seq and 64 hex digits). */
export const auditAnchorSchema = z
  .string()
  .regex(
    ANCHOR_PATTERN,
    'Expected <seq>:<hash>, a positive row number and 64 hex digits, as exported by the anchor job',
  )
  .transform((value): AuditAnchor => {
    const [, seq, hash] = ANCHOR_PATTERN.exec(value)!;
    return { seq: Number(seq), hash: hash.toLowerCase() };
  })
  .refine(anchor => Number.isSafeInteger(anchor.seq), 'Row number too large');

/** The query of `GET /admin/audit/verify`. */
export const auditVerifyQuerySchema = z
  .object({ anchor: auditAnchorSchema.optional() })
  .strict();

/**
 * Exports the current head through the auditor (event `audit-chain-anchor`, meta `anchor`,
 * `seq`, `hash`, `at`, `keyed`) and the logger. An empty chain has nothing to anchor.
 */
export async function emitAuditAnchor(options: {
  audit: AuditStore;
  auditor: AuditorService;
  logger: LoggerService;
}): Promise<AuditAnchor | undefined> {
  const { audit, auditor, logger } = options;
  const head = await audit.head();
  if (!head) {
    logger.info('Audit chain is empty: no anchor to export');
    return undefined;
  }
  const anchor = formatAuditAnchor(head);
  const meta = {
    anchor,
    seq: head.seq,
    hash: head.hash,
    at: head.at.toISOString(),
    keyed: head.keyed,
  };
  const event = await auditor.createEvent({
    eventId: AUDIT_ANCHOR_EVENT_ID,
    severityLevel: 'low',
    meta,
  });
  await event.success();
  logger.info(
    `Audit chain anchor ${anchor} (row written ${meta.at}); keep it outside the database and verify with ?anchor=${anchor}`,
    { auditChainAnchor: anchor },
  );
  return { seq: head.seq, hash: head.hash };
}

/**
 * Sets the audit chain up at startup: the key appends and verification use (a warning when there
 * is none), a keyed row over rows from before the key, and the anchor job.
 */
export async function startAuditChain(options: {
  audit: AuditStore;
  config: AuditConfig;
  auditor: AuditorService;
  logger: LoggerService;
  scheduler: SchedulerService;
}): Promise<void> {
  const { audit, config, auditor, logger, scheduler } = options;
  if (config.chainKey) {
    audit.setChainKey(createChainKey(config.chainKey));
    const sealed = await audit.sealUnkeyedChain();
    if (sealed) {
      logger.info(
        `Audit chain keyed from row ${sealed.seq}; the unkeyed rows before it are covered by its link`,
      );
    }
  } else {
    audit.setChainKey(null);
    logger.warn(
      'access.audit.chainKey is not set: the audit chain is unkeyed, so anyone who can write the database can rewrite it and recompute it. Allowed only in development and test (or with access.audit.dangerouslyAllowUnkeyedChain)',
    );
  }
  await scheduler.scheduleTask({
    id: AUDIT_ANCHOR_TASK_ID,
    ...config.anchorSchedule,
    fn: async () => {
      await emitAuditAnchor({ audit, auditor, logger });
    },
  });
}
