import { type AuditEntry, entityStream, type History, SIS_CHANGE_RECORDED, type SisChangeEntry, type SisChangeRecorded, sisChangeEntry } from '@provsync/domain';
import type { EventStore, RecordedEvent } from '@provsync/event-store';
import { catchUpActive, type CatchUpOptions, type Generation, type ReadModelStorage } from '@provsync/read-models';
import { AuditIndexModel, C, type EventEntries, type ObjectRow, personTerm, sisTerm } from './audit-index.model.js';
import { civicNoKey } from './civic-no-key.js';

/** The audit index as `provsync history` reads it: brought up to the store's end, then asked. */
export class AuditIndex {
  private generation?: Generation;

  constructor(
    private readonly store: EventStore,
    private readonly storage: ReadModelStorage,
  ) {}

  /** Applies what was recorded since the index's position (nothing at all when it is up to date). */
  async catchUp(options: CatchUpOptions = {}): Promise<void> {
    this.generation = await catchUpActive(this.store, this.storage, new AuditIndexModel(this.store), options);
  }

  async personByCivicNo(civicNo: string): Promise<string | undefined> {
    return (await this.storage.get(await this.active(), C.civic, civicNoKey(civicNo))) as string | undefined;
  }

  /** The latest version of a SIS object (null: deleted; undefined: never seen); a person's from its own stream. */
  async object(sisId: string): Promise<ObjectRow | undefined> {
    const row = (await this.storage.get(await this.active(), C.objects, sisId)) as ObjectRow | undefined;
    if (row) return row;
    const applied = (await this.personStream(sisId)).filter((e) => e.type === SIS_CHANGE_RECORDED).at(-1);
    return applied && { entity: 'person', data: (applied.data as SisChangeRecorded['data']).change.data };
  }

  /**
   * Every entry about a SIS object, oldest first (in the order the store recorded what they come from); for a
   * person also what concerned them through their duties, groups and activities. `since`: entries at or after it.
   */
  async history(sisId: string, since?: Date): Promise<History> {
    const generation = await this.active();
    const object = await this.object(sisId);
    const isPerson = object?.entity === 'person';
    const terms = isPerson ? [sisTerm(sisId), personTerm(sisId)] : [sisTerm(sisId)];
    const rows = new Map<string, EventEntries>();
    for (const term of terms) for (const row of await this.storage.findByTerm(generation, C.entries, term)) rows.set(row.key, eventEntries(row.value, term));
    const personEntry = isPerson ? personEntries(await this.personStream(sisId)) : undefined;
    // An event's row holds every entry it made: only those found by one of these terms are about this subject.
    const entries = [...rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([key, made]) =>
        made
          .filter(([, found]) => found.some((t) => terms.includes(t)))
          .flatMap(([entry]): AuditEntry[] => {
            // A person's own change: made from their stream (rows of the earlier shape held the entry itself).
            if (entry.kind === 'person-change' || (entry.kind === 'sis-change' && entry.entity === 'person')) {
              const made = personEntry?.(BigInt(key.slice(0, 20)));
              return made ? [made] : [];
            }
            return [entry];
          }),
      )
      .filter((entry) => !since || Date.parse(entry.at) >= since.getTime());
    return { sisId, ...(object ? { entity: object.entity } : {}), entries };
  }

  private personStream(sisId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(entityStream('person', sisId));
  }

  private async active(): Promise<Generation> {
    return (this.generation ??= await this.storage.activeGeneration(new AuditIndexModel(this.store).name));
  }
}

/**
 * The entry of each of a person's changes, by its store position: its field names against the version applied
 * before it (for an older change: against the one applied when it came), as the index makes them for other entities.
 */
function personEntries(stream: readonly RecordedEvent[]): (position: bigint) => SisChangeEntry | undefined {
  const byPosition = new Map<bigint, SisChangeEntry>();
  let applied: Record<string, unknown> | null = null;
  for (const event of stream) {
    const { change, receipt } = event.data as SisChangeRecorded['data'];
    const outcome = event.type === SIS_CHANGE_RECORDED ? 'applied' : 'older';
    byPosition.set(event.position, sisChangeEntry(outcome, change, receipt, event.recordedAt, applied));
    if (outcome === 'applied') applied = change.data;
  }
  return (position) => byPosition.get(position);
}

/** A row as written now, or one entry alone as the index kept it before one row per event (until `provsync replay`). */
function eventEntries(value: unknown, term: string): EventEntries {
  return Array.isArray(value) ? (value as EventEntries) : [[value as AuditEntry, [term]]];
}
