// moved: re-exported until callers import lib/cursors directly
export { decodeCursor, encodeCursor } from '../lib/cursors';
