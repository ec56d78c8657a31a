import { MAX_TIMER_DELAY_MS, WakeUpTimer } from './WakeUpTimer';

/** Timer functions that record what was set instead of waiting. */
function fakeTimers() {
  const set: Array<{ ms: number; fire: () => void; cleared: boolean }> = [];
  return {
    set,
    timers: {
      setTimeout: (fire: () => void, ms: number) => {
        const entry = { ms, fire, cleared: false };
        set.push(entry);
        return entry;
      },
      clearTimeout: (handle: unknown) => {
        (handle as { cleared: boolean }).cleared = true;
      },
    },
  };
}

describe('WakeUpTimer', () => {
  const now = new Date('2026-11-22T10:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('keeps the earliest wake-up and replaces a later one', () => {
    const { set, timers } = fakeTimers();
    const woke = jest.fn();
    const timer = new WakeUpTimer(woke, () => now, timers);

    timer.wakeAt(at(5_000));
    timer.wakeAt(at(9_000)); // later: ignored
    expect(set.map(t => t.ms)).toEqual([5_000]);

    timer.wakeAt(at(1_000)); // earlier: replaces
    expect(set.map(t => [t.ms, t.cleared])).toEqual([
      [5_000, true],
      [1_000, false],
    ]);
    expect(timer.nextWakeAt).toEqual(at(1_000));

    set[1].fire();
    expect(woke).toHaveBeenCalledTimes(1);
    expect(timer.nextWakeAt).toBeUndefined();
  });

  it('never asks Node for a delay beyond its 32-bit limit', () => {
    const { set, timers } = fakeTimers();
    const timer = new WakeUpTimer(jest.fn(), () => now, timers);
    timer.wakeAt(at(40 * 24 * 3600_000)); // 40 days
    expect(set[0].ms).toBe(MAX_TIMER_DELAY_MS);
  });

  it('fires at once for a moment already past, and not at all once stopped', () => {
    const { set, timers } = fakeTimers();
    const timer = new WakeUpTimer(jest.fn(), () => now, timers);
    timer.wakeAt(at(-5_000));
    expect(set[0].ms).toBe(0);
    timer.stop();
    expect(set[0].cleared).toBe(true);
    timer.wakeAt(at(1_000));
    expect(set).toHaveLength(1);
  });
});
