import { InputError } from '@backstage/errors';
import { AccessFlow, Submission } from '@jit-access/plugin-access-common';
import { Duration } from 'luxon';

// A start this far in the past still counts as "now" (clocks differ a little between machines).
const START_SLACK_MS = 60_000;

export interface RequestTiming {
  /** ISO-8601 duration counted from the grant, when no explicit end was given. */
  duration?: string;
  startsAt?: Date;
  endsAt?: Date;
}

function millis(iso: string): number {
  return Duration.fromISO(iso).toMillis();
}

/** Duration or window of a request, within what the flow offers. */
export function checkTiming(
  flow: AccessFlow,
  submission: Submission,
  now: Date,
): RequestTiming {
  const where = `flow '${flow.id}'`;
  let startsAt: Date | undefined;
  if (submission.startAt) {
    startsAt = new Date(submission.startAt);
    if (startsAt.getTime() < now.getTime() - START_SLACK_MS) {
      throw new InputError(`startAt: ${submission.startAt} is in the past`);
    }
    if (
      startsAt.getTime() > now.getTime() + START_SLACK_MS &&
      !flow.allowScheduledStart
    ) {
      throw new InputError(
        `startAt: ${where} does not allow a scheduled start`,
      );
    }
  }
  const maxMs = millis(flow.maxDuration);

  if (submission.endAt) {
    const endsAt = new Date(submission.endAt);
    const from = startsAt ?? now;
    if (endsAt.getTime() <= from.getTime()) {
      throw new InputError(`endAt: ${submission.endAt} is not after the start`);
    }
    if (endsAt.getTime() - from.getTime() > maxMs) {
      throw new InputError(
        `endAt: ${where} allows at most ${flow.maxDuration}`,
      );
    }
    return { startsAt, endsAt };
  }

  const duration = submission.duration ?? flow.durations[0];
  const parsed = parseRequestedDuration(duration);
  if (!parsed) {
    throw new InputError(
      `duration: '${duration}' is not an ISO-8601 duration such as PT1H`,
    );
  }
  if (!flow.durations.some(offered => millis(offered) === parsed.toMillis())) {
    throw new InputError(
      `duration: ${where} offers ${flow.durations.join(', ')}, not ${duration}`,
    );
  }
  return { duration, startsAt };
}

/**
 * A duration someone asked for: ISO-8601, longer than zero, with no signs (luxon reads `-PT-1H`
 * as an hour; nobody means that, and the API's contract refuses it). Undefined when it is not one.
 */
export function parseRequestedDuration(text: string): Duration | undefined {
  const parsed = Duration.fromISO(text);
  return parsed.isValid && parsed.toMillis() > 0 && !text.includes('-')
    ? parsed
    : undefined;
}

/** The justification, ticket and answers the flow asks for. Returns the answers it keeps. */
export function checkRequirements(
  flow: AccessFlow,
  submission: Submission,
): Record<string, string> {
  const where = `flow '${flow.id}'`;
  const justification = submission.justification?.trim() ?? '';
  if (flow.justification.required && justification.length === 0) {
    throw new InputError(`justification: ${where} requires a justification`);
  }
  if (
    justification.length > 0 &&
    justification.length < flow.justification.minLength
  ) {
    throw new InputError(
      `justification: ${where} requires at least ${flow.justification.minLength} characters`,
    );
  }

  const ticket = submission.ticket;
  if (flow.ticket.required && !ticket) {
    throw new InputError(`ticket: ${where} requires a ticket`);
  }
  if (ticket) {
    if (
      flow.ticket.types.length > 0 &&
      !flow.ticket.types.includes(ticket.type ?? '')
    ) {
      throw new InputError(
        `ticket.type: ${where} accepts ${flow.ticket.types.join(', ')} tickets`,
      );
    }
    if (
      flow.ticket.pattern &&
      !new RegExp(flow.ticket.pattern).test(ticket.id)
    ) {
      throw new InputError(
        `ticket.id: '${ticket.id}' does not match ${where}'s ticket pattern ${flow.ticket.pattern}`,
      );
    }
  }

  const given = submission.answers ?? {};
  const answers: Record<string, string> = {};
  for (const question of flow.questions) {
    const answer = given[question.id]?.trim() ?? '';
    if (question.required && answer.length === 0) {
      throw new InputError(
        `answers.${question.id}: ${where} requires an answer to '${question.label}'`,
      );
    }
    if (
      answer.length > 0 &&
      question.type === 'choice' &&
      !question.choices?.includes(answer)
    ) {
      throw new InputError(
        `answers.${question.id}: choose one of ${question.choices?.join(', ')}`,
      );
    }
    if (answer.length > 0) {
      answers[question.id] = answer;
    }
  }
  return answers;
}
