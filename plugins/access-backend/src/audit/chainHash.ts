// moved: re-exported until callers import database/ directly
export {
  auditChainKeyFor,
  createChainKey,
  setAuditChainKey,
} from '../database/audit';
export type { ChainKey } from '../database/audit';
