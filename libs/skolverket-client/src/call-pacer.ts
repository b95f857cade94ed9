import { setTimeout as sleep } from 'node:timers/promises';

export interface PacerClock {
  /** Milliseconds since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<unknown>;
}

const REAL_CLOCK: PacerClock = { now: Date.now, sleep: (ms) => sleep(ms) };

/**
 * Ends a call's hold on its slot; call it the moment the answer's headers (or the failure) are in. With the
 * answer's `X-RateLimit-Remaining`, the pacer also learns of calls it did not make (another instance using
 * the same certificate) and counts them against the window too.
 */
export type ReleaseSlot = (serverRemaining?: number) => void;

/**
 * Keeps calls within `limit` per `windowMs` as the server counts them, whatever the latency: a call holds its
 * slot while in flight and for `windowMs` after its answer arrived. The server received it before answering,
 * so no `windowMs` window at the server can hold more than `limit` calls. This is the tightest rule that is
 * safe knowing only send and answer times: it costs one answer latency per `limit` calls (measured in the
 * benchmark). Callers are served in order. A 429 pauses the pacer until Skolverket's quota resets.
 */
export class CallPacer {
  private inFlight = 0;
  /** Answer times of calls still inside the window, oldest first. */
  private answered: number[] = [];
  private pausedUntilMs = 0;
  private turn: Promise<unknown> = Promise.resolve();
  private releaseWaiters: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
    private readonly clock: PacerClock = REAL_CLOCK,
  ) {
    if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
  }

  /** Milliseconds until a call may start now; Infinity while every slot is held by a call in flight. */
  waitMs(): number {
    const now = this.clock.now();
    this.forgetOlderThanWindow(now);
    if (now < this.pausedUntilMs) return this.pausedUntilMs - now;
    if (this.inFlight + this.answered.length < this.limit) return 0;
    if (this.answered.length === 0) return Infinity;
    return this.answered[0]! + this.windowMs - now;
  }

  /** Waits for a free slot (after everyone who asked earlier) and takes it. */
  async acquire(): Promise<ReleaseSlot> {
    const mine = this.turn.then(() => this.takeSlot());
    this.turn = mine.catch(() => undefined);
    await mine;
    let released = false;
    return (serverRemaining?: number) => {
      if (released) return;
      released = true;
      this.inFlight--;
      const now = this.clock.now();
      this.forgetOlderThanWindow(now);
      this.answered.push(now);
      if (serverRemaining !== undefined && Number.isFinite(serverRemaining)) {
        // Skolverket counts more of our certificate's calls in its window than this pacer holds: someone else
        // uses the quota. Hold that many slots for a window from now, so the next calls do not meet 429s.
        const unknown = this.limit - serverRemaining - (this.answered.length + this.inFlight);
        for (let i = 0; i < unknown; i++) this.answered.push(now);
      }
      for (const wake of this.releaseWaiters.splice(0)) wake();
    };
  }

  /** No call starts before `untilMs` (epoch ms). */
  pauseUntil(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
  }

  private forgetOlderThanWindow(now: number): void {
    while (this.answered.length > 0 && this.answered[0]! + this.windowMs <= now) this.answered.shift();
  }

  private async takeSlot(): Promise<void> {
    for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) {
      if (wait === Infinity) await new Promise<void>((resolve) => this.releaseWaiters.push(resolve));
      else await this.clock.sleep(wait);
    }
    this.inFlight++;
  }
}
