// moved: re-exported until callers import database/ directly
export {
  appendAuditEvent,
  appendAuditEvents,
  CHAIN_KEYED_ACTION,
  listAuditEvents,
  readAuditChainHead,
  sealUnkeyedChain,
  SYSTEM_ACTOR,
  verifyAuditChain,
} from '../database/audit';
export type {
  AuditAnchor,
  AuditEvent,
  AuditEventInput,
  AuditVerification,
} from '../database/audit';
