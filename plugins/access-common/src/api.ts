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

/** One thing a good justification does, and whether a draft does it. */
export interface JustificationCheck {
  id: 'describes-task' | 'explains-access-level' | 'references-ticket';
  label: string;
  passed: boolean;
  /** Present when not passed: what to add. */
  hint?: string;
}

/** Answer of `POST /justification/feedback`: how a draft justification scores. */
export interface JustificationFeedback {
  /** 0..100 integer. */
  score: number;
  level: 'weak' | 'fair' | 'strong';
  checks: JustificationCheck[];
}
