// moved: re-exported until engine/ imports database/ directly
export * from '../database/requests/transitions';
