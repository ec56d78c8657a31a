export * from './AccessApi';
export * from './AccessClient';
export * from './types';
