import { HOLD_DECISIONS_STREAM, type HoldApproved, type HoldRejected } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';

/** How often a running sync looks for operators' decisions: a decision is a rare, human-paced event. */
const LOOK_EVERY_MS = 1_000;

/**
 * Operators' hold decisions (`provsync holds approve|reject`) recorded while a sync runs, for its decider. Each
 * decision is read once; one the sync's state already holds (read at its start) changes nothing again.
 */
export class HoldDecisions {
  private next = 0;
  private lookedAt = -Infinity;

  constructor(private readonly store: EventStore) {}

  async take(nowMs: number): Promise<Array<HoldApproved | HoldRejected>> {
    if (nowMs - this.lookedAt < LOOK_EVERY_MS) return [];
    this.lookedAt = nowMs;
    const events = await this.store.readStream(HOLD_DECISIONS_STREAM, this.next);
    if (events.length) this.next = events.at(-1)!.revision + 1;
    return events.map((e) => ({ type: e.type, data: e.data }) as HoldApproved | HoldRejected);
  }
}
