import { readDate, readOptionalDate } from './dates';

describe('readDate', () => {
  const at = Date.UTC(2026, 11, 2, 3, 4, 5, 678);

  it('hands on the Dates PostgreSQL returns without copying them', () => {
    const fromPostgres = new Date(at);
    expect(readDate(fromPostgres)).toBe(fromPostgres);
  });

  it('reads the epoch milliseconds SQLite returns, as numbers or text', () => {
    expect(readDate(at).getTime()).toBe(at);
    expect(readDate(String(at)).getTime()).toBe(at);
    expect(readDate(` ${at}.9 `).getTime()).toBe(at);
  });

  it('reads ISO text', () => {
    expect(readDate('2026-12-02T03:04:05.678Z').getTime()).toBe(at);
  });

  it('refuses what is no timestamp', () => {
    expect(() => readDate('yesterday')).toThrow(
      'Unreadable timestamp from the database: yesterday',
    );
    expect(() => readDate(new Date(NaN))).toThrow(/Unreadable timestamp/);
  });

  it('leaves a missing timestamp missing', () => {
    expect(readOptionalDate(null)).toBeUndefined();
    expect(readOptionalDate(undefined)).toBeUndefined();
  });
});
