/** The emulator's only source of time, so that tests can move job lifecycles forward at will. */
export interface Clock {
  now(): Date;
}

/** Real time, for the standalone emulator. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Time that moves only when told to: makes lifecycle tests deterministic and instant. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date) {
    this.currentMs = start.getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance needs a finite ms >= 0, got ${ms}`);
    this.currentMs += ms;
  }

  set(date: Date): void {
    this.currentMs = date.getTime();
  }
}
