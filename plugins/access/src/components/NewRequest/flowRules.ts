/**
 * What the flows matching a selection ask of the requester. A submission is split by flow on the
 * backend, so the form asks for the strictest combination of the flows that will be used.
 */
import {
  AccessFlow,
  FlowMatchResult,
  FlowQuestion,
  Submission,
} from '@jit-access/plugin-access-common';
import { DateTime } from 'luxon';
import type { AccessT } from '../shared/i18n';
import { itemKey, Selection } from './selection';

export interface FlowPlan {
  /** Flows to choose between, because some item is covered by more than one. */
  candidates: AccessFlow[];
  /** The flows the submission will use with the current choice. */
  effective: AccessFlow[];
  /** Some item is covered by several flows and none is chosen yet. */
  needsChoice: boolean;
}

export function planFlows(
  match: FlowMatchResult,
  chosenFlowId?: string,
): FlowPlan {
  const coveringFlows = new Map<string, AccessFlow[]>();
  for (const { flow, items } of match.flows) {
    for (const item of items) {
      const key = itemKey(item);
      coveringFlows.set(key, [...(coveringFlows.get(key) ?? []), flow]);
    }
  }
  const candidates = new Map<string, AccessFlow>();
  const effective = new Map<string, AccessFlow>();
  let needsChoice = false;
  for (const flows of coveringFlows.values()) {
    if (flows.length === 1) {
      effective.set(flows[0].id, flows[0]);
      continue;
    }
    flows.forEach(f => candidates.set(f.id, f));
    const chosen = flows.find(f => f.id === chosenFlowId);
    if (chosen) {
      effective.set(chosen.id, chosen);
    } else {
      needsChoice = true;
    }
  }
  return {
    candidates: [...candidates.values()],
    effective: [...effective.values()],
    needsChoice,
  };
}

export interface Requirements {
  durations: string[];
  allowScheduledStart: boolean;
  ticketRequired: boolean;
  ticketTypes: string[];
  ticketPatterns: string[];
  questions: FlowQuestion[];
  justificationRequired: boolean;
  justificationMinLength: number;
}

/** The strictest combination of the flows' rules. */
export function requirementsOf(flows: AccessFlow[]): Requirements {
  const questions = new Map<string, FlowQuestion>();
  for (const q of flows.flatMap(f => f.questions)) {
    const seen = questions.get(q.id);
    questions.set(
      q.id,
      seen ? { ...seen, required: seen.required || q.required } : q,
    );
  }
  // Durations every flow accepts; when they share none, the first flow's (the backend explains).
  const shared = flows.length
    ? flows.map(f => f.durations).reduce((a, b) => a.filter(d => b.includes(d)))
    : [];
  return {
    durations: shared.length || !flows.length ? shared : flows[0].durations,
    allowScheduledStart:
      flows.length > 0 && flows.every(f => f.allowScheduledStart),
    ticketRequired: flows.some(f => f.ticket.required),
    ticketTypes: Array.from(new Set(flows.flatMap(f => f.ticket.types))),
    ticketPatterns: flows
      .map(f => f.ticket.pattern)
      .filter((p): p is string => Boolean(p)),
    questions: [...questions.values()],
    justificationRequired: flows.some(f => f.justification.required),
    justificationMinLength: Math.max(
      0,
      ...flows.map(f => f.justification.minLength),
    ),
  };
}

export interface Details {
  granteeRef: string;
  flowId?: string;
  timing: 'duration' | 'window';
  duration: string;
  /** `datetime-local` values (no zone: the viewer's). */
  startAt: string;
  endAt: string;
  ticketType: string;
  ticketId: string;
  answers: Record<string, string>;
  justification: string;
}

export const EMPTY_DETAILS: Details = {
  granteeRef: '',
  timing: 'duration',
  duration: '',
  startAt: '',
  endAt: '',
  ticketType: '',
  ticketId: '',
  answers: {},
  justification: '',
};

export type DetailErrors = Partial<Record<string, string>>;

function patternMatches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    // A pattern this browser cannot compile is left to the backend.
    return true;
  }
}

/** Problems the form can see before submitting, by field. */
export function validateDetails(
  details: Details,
  requirements: Requirements,
  plan: FlowPlan,
  t: AccessT,
  now: DateTime = DateTime.now(),
): DetailErrors {
  const errors: DetailErrors = {};
  if (plan.needsChoice) errors.flowId = t('newRequest.errors.flow');
  if (details.timing === 'duration') {
    if (!details.duration && requirements.durations.length)
      errors.duration = t('newRequest.errors.duration');
  } else {
    const start = details.startAt ? DateTime.fromISO(details.startAt) : now;
    const end = DateTime.fromISO(details.endAt);
    if (!details.endAt || !end.isValid)
      errors.endAt = t('newRequest.errors.end');
    else if (end <= start) errors.endAt = t('newRequest.errors.endBeforeStart');
    if (details.startAt && start < now.minus({ minutes: 1 }))
      errors.startAt = t('newRequest.errors.startInPast');
  }
  const ticketId = details.ticketId.trim();
  if (requirements.ticketRequired && !ticketId)
    errors.ticketId = t('newRequest.errors.ticketRequired');
  if (
    ticketId &&
    requirements.ticketPatterns.some(p => !patternMatches(p, ticketId))
  ) {
    errors.ticketId = t('newRequest.errors.ticketForm', {
      patterns: requirements.ticketPatterns.join(' / '),
    });
  }
  if (
    requirements.ticketRequired &&
    requirements.ticketTypes.length &&
    !details.ticketType
  ) {
    errors.ticketType = t('newRequest.errors.ticketType');
  }
  for (const q of requirements.questions) {
    if (q.required && !details.answers[q.id]?.trim())
      errors[`answer.${q.id}`] = t('newRequest.errors.required');
  }
  const justification = details.justification.trim();
  if (requirements.justificationRequired && !justification) {
    errors.justification = t('newRequest.errors.justification');
  } else if (
    justification &&
    justification.length < requirements.justificationMinLength
  ) {
    errors.justification = t('newRequest.errors.justificationMinLength', {
      count: requirements.justificationMinLength,
    });
  }
  return errors;
}

/** The body of `POST /requests` for a selection and the details. */
export function toSubmission(
  selection: Selection,
  details: Details,
): Submission {
  const answers = Object.fromEntries(
    Object.entries(details.answers).filter(([, v]) => v.trim()),
  );
  const ticketId = details.ticketId.trim();
  const submission: Submission = {
    granteeRef: details.granteeRef.trim() || undefined,
    flowId: details.flowId,
    justification: details.justification.trim() || undefined,
    ticket: ticketId
      ? { id: ticketId, type: details.ticketType || undefined }
      : undefined,
    answers: Object.keys(answers).length ? answers : undefined,
  };
  if (details.timing === 'duration') {
    submission.duration = details.duration || undefined;
  } else {
    submission.startAt = details.startAt
      ? DateTime.fromISO(details.startAt).toISO() ?? undefined
      : undefined;
    submission.endAt = DateTime.fromISO(details.endAt).toISO() ?? undefined;
  }
  if (selection.bundle) {
    submission.bundle = selection.bundle.whole
      ? { id: selection.bundle.id }
      : { id: selection.bundle.id, items: selection.items };
  } else {
    submission.items = selection.items;
  }
  return submission;
}
