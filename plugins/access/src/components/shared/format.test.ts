import { DateTime } from 'luxon';
import {
  formatDateTime,
  formatIsoDuration,
  formatList,
  formatNumber,
  formatRelative,
  formatRemaining,
} from './format';
import { pickLocale } from './i18n';

const AT = '2025-03-03T14:05:00';

describe('formatting in the viewer’s locale', () => {
  it('formats dates, durations, numbers and lists per locale', () => {
    expect(formatDateTime(AT, 'en-US')).toBe('Mar 3, 2025, 2:05 PM');
    expect(formatDateTime(AT, 'de-DE')).toBe('3. März 2025, 14:05');
    expect(formatDateTime(AT, 'en-GB')).toBe('3 Mar 2025, 14:05');
    expect(formatDateTime(undefined, 'de-DE')).toBe('');

    expect(formatIsoDuration('P1DT2H', 'en-US')).toBe('1 day, 2 hours');
    expect(formatIsoDuration('P1DT2H', 'de-DE')).toBe('1 Tag und 2 Stunden');
    expect(formatIsoDuration('PT4H', 'fr-FR')).toBe('4\u00a0heures');

    const now = DateTime.fromISO('2025-03-03T12:05:00');
    expect(formatRelative(AT, 'en-US', now)).toBe('in 2 hours');
    expect(formatRelative(AT, 'de-DE', now)).toBe('in 2 Stunden');

    expect(formatNumber(1000, 'en-US')).toBe('1,000');
    expect(formatNumber(1000, 'de-DE')).toBe('1.000');
    expect(formatList(['read', 'write'], 'en-US')).toBe('read, write');
  });

  it('counts down in the locale’s short units, and stops at the end', () => {
    const now = DateTime.fromISO('2025-03-03T12:00:00');
    expect(formatRemaining('2025-03-03T13:05:09', 'en-US', now)).toBe(
      '1h 05m 09s',
    );
    expect(formatRemaining('2025-03-05T15:00:00', 'en-US', now)).toBe('2d 3h');
    expect(formatRemaining('2025-03-03T12:30:09', 'en-US', now)).toBe(
      '30m 09s',
    );
    expect(formatRemaining('2025-03-03T12:30:09', 'de-DE', now)).toBe(
      '30 Min. 09 Sek.',
    );
    expect(formatRemaining('2025-03-03T11:00:00', 'en-US', now)).toBe(
      undefined,
    );
  });

  it('takes the browser’s locale that speaks the app’s language', () => {
    expect(pickLocale('en', ['en-GB', 'en-US'])).toBe('en-GB');
    expect(pickLocale('de', ['en-GB', 'de-AT'])).toBe('de-AT');
    // A German app on an English browser: German dates.
    expect(pickLocale('de', ['en-US'])).toBe('de');
    // No app language (outside an app): the browser's first.
    expect(pickLocale(undefined, ['fr-CA', 'en'])).toBe('fr-CA');
    expect(pickLocale(undefined, [])).toBe('en-US');
    expect(pickLocale('en', ['not a locale!', 'en-AU'])).toBe('en-AU');
  });
});
