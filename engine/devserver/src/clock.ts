// The server's two clocks. Both expose the same timer API; the skipping clock additionally jumps
// over idle periods when the server says nothing is runnable and a client is waiting.

/** Node's setTimeout overflows above 2^31-1 ms (~24.8 days) and fires at once: re-arm in steps. */
const MAX_NODE_DELAY = 2 ** 31 - 1;

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Runs `fire` at (virtual) time `atMs`. */
  schedule(atMs: number, fire: () => void): TimerHandle;
  close(): void;
}

/** Wall-clock time (for `npm start` and production-like runs). */
export class RealClock implements Clock {
  private readonly handles = new Set<NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  schedule(atMs: number, fire: () => void): TimerHandle {
    let handle: NodeJS.Timeout;
    let cancelled = false;
    const arm = () => {
      const delay = Math.min(Math.max(atMs - Date.now(), 0), MAX_NODE_DELAY);
      handle = setTimeout(() => {
        this.handles.delete(handle);
        if (cancelled) return;
        if (Date.now() < atMs) arm();
        else fire();
      }, delay);
      this.handles.add(handle);
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        clearTimeout(handle);
        this.handles.delete(handle);
      },
    };
  }

  close(): void {
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
  }
}

interface PendingTimer {
  atMs: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
  realHandle?: TimerHandle;
}

/**
 * Time-skipping clock (the role of Temporal's test server). Virtual time runs at wall-clock pace
 * plus an offset; when `canSkip()` holds (nothing runnable and a client waiting), it jumps to the
 * next pending timer. Every pending timer also has a real timer, so time still flows normally
 * while skipping is not allowed.
 */
export class SkippingClock implements Clock {
  private offset = 0;
  private seq = 0;
  private readonly timers: PendingTimer[] = [];
  private readonly real = new RealClock();
  private skipScheduled = false;
  private closed = false;

  constructor(
    private readonly canSkip: () => boolean,
    startMs = Date.now(),
  ) {
    this.offset = startMs - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }

  schedule(atMs: number, fire: () => void): TimerHandle {
    const timer: PendingTimer = { atMs, seq: this.seq++, fire, cancelled: false };
    this.insert(timer);
    timer.realHandle = this.real.schedule(atMs - this.offset, () => this.fireDue());
    this.maybeSkip();
    return {
      cancel: () => {
        timer.cancelled = true;
        timer.realHandle?.cancel();
        this.remove(timer);
      },
    };
  }

  /** Advances virtual time by `ms` at once (used by sleep on a time-skipping server). */
  advance(ms: number): void {
    this.offset += ms;
    this.fireDue();
  }

  /** Call whenever the conditions behind `canSkip()` may have changed. */
  maybeSkip(): void {
    if (this.skipScheduled || this.closed) return;
    this.skipScheduled = true;
    // Let the current call stack finish (it may make work runnable) before judging idleness.
    setImmediate(() => {
      this.skipScheduled = false;
      if (this.closed) return;
      const next = this.timers[0];
      if (!next || !this.canSkip()) return;
      const now = this.now();
      if (next.atMs > now) this.offset += next.atMs - now;
      this.fireDue();
    });
  }

  nextTimerAt(): number | undefined {
    return this.timers[0]?.atMs;
  }

  close(): void {
    this.closed = true;
    this.real.close();
    this.timers.length = 0;
  }

  private fireDue(): void {
    const now = this.now();
    while (this.timers.length > 0 && this.timers[0].atMs <= now) {
      const timer = this.timers.shift()!;
      timer.realHandle?.cancel();
      if (!timer.cancelled) timer.fire();
    }
    this.maybeSkip();
  }

  private insert(timer: PendingTimer): void {
    // Binary search on (atMs, seq): timers due at the same instant fire in creation order.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.timers[mid];
      if (t.atMs < timer.atMs || (t.atMs === timer.atMs && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
  }

  private remove(timer: PendingTimer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }
}
