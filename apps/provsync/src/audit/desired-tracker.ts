import {
  type DesiredEntry,
  desiredEntry,
  DesiredStateProjection,
  type ReferenceData,
  SIS_CHANGE_RECORDED,
  type SisChange,
  type SisChangeRecorded,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import type { ObjectType } from '@provsync/skolverket-api';
import { stockholmDate } from '../clock.js';
import { REFERENCE_READ_TYPE } from './audit-event-types.js';

/** The last desired body the audit saw of one Skolverket object, and the SIS object it is made from. */
export interface DesiredRow {
  sisId: string;
  body: unknown;
}

/** The model's rows the tracker reads and writes (through the page's overlay). */
export interface DesiredRows {
  get(key: string): Promise<DesiredRow | undefined>;
  put(key: string, row: DesiredRow | undefined): void;
  /** The SIS activity a Skolverket activity is made from (one SIS activity with several groups makes several). */
  activitySisId(id: string): Promise<string | undefined>;
}

const PAGE = 1_000;

/**
 * What each SIS change did to the desired state: runs the desired-state projection change by change beside the
 * audit index and compares each touched Skolverket object with the body last recorded for it (kept in the model's
 * rows, not in memory). The projection needs Skolverket's reference data, so nothing is tracked before the first
 * `ReferenceDataRead`. "Today" is the Stockholm date of each event's recording, never the clock: a replay gives
 * the same entries.
 *
 * Memory: the projection itself (as `sync` holds it); it lives only while a projector runs, and after a restart it
 * is rebuilt from the store up to the model's position the first time a page needs it.
 */
export class DesiredTracker {
  private projection?: DesiredStateProjection;
  private upTo = -1n;
  private lastHour = { hour: '', day: '' };

  constructor(private readonly store: EventStore) {}

  /**
   * Brings the projection to the state after `position`, rebuilding it from the store when it is elsewhere. Its
   * "today" is then the day of the last event that moved it (a SIS change or reference data), as it was when that
   * event was applied: days passing since are noticed, as always, at the next such event.
   */
  async ensureAt(position: bigint): Promise<void> {
    if (this.upTo === position) return;
    this.projection = undefined;
    const references = await readUpTo(this.store, [REFERENCE_READ_TYPE], position);
    const reference = references.at(-1);
    if (reference) {
      const projection = new DesiredStateProjection((reference.data as { reference: ReferenceData }).reference, stockholmDate(new Date(reference.recordedAt)));
      let last = reference;
      // A page at a time, as the desired-state host does: the events of a long history never sit in memory together.
      for (let after = 0n; after < position; ) {
        const page = (await this.store.readAll({ after, limit: PAGE, types: [SIS_CHANGE_RECORDED] })).filter((e) => e.position <= position);
        projection.applyAll(page.map((e) => (e.data as SisChangeRecorded['data']).change));
        if (page.length && page[page.length - 1]!.position > last.position) last = page[page.length - 1]!;
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.position;
      }
      projection.setToday(stockholmDate(new Date(last.recordedAt)));
      this.projection = projection;
    }
    this.upTo = position;
  }

  /** Events up to `to` that do not move the projection were applied: still in step, if it was at `from`. */
  passed(from: bigint, to: bigint): void {
    if (this.upTo === from) this.upTo = to;
  }

  /** The day moves on with the events: objects whose dates passed flip. */
  async moveTo(position: bigint, recordedAt: string, rows: DesiredRows): Promise<DesiredEntry[]> {
    const changed = this.projection?.setToday(this.dayOf(recordedAt)) ?? new Set<string>();
    return this.settle(changed, position, recordedAt, rows);
  }

  async applyChange(change: SisChange, position: bigint, recordedAt: string, rows: DesiredRows): Promise<DesiredEntry[]> {
    return this.settle(this.projection?.apply(change) ?? new Set(), position, recordedAt, rows);
  }

  async applyReference(reference: ReferenceData, position: bigint, recordedAt: string, rows: DesiredRows): Promise<DesiredEntry[]> {
    if (this.projection) return this.settle(this.projection.setReference(reference), position, recordedAt, rows);
    // The first reference data: everything received so far becomes decidable at once.
    this.upTo = -1n;
    await this.ensureAt(position);
    const changed = new Set<string>();
    for (const type of ['person', 'duty', 'group', 'activity'] as const) for (const o of this.projection!.values(type)) changed.add(`${type}:${o.id}`);
    return this.settle(changed, position, recordedAt, rows);
  }

  /** The Stockholm date of a recording time, worked out once per UTC hour of them (Stockholm's offset is whole hours). */
  private dayOf(recordedAt: string): string {
    if (!recordedAt.endsWith('Z')) return stockholmDate(new Date(recordedAt));
    const hour = recordedAt.slice(0, 13);
    if (hour !== this.lastHour.hour) this.lastHour = { hour, day: stockholmDate(new Date(recordedAt)) };
    return this.lastHour.day;
  }

  /** Notes that every event up to `position` has been applied. */
  applied(position: bigint): void {
    this.upTo = position;
  }

  /** After a failed page: the projection may be half-way through it, so it is rebuilt when next needed. */
  invalidate(): void {
    this.upTo = -1n;
    this.projection = undefined;
  }

  private async settle(changed: Set<string>, _position: bigint, at: string, rows: DesiredRows): Promise<DesiredEntry[]> {
    const entries: DesiredEntry[] = [];
    for (const key of [...changed].sort()) {
      const split = key.indexOf(':');
      const type = key.slice(0, split) as ObjectType;
      const id = key.slice(split + 1);
      const before = await rows.get(key);
      const now = this.projection?.get(type, id);
      const body = now?.body;
      const sisId = before?.sisId ?? (type === 'activity' ? ((await rows.activitySisId(id)) ?? id) : id);
      const reasons = body === undefined ? this.projection!.explain(sisId).reasons : [];
      const entry = desiredEntry(sisId, { type, id }, { body: before?.body }, { body }, reasons, at);
      if (entry) entries.push(entry);
      rows.put(key, body === undefined ? undefined : { sisId, body });
    }
    return entries;
  }
}

async function readUpTo(store: EventStore, types: readonly string[], position: bigint) {
  const events = [];
  for (let after = 0n; after < position; ) {
    const page = await store.readAll({ after, limit: PAGE, types });
    events.push(...page.filter((e) => e.position <= position));
    if (page.length < PAGE || page[page.length - 1]!.position >= position) break;
    after = page[page.length - 1]!.position;
  }
  return events;
}
