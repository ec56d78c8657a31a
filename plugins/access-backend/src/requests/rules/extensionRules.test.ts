import {
  chainPeople,
  chainStart,
  checkWithinMaxDuration,
} from './extensionRules';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('extension chains', () => {
  it('names everyone who asked for or receives any link, once', () => {
    expect(
      chainPeople([
        {
          id: '1',
          requesterRef: 'user:default/lee',
          granteeRef: 'user:default/sam',
        },
        {
          id: '2',
          requesterRef: 'user:default/sam',
          granteeRef: 'user:default/sam',
          extendsRequestId: '1',
        },
      ]),
    ).toEqual(['user:default/lee', 'user:default/sam']);
  });

  it.each<[string, Parameters<typeof chainStart>[0], Date]>([
    [
      'a scheduled start',
      { startsAt: minutes(30), firstGrantedAt: minutes(31), createdAt: T0 },
      minutes(30),
    ],
    [
      'the first grant',
      { firstGrantedAt: minutes(2), createdAt: T0 },
      minutes(2),
    ],
    ['the request, before any grant', { createdAt: T0 }, T0],
  ])('starts at %s', (_, original, expected) => {
    expect(chainStart(original)).toEqual(expected);
  });

  it('allows ends up to maxDuration after the chain start, and no later', () => {
    const flow = { id: 'owner-approval', maxDuration: 'PT2H' };
    expect(() =>
      checkWithinMaxDuration(flow, T0, minutes(120), 'duration'),
    ).not.toThrow();
    expect(() =>
      checkWithinMaxDuration(flow, T0, minutes(121), 'endAt'),
    ).toThrow(
      "endAt: flow 'owner-approval' allows at most PT2H in all; the latest end is 2026-12-01T12:00:00.000Z",
    );
  });
});
