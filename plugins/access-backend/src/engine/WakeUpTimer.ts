/** Node keeps delays in a signed 32-bit integer: anything longer fires at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface TimerFunctions {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * One in-process timer set for the earliest moment the engine has work, so that a grant ends
 * within a second of its end rather than at the next sweep. Moments beyond Node's timer limit
 * (about 24.8 days) get an intermediate wake-up that simply looks again.
 */
export class WakeUpTimer {
  private handle: unknown;
  private at: number | undefined;
  private stopped = false;

  constructor(
    private readonly onWake: () => void,
    private readonly now: () => Date,
    private readonly timers: TimerFunctions = {
      setTimeout: (cb, ms) => {
        const handle = setTimeout(cb, ms);
        // A pending wake-up must not keep the process alive on shutdown.
        handle.unref?.();
        return handle;
      },
      clearTimeout: handle =>
        clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  ) {}

  /** Wakes at `at` unless an earlier wake-up is set already. */
  wakeAt(at: Date): void {
    if (this.stopped) {
      return;
    }
    const target = at.getTime();
    if (this.at !== undefined && this.at <= target) {
      return;
    }
    this.clear();
    const delay = Math.max(0, target - this.now().getTime());
    this.at = target;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.at = undefined;
      this.onWake();
    }, Math.min(delay, MAX_TIMER_DELAY_MS));
  }

  /** When the timer fires next, if set. */
  get nextWakeAt(): Date | undefined {
    return this.at === undefined ? undefined : new Date(this.at);
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear() {
    if (this.handle !== undefined) {
      this.timers.clearTimeout(this.handle);
    }
    this.handle = undefined;
    this.at = undefined;
  }
}
