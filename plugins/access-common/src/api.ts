/** Answer of `GET /api/access/health`. */
export interface HealthResponse {
  status: 'ok';
}

/** Answer of `GET /api/access/me`: who the backend sees behind the caller's token. */
export interface CallerIdentity {
  userEntityRef: string;
  ownershipEntityRefs: string[];
  /** Holds the access.admin permission: sees every request, revokes any grant. */
  isAdmin: boolean;
}
