import type {
  AuditAnchor,
  AuditVerification,
} from '@jit-access/plugin-access-common';

/** One event to record. */
export interface AuditEventInput {
  requestId?: string;
  actorRef: string;
  action: string;
  fromStatus?: string;
  toStatus?: string;
  /** Reason and other context; stored as JSON, so only JSON values survive. */
  details?: Record<string, unknown>;
  at: Date;
}

/** One recorded event, with its place in the chain. */
export interface AuditEvent extends AuditEventInput {
  seq: number;
  prevHash: string | null;
  hash: string;
}

// A row's place in the chain (as the anchor job exports it) and the outcome of
// verifyAuditChain are part of the wire contract: GET /admin/audit/verify answers the latter.
export type { AuditAnchor, AuditVerification };

/** The newest row of the chain: its place, when it was written and whether it is keyed. */
export type AuditChainHead = AuditAnchor & { at: Date; keyed: boolean };

/** The actor the audit log names for what the plugin does by itself. */
export const SYSTEM_ACTOR = 'plugin:access';

/** The action of the row that seals unkeyed rows under the first keyed link. */
export const CHAIN_KEYED_ACTION = 'audit-chain-keyed';
