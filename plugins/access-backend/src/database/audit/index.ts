// The audit log's persistence: the store, the append other stores' transactions call, and the
// chain's hashing and key.
export { AuditStore, listAuditEvents, readAuditChainHead } from './AuditStore';
export {
  appendAuditEvent,
  appendAuditEvents,
  sealUnkeyedChain,
} from './appendEvents';
export { verifyAuditChain } from './verifyChain';
export { auditChainKeyFor, setAuditChainKey } from './chainKeys';
export { createChainKey } from './chainHash';
export type { ChainKey } from './chainHash';
export * from './auditEvents';
