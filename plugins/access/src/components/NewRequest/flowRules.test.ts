import { mockApis } from '@backstage/test-utils';
import { DateTime } from 'luxon';
import { accessTranslationRef } from '../../translation';
import { aFlow } from '../../__testUtils__/mockAccessApi';
import {
  EMPTY_DETAILS,
  planFlows,
  requirementsOf,
  toSubmission,
  validateDetails,
} from './flowRules';

const db = { resourceRef: 'resource:default/db', permission: 'read' };
const ledger = { resourceRef: 'resource:default/ledger', permission: 'write' };

describe('planFlows', () => {
  it('uses the only flow of an item and asks to choose where several cover one', () => {
    const fast = aFlow({ id: 'fast' });
    const slow = aFlow({ id: 'slow' });
    const match = {
      flows: [
        { flow: fast, items: [db, ledger] },
        { flow: slow, items: [db] },
      ],
      uncovered: [],
    };

    const unchosen = planFlows(match);
    expect(unchosen.needsChoice).toBe(true);
    expect(unchosen.candidates.map(f => f.id)).toEqual(['fast', 'slow']);
    expect(unchosen.effective.map(f => f.id)).toEqual(['fast']);

    const chosen = planFlows(match, 'slow');
    expect(chosen.needsChoice).toBe(false);
    expect(chosen.effective.map(f => f.id).sort()).toEqual(['fast', 'slow']);
  });
});

describe('requirementsOf', () => {
  it('combines the strictest rules of the flows used', () => {
    const a = aFlow({
      durations: ['PT1H', 'PT4H'],
      justification: { required: false, minLength: 5 },
      questions: [
        { id: 'env', label: 'Environment', type: 'text', required: false },
      ],
    });
    const b = aFlow({
      id: 'b',
      durations: ['PT4H', 'P1D'],
      justification: { required: true, minLength: 20 },
      ticket: { required: true, types: ['jira'], pattern: '^OPS-\\d+$' },
      questions: [
        { id: 'env', label: 'Environment', type: 'text', required: true },
      ],
      allowScheduledStart: true,
    });

    expect(requirementsOf([a, b])).toEqual({
      durations: ['PT4H'],
      allowScheduledStart: false,
      ticketRequired: true,
      ticketTypes: ['jira'],
      ticketPatterns: ['^OPS-\\d+$'],
      questions: [
        { id: 'env', label: 'Environment', type: 'text', required: true },
      ],
      justificationRequired: true,
      justificationMinLength: 20,
    });
  });
});

describe('validateDetails', () => {
  const flow = aFlow({
    ticket: { required: true, types: ['jira'], pattern: '^OPS-\\d+$' },
    questions: [
      { id: 'env', label: 'Environment', type: 'text', required: true },
    ],
  });
  const requirements = requirementsOf([flow]);
  const plan = { candidates: [], effective: [flow], needsChoice: false };
  const now = DateTime.fromISO('2025-03-01T12:00:00');
  const { t } = mockApis.translation().getTranslation(accessTranslationRef);

  it('names every missing field', () => {
    expect(validateDetails(EMPTY_DETAILS, requirements, plan, t, now)).toEqual({
      duration: 'Choose a duration',
      ticketId: 'A ticket is required',
      ticketType: 'Choose the ticket type',
      'answer.env': 'Required',
      justification: 'Say why you need this access',
    });
  });

  it('checks the ticket pattern, the minimum length and the window', () => {
    const errors = validateDetails(
      {
        ...EMPTY_DETAILS,
        timing: 'window',
        startAt: '2025-03-01T14:00',
        endAt: '2025-03-01T13:00',
        ticketType: 'jira',
        ticketId: 'BUG-1',
        answers: { env: 'prod' },
        justification: 'short',
      },
      requirements,
      plan,
      t,
      now,
    );
    expect(errors).toEqual({
      endAt: 'The end must be after the start',
      ticketId: 'The ticket id does not have the expected form (^OPS-\\d+$)',
      justification: 'At least 10 characters',
    });
  });
});

describe('toSubmission', () => {
  it('sends items or the bundle, a duration or a window, and leaves out blanks', () => {
    expect(
      toSubmission(
        { items: [db] },
        {
          ...EMPTY_DETAILS,
          duration: 'PT1H',
          justification: ' Fix OPS-1 ',
          answers: { env: ' ' },
        },
      ),
    ).toEqual({
      items: [db],
      duration: 'PT1H',
      justification: 'Fix OPS-1',
      granteeRef: undefined,
      flowId: undefined,
      ticket: undefined,
      answers: undefined,
    });

    const partOfBundle = toSubmission(
      { items: [db], bundle: { id: 'oncall', title: 'On call', whole: false } },
      {
        ...EMPTY_DETAILS,
        timing: 'window',
        endAt: '2025-03-01T18:00',
        ticketId: 'OPS-1',
        ticketType: 'jira',
      },
    );
    expect(partOfBundle.bundle).toEqual({ id: 'oncall', items: [db] });
    expect(partOfBundle.items).toBeUndefined();
    expect(partOfBundle.endAt).toMatch(/^2025-03-01T18:00:00/);
    expect(partOfBundle.ticket).toEqual({ id: 'OPS-1', type: 'jira' });

    expect(
      toSubmission(
        {
          items: [db],
          bundle: { id: 'oncall', title: 'On call', whole: true },
        },
        EMPTY_DETAILS,
      ).bundle,
    ).toEqual({ id: 'oncall' });
  });
});
