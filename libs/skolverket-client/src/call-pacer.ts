import { setTimeout as sleep } from 'node:timers/promises';

export interface PacerClock {
  /** Milliseconds since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<unknown>;
}

const REAL_CLOCK: PacerClock = { now: Date.now, sleep: (ms) => sleep(ms) };

/**
 * Spaces call starts evenly, one every `1000 / callsPerSecond` ms (plus a small margin for network jitter),
 * across everything that shares the pacer. Spacing rather than bursting keeps any one-second window,
 * sliding or fixed, at or under the limit. A 429 pauses the pacer until Skolverket's quota resets.
 */
export class CallPacer {
  private readonly intervalMs: number;
  private nextSlotMs = 0;
  private pausedUntilMs = 0;

  constructor(
    callsPerSecond: number,
    private readonly clock: PacerClock = REAL_CLOCK,
    marginMs = 5,
  ) {
    if (!(callsPerSecond > 0)) throw new RangeError(`callsPerSecond must be positive, got ${callsPerSecond}`);
    this.intervalMs = 1000 / callsPerSecond + marginMs;
  }

  /** Books the next free slot and returns how long the caller must wait for it. */
  reserve(): number {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + this.intervalMs;
    return slot - now;
  }

  /** Waits for the next free slot; a caller whose slot fell inside a pause begun meanwhile books a new one. */
  async acquire(): Promise<void> {
    for (;;) {
      const waitMs = this.reserve();
      if (waitMs > 0) await this.clock.sleep(waitMs);
      if (this.clock.now() >= this.pausedUntilMs) return;
    }
  }

  /** No call starts before `untilMs` (epoch ms). */
  pauseUntil(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
    this.nextSlotMs = Math.max(this.nextSlotMs, untilMs);
  }
}
