// moved: re-exported until engine/ imports database/ directly
export type { RequestRow } from '../database/requests/requestRows';
