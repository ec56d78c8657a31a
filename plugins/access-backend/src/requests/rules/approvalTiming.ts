import { Duration } from 'luxon';

/** When approved access begins and ends, from what the request asked for. */
export interface ApprovedTiming {
  /** The access starts later, at `startsAt`; until then the request is scheduled. */
  scheduled: boolean;
  /** When the grants are due: now, or the scheduled start. */
  dueAt: Date;
  /** The end of the access; null when the request asked for neither an end nor a duration. */
  endsAt: Date | null;
}

/**
 * The timing of access approved at `now`. A duration counts from the start of the access: the
 * approval, or the scheduled start.
 */
export function approvedTiming(
  request: { startsAt?: Date; endsAt?: Date; duration?: string },
  now: Date,
): ApprovedTiming {
  const { startsAt } = request;
  const scheduled =
    startsAt !== undefined && startsAt.getTime() > now.getTime();
  const endsAt =
    request.endsAt ??
    (request.duration
      ? new Date(
          (startsAt ?? now).getTime() +
            Duration.fromISO(request.duration).toMillis(),
        )
      : null);
  return { scheduled, dueAt: scheduled && startsAt ? startsAt : now, endsAt };
}
