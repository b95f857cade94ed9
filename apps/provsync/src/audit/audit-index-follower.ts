import type { EventStore } from '@provsync/event-store';
import { catchUpActive, type ReadModelStorage } from '@provsync/read-models';
import { AuditIndexModel } from './audit-index.model.js';

/** How often `serve` looks for new events to project, and how many it projects before letting other work in. */
export const FOLLOW_INTERVAL_MS = 500;
const PAGE = 500;

export interface FollowerLog {
  log(message: string): void;
  error(message: string): void;
}

/**
 * Keeps the audit index at the store's end while `serve` runs, so `history` finds it current and only has the last
 * moments to apply. It runs on a timer, a page of events at a time with a turn of the event loop between pages, so
 * HTTP answers and the sync loop are never held behind a flood of SIS changes (Kafka's are recorded on the
 * recorder thread in any case). Another instance projecting the same generation is harmless: each commit checks
 * the position, and the loser reads it again.
 */
export class AuditIndexFollower {
  private readonly model: AuditIndexModel;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly store: EventStore,
    private readonly storage: ReadModelStorage,
    private readonly log: FollowerLog,
    private readonly intervalMs = FOLLOW_INTERVAL_MS,
  ) {
    this.model = new AuditIndexModel(store);
  }

  start(): void {
    this.schedule(0);
  }

  /** Waits for the page under way, then stops; the storage is the caller's to close. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.step().then((more) => this.schedule(more ? 0 : this.intervalMs));
    }, ms);
  }

  /** One page; true when there may be more right away. */
  private async step(): Promise<boolean> {
    try {
      let applied = 0;
      await catchUpActive(this.store, this.storage, this.model, { pageSize: PAGE, maxPages: 1, onPage: (p) => (applied = p.applied) });
      if (this.failing) this.log.log('audit index: projecting again');
      this.failing = false;
      return applied === PAGE;
    } catch (error) {
      // Logged once per failing spell; the index is behind, not wrong, and `history` catches up itself.
      if (!this.failing) this.log.error(`audit index: projection failed, retrying every ${this.intervalMs} ms: ${(error as Error).message}`);
      this.failing = true;
      return false;
    }
  }
}
