import {
  type DesiredItem,
  DesiredStateProjection,
  type ReferenceData,
  SIS_CHANGE_RECORDED,
  type SisChangeRecorded,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { stockholmDate } from '../clock.js';
import { DesiredView } from './desired-view.js';

/**
 * Changes read and applied at a time. Small enough that a page's parsed events and the objects the rules
 * make for it die in the young generation: 5,000 at a time were promoted and left hundreds of MB of old
 * garbage after a full rebuild, which the heap then grew around (peak RSS).
 */
const PAGE = 1_000;

/**
 * Keeps the desired-state projection up to date with the event store: applies every recorded SIS change
 * after its checkpoint, in store order, and moves the projection's "today" as the calendar turns.
 */
export class DesiredStateHost {
  private readonly projection: DesiredStateProjection;
  private checkpoint = 0n;
  /** Every desired object keyed `type:id`, read through to the projection; made when first asked for. */
  private live?: DesiredView;
  private readonly changedSinceTaken = new Set<string>();

  constructor(
    private readonly store: EventStore,
    reference: ReferenceData,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.projection = new DesiredStateProjection(reference, stockholmDate(this.now()));
  }

  get current(): DesiredStateProjection {
    return this.projection;
  }

  /** Applies what was recorded since the last call; returns how many changes it applied. */
  async catchUp(): Promise<number> {
    this.noteChanged(this.projection.setToday(stockholmDate(this.now())));
    let applied = 0;
    for (;;) {
      const page = await this.store.readAll({ after: this.checkpoint, limit: PAGE, types: [SIS_CHANGE_RECORDED] });
      // A page at a time: a group filling up member by member is evaluated once, not once per member.
      this.noteChanged(this.projection.applyAll(page.map((event) => (event.data as SisChangeRecorded['data']).change)));
      if (page.length) this.checkpoint = page[page.length - 1].position;
      applied += page.length;
      if (page.length < PAGE) return applied;
      // A full rebuild is CPU for seconds: let I/O waiting meanwhile (the client's token, answers) go on.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  setReference(reference: ReferenceData): void {
    this.noteChanged(this.projection.setReference(reference));
  }

  /** Keys (`type:id`) of desired objects added, changed or removed since the last call. */
  takeChanged(): Set<string> {
    const keys = new Set(this.changedSinceTaken);
    this.changedSinceTaken.clear();
    return keys;
  }

  /** The desired objects as one live map (a view of the projection); changes are noted from the first call on. */
  liveDesired(): ReadonlyMap<string, DesiredItem> {
    if (!this.live) {
      this.live = new DesiredView(this.projection);
      this.changedSinceTaken.clear();
    }
    return this.live;
  }

  private noteChanged(keys: Set<string>): void {
    if (!this.live) return;
    for (const key of keys) this.changedSinceTaken.add(key);
  }
}
