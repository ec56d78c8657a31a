// moved: re-exported until requests/ imports database/ directly
export * from '../database/grants/GrantStore';
