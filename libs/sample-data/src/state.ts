import { entityOf, type AnySisEvent } from './sis-event.js';
import type { SampleEntity, SampleObjectByEntity } from './sis-objects.js';

export type StoredObject = { [E in SampleEntity]: { entity: E; data: SampleObjectByEntity[E] } }[SampleEntity];

/** A municipality as the SIS holds it now: the latest object per id, and where its counters stand. */
export interface MunicipalityState {
  readonly seed: number;
  readonly source: string;
  /** The last sequence number used; the next event gets sequence + 1. */
  readonly sequence: number;
  /** Time (ms since epoch) of the last event, so later changes never go back in time. */
  readonly lastTime: number;
  readonly objects: ReadonlyMap<string, StoredObject>;
}

export function emptyState(seed: number, source: string): MunicipalityState {
  return { seed, source, sequence: 0, lastTime: 0, objects: new Map() };
}

/** A new state with the events applied (event-carried state: each upsert replaces the object). */
export function withEvents(state: MunicipalityState, events: Iterable<AnySisEvent>): MunicipalityState {
  const objects = new Map(state.objects);
  let { sequence, lastTime } = state;
  for (const event of events) {
    objects.set(event.subject, { entity: entityOf(event), data: event.data } as StoredObject);
    sequence = Math.max(sequence, Number(event.sequence));
    lastTime = Math.max(lastTime, Date.parse(event.time));
  }
  return { ...state, sequence, lastTime, objects };
}

export function objectOf<E extends SampleEntity>(
  state: MunicipalityState,
  entity: E,
  id: string,
): SampleObjectByEntity[E] {
  const stored = state.objects.get(id);
  if (!stored || stored.entity !== entity) throw new RangeError(`no ${entity} with id ${id} in this municipality`);
  return stored.data as SampleObjectByEntity[E];
}

export function objectsOf<E extends SampleEntity>(state: MunicipalityState, entity: E): SampleObjectByEntity[E][] {
  const list: SampleObjectByEntity[E][] = [];
  for (const stored of state.objects.values()) {
    if (stored.entity === entity) list.push(stored.data as SampleObjectByEntity[E]);
  }
  return list;
}
