// moved: re-exported until callers import database/ directly
export { AccessDatabase as AccessStore } from './AccessDatabase';
