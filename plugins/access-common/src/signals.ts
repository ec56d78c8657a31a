import { RequestStatus } from './status';

/**
 * The signal channel on which the backend announces every change of a request to the
 * requester, the grantee and its approvers, so that open pages refresh without polling.
 */
export const ACCESS_SIGNAL_CHANNEL = 'access:requests';

/**
 * The message on {@link ACCESS_SIGNAL_CHANNEL}: ids only. Pages read the request itself through
 * the API, where the permission checks apply. (A type, not an interface, so that it is a JSON
 * object for the signals API.)
 */
export type AccessRequestSignal = {
  requestId: string;
  status: RequestStatus;
};
