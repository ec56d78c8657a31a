import { extendedEnd } from './extensionRules';

const END = new Date('2026-12-01T10:00:00.000Z');

describe('extendedEnd', () => {
  it.each<[string, { duration?: string; endAt?: string }, string]>([
    [
      'adds a duration to the current end',
      { duration: 'PT2H' },
      '2026-12-01T12:00:00.000Z',
    ],
    [
      'takes an explicit later end',
      { endAt: '2026-12-02T10:00:00.000Z' },
      '2026-12-02T10:00:00.000Z',
    ],
  ])('%s', (_, ask, expected) => {
    expect(extendedEnd(END, ask).toISOString()).toBe(expected);
  });

  it.each<[string, { duration?: string; endAt?: string }, RegExp]>([
    [
      'both a duration and an end',
      { duration: 'PT1H', endAt: '2026-12-02T10:00:00.000Z' },
      /^duration: give either duration or endAt/,
    ],
    [
      'an end not after the current one',
      { endAt: '2026-12-01T10:00:00.000Z' },
      /^endAt: .* is not after the current end/,
    ],
    ['neither', {}, /^duration: say how long to extend/],
    [
      'a negative duration',
      { duration: '-PT1H' },
      /^duration: '-PT1H' is not a positive ISO-8601 duration/,
    ],
    [
      'a zero duration',
      { duration: 'PT0S' },
      /not a positive ISO-8601 duration/,
    ],
  ])('refuses %s', (_, ask, message) => {
    expect(() => extendedEnd(END, ask)).toThrow(message);
  });
});
