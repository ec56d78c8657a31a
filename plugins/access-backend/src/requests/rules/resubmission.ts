import { AccessRequest, Submission } from '@jit-access/plugin-access-common';

/** The submission that would ask for the same access again (the justification is the caller's). */
export function submissionOf(request: AccessRequest): Submission {
  return {
    items: request.items.map(({ resourceRef, permission }) => ({
      resourceRef,
      permission,
    })),
    ...(request.granteeRef !== request.requesterRef
      ? { granteeRef: request.granteeRef }
      : {}),
    flowId: request.flowId,
    ...(request.duration ? { duration: request.duration } : {}),
    ...(request.ticket ? { ticket: request.ticket } : {}),
    ...(Object.keys(request.answers).length > 0
      ? { answers: request.answers }
      : {}),
  };
}

/** A template with this time's changes; a new end replaces the old duration and vice versa. */
export function withChanges(
  template: Submission,
  changes: Partial<Submission>,
): Submission {
  const merged = { ...template, ...changes };
  if (changes.endAt) {
    delete merged.duration;
  }
  if (changes.duration) {
    delete merged.endAt;
  }
  return merged;
}
