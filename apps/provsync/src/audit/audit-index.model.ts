import {
  type AuditEntry,
  type BatchRecord,
  type DesiredEntry,
  membersOf,
  OUT_OF_ORDER_SIS_CHANGE_RECORDED,
  type OutOfOrderSisChangeRecorded,
  PERSONAL_DATA_ACCESSED,
  type PersonalDataAccessed,
  personsConcerned,
  type ReferenceData,
  SIS_CHANGE_RECORDED,
  type SisChange,
  type SisChangeRecorded,
  sisChangeEntry,
  syncEventEntries,
  type SyncEvent,
  type SisActivity,
  skolverketActivityIds,
} from '@provsync/domain';
import type { EventStore, RecordedEvent } from '@provsync/event-store';
import type { ObjectType } from '@provsync/skolverket-api';
import type { ReadModel, RowChange, RowReader } from '@provsync/read-models';
import { AUDIT_EVENT_TYPES, REFERENCE_READ_TYPE } from './audit-event-types.js';
import { civicNoKey } from './civic-no-key.js';
import { type DesiredRow, DesiredTracker } from './desired-tracker.js';

export const AUDIT_MODEL = 'audit';

/**
 * The model's collections. Entries are kept one row per event (keyed by its store position, so a page applied twice
 * writes the same rows): one row and a few lookup terms per event is most of what a replay writes.
 */
export const C = {
  entries: 'entries',
  /** SIS id → its latest version, what the next change is compared with (not persons: their own stream is read). */
  objects: 'objects',
  /** civicNoKey(personnummer) → person SIS id. */
  civic: 'civic',
  batches: 'batches',
  /** `type:id` of a Skolverket object → the body last desired and its SIS id. */
  desired: 'desired',
  /** Skolverket activity id → the SIS activity it is made from. */
  activityIds: 'activity-ids',
} as const;

export interface ObjectRow {
  entity: SisChange['entity'];
  data: Record<string, unknown> | null;
}

export const eventKey = (position: bigint): string => position.toString().padStart(20, '0');
/** The row of one event: each entry it made with the terms that entry is found by (the row carries all of them). */
export type EventEntries = [entry: AuditEntry | PersonChangeMark, terms: string[]][];
export const sisTerm = (id: string): string => `sis:${id}`;
export const personTerm = (id: string): string => `person:${id}`;

/**
 * The audit index: per SIS entity and per person, every SIS change, what it did to the desired state, what was sent
 * to Skolverket and what it answered, and every access to the person's data. Rows are written a page at a time,
 * with the position, by the read-model projector (libs/read-models).
 */
export class AuditIndexModel implements ReadModel {
  readonly name = AUDIT_MODEL;
  readonly eventTypes = AUDIT_EVENT_TYPES;
  private readonly desired: DesiredTracker;

  constructor(store: EventStore) {
    this.desired = new DesiredTracker(store);
  }

  async project(page: readonly RecordedEvent[], rows: RowReader, from: bigint): Promise<RowChange[]> {
    try {
      return await this.projectPage(page, rows, from);
    } catch (error) {
      this.desired.invalidate();
      throw error;
    }
  }

  private async projectPage(page: readonly RecordedEvent[], rows: RowReader, from: bigint): Promise<RowChange[]> {
    const page_ = new PageWriter(rows);
    // The projection is needed (and rebuilt, after a restart) only for pages that move it: a page of sync events or
    // accesses, such as `history`'s own access record, costs no rebuild.
    const movesDesired = page.some((e) => e.type === SIS_CHANGE_RECORDED || e.type === REFERENCE_READ_TYPE);
    if (!movesDesired) this.desired.passed(from, page[page.length - 1]!.position);
    else await this.desired.ensureAt(from);
    for (const event of page) {
      const made: EventEntries = [];
      const add = (entry: AuditEntry | PersonChangeMark, persons: readonly string[]) => made.push([entry, termsOf(entry, persons)]);
      const desiredRows = page_.desiredRows();
      const addDesired = async (entries: DesiredEntry[]) => {
        for (const entry of entries) add(entry, await this.personsOfObject(entry.sisId, entry.object.type, page_));
      };
      if (event.type === SIS_CHANGE_RECORDED || event.type === REFERENCE_READ_TYPE) {
        await addDesired(await this.desired.moveTo(event.position, event.recordedAt, desiredRows));
      }
      switch (event.type) {
        case SIS_CHANGE_RECORDED: {
          const { change, receipt } = event.data as SisChangeRecorded['data'];
          if (change.entity === 'person') add(personChange(change.subject), [change.subject]);
          else {
            const previous = (await page_.get<ObjectRow>(C.objects, change.subject))?.data ?? null;
            add(sisChangeEntry('applied', change, receipt, event.recordedAt, previous), await this.concerned(change, previous, page_));
            page_.put(C.objects, change.subject, { entity: change.entity, data: change.data } satisfies ObjectRow);
          }
          this.indexIds(change, page_);
          await addDesired(await this.desired.applyChange(change, event.position, event.recordedAt, desiredRows));
          break;
        }
        case OUT_OF_ORDER_SIS_CHANGE_RECORDED: {
          const { change, receipt } = event.data as OutOfOrderSisChangeRecorded['data'];
          if (change.entity === 'person') add(personChange(change.subject), [change.subject]);
          else {
            const applied = (await page_.get<ObjectRow>(C.objects, change.subject))?.data ?? null;
            add(sisChangeEntry('older', change, receipt, event.recordedAt, applied), await this.concerned(change, applied, page_));
          }
          break;
        }
        case REFERENCE_READ_TYPE: {
          const { reference } = event.data as { reference: ReferenceData };
          await addDesired(await this.desired.applyReference(reference, event.position, event.recordedAt, desiredRows));
          break;
        }
        case PERSONAL_DATA_ACCESSED: {
          const { who, command, about, protectedShown, at } = event.data as PersonalDataAccessed['data'];
          for (const sisId of about) add({ kind: 'access', at, sisId, who, command, protectedShown }, [sisId]);
          break;
        }
        default: {
          await this.syncEvent(event.data === undefined ? undefined : ({ type: event.type, data: event.data } as SyncEvent), page_, add);
        }
      }
      if (movesDesired) this.desired.applied(event.position);
      if (made.length) page_.put(C.entries, eventKey(event.position), made, [...new Set(made.flatMap(([, terms]) => terms))]);
    }
    return page_.changes();
  }

  private async syncEvent(event: SyncEvent | undefined, page: PageWriter, add: (entry: AuditEntry, persons: readonly string[]) => void): Promise<void> {
    if (!event) return;
    const batchId = (event.data as { batchId?: string }).batchId;
    let batch = batchId ? await page.get<BatchRecord>(C.batches, batchId) : undefined;
    if (event.type === 'BatchSubmissionStarted') {
      const { objectType, operation, items } = event.data;
      batch = { objectType, operation, ids: items.map((i) => i.id) };
      page.put(C.batches, event.data.batchId, batch);
    } else if (event.type === 'BatchAccepted' && batch) {
      page.put(C.batches, event.data.batchId, { ...batch, jobId: event.data.jobId });
    }
    for (const entry of syncEventEntries(event, batch)) {
      const sisId = entry.object.type === 'activity' ? ((await page.get<string>(C.activityIds, entry.object.id)) ?? entry.object.id) : entry.object.id;
      add({ ...entry, sisId } as AuditEntry, await this.personsOfObject(sisId, entry.object.type, page));
    }
  }

  /** The persons whose history shows something done to this SIS object at Skolverket: a person, a duty's person, a group's members. */
  private async personsOfObject(sisId: string, type: ObjectType, page: PageWriter): Promise<string[]> {
    if (type === 'person') return [sisId];
    const object = await page.get<ObjectRow>(C.objects, sisId);
    if (!object?.data) return [];
    if (object.entity === 'duty') return personsConcerned('duty', sisId, object.data, object.data, noLookup);
    if (object.entity === 'group') return membersOf(object.data);
    return [];
  }

  private async concerned(change: SisChange, before: Record<string, unknown> | null, page: PageWriter): Promise<string[]> {
    const dutyPersons = new Map<string, string | undefined>();
    const groupMembers = new Map<string, string[]>();
    if (change.entity === 'activity') {
      for (const version of [before, change.data]) {
        for (const t of (version?.teachers as { duty?: { id?: string } }[] | undefined) ?? []) {
          const id = t.duty?.id;
          if (id) dutyPersons.set(id, ((await page.get<ObjectRow>(C.objects, id))?.data?.person as { id?: string } | undefined)?.id);
        }
        for (const g of (version?.groups as { id?: string }[] | undefined) ?? []) {
          if (g.id) groupMembers.set(g.id, membersOf((await page.get<ObjectRow>(C.objects, g.id))?.data));
        }
      }
    }
    return personsConcerned(change.entity, change.subject, before, change.data, {
      personOfDuty: (id) => dutyPersons.get(id),
      membersOfGroup: (id) => groupMembers.get(id) ?? [],
    });
  }

  /** The civic-number key of a person, and which SIS activity each Skolverket activity is made from. */
  private indexIds(change: SisChange, page: PageWriter): void {
    const data = change.data;
    if (!data) return;
    if (change.entity === 'person') {
      const civic = (data.civicNo as { value?: unknown } | undefined)?.value;
      if (typeof civic === 'string') page.put(C.civic, civicNoKey(civic), change.subject);
    }
    if (change.entity === 'activity') {
      for (const { id } of skolverketActivityIds(data as unknown as SisActivity)) page.put(C.activityIds, id, change.subject);
    }
  }
}

/**
 * The terms an entry is found by: its SIS object's, and each concerned person's. A person's own entries need only
 * the person term (history of a person reads both).
 */
function termsOf(entry: AuditEntry | PersonChangeMark, persons: readonly string[]): string[] {
  const own = persons.includes(entry.sisId) && entry.kind !== 'access';
  return [...(own ? [] : [sisTerm(entry.sisId)]), ...persons.map(personTerm)];
}

/**
 * Where a person's change goes in the history, without the entry itself: persons are most of the events, so the
 * index keeps neither their versions nor their entries; `history` makes the entry from the person's own stream
 * (AuditIndex.history), field names included, exactly as it is made here for the other entities.
 */
export interface PersonChangeMark {
  kind: 'person-change';
  sisId: string;
}
const personChange = (sisId: string): PersonChangeMark => ({ kind: 'person-change', sisId });

const noLookup = { personOfDuty: () => undefined, membersOfGroup: () => [] };

/** The rows a page writes, read back before they are committed (a later event of the page sees an earlier one's writes). */
class PageWriter {
  private readonly written = new Map<string, RowChange>();

  constructor(private readonly rows: RowReader) {}

  async get<T>(collection: string, key: string): Promise<T | undefined> {
    const own = this.written.get(`${collection}\u0000${key}`);
    if (own) return own.value as T | undefined;
    return (await this.rows.get(collection, key)) as T | undefined;
  }

  put(collection: string, key: string, value: unknown, terms?: readonly string[]): void {
    const id = `${collection}\u0000${key}`;
    this.written.delete(id); // keeps the order of last writes
    this.written.set(id, { collection, key, value, ...(terms ? { terms } : {}) });
  }

  desiredRows() {
    return {
      get: (key: string) => this.get<DesiredRow>(C.desired, key),
      put: (key: string, row: DesiredRow | undefined) => this.put(C.desired, key, row),
      activitySisId: (id: string) => this.get<string>(C.activityIds, id),
    };
  }

  changes(): RowChange[] {
    return [...this.written.values()];
  }
}
