import { AccessRequest, Submission } from '@jit-access/plugin-access-common';
import { submissionOf, withChanges } from './resubmission';

const request = (overrides: Partial<AccessRequest>) =>
  ({
    requesterRef: 'user:default/dana',
    granteeRef: 'user:default/dana',
    flowId: 'owner',
    items: [
      {
        id: 'g1',
        resourceRef: 'resource:default/db',
        permission: 'read',
        status: 'expired',
      },
    ],
    answers: {},
    ...overrides,
  } as AccessRequest);

describe('submissionOf', () => {
  it.each<[string, Partial<AccessRequest>, Submission]>([
    [
      'the items and the flow, nothing the caller gives anew',
      { justification: 'old reason', duration: 'PT1H' },
      {
        items: [{ resourceRef: 'resource:default/db', permission: 'read' }],
        flowId: 'owner',
        duration: 'PT1H',
      },
    ],
    [
      'the grantee of a delegated request, the ticket and the answers',
      {
        granteeRef: 'user:default/sam',
        ticket: { id: 'INC-1' },
        answers: { env: 'prod' },
      },
      {
        items: [{ resourceRef: 'resource:default/db', permission: 'read' }],
        granteeRef: 'user:default/sam',
        flowId: 'owner',
        ticket: { id: 'INC-1' },
        answers: { env: 'prod' },
      },
    ],
  ])('%s', (_, overrides, expected) => {
    expect(submissionOf(request(overrides))).toEqual(expected);
  });
});

describe('withChanges', () => {
  it.each<[string, Submission, Partial<Submission>, Submission]>([
    [
      'a new end replaces the duration',
      { flowId: 'f', duration: 'PT1H' },
      { endAt: '2026-12-01T12:00:00.000Z' },
      { flowId: 'f', endAt: '2026-12-01T12:00:00.000Z' },
    ],
    [
      'a new duration replaces the end',
      { flowId: 'f', endAt: '2026-12-01T12:00:00.000Z' },
      { duration: 'PT2H' },
      { flowId: 'f', duration: 'PT2H' },
    ],
    [
      'other changes apply over the template',
      { flowId: 'f', duration: 'PT1H' },
      { justification: 'again' },
      { flowId: 'f', duration: 'PT1H', justification: 'again' },
    ],
  ])('%s', (_, template, changes, expected) => {
    expect(withChanges(template, changes)).toEqual(expected);
  });
});
