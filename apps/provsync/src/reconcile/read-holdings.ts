import { type HeldObject, heldObject, type SkolverketHoldingsRead, unreadObject } from '@provsync/domain';
import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import type { SkolverketClient } from '@provsync/skolverket-client';

/** The read calls a reconcile makes (all on Skolverket's read budget, 10/s, apart from the writes' 5/s). */
export type HoldingsCalls = Pick<SkolverketClient, 'listPages' | 'lookup'>;

/** Ids per `POST /persons/lookup`: about 40 KB of request, far below Skolverket's 200 KB. */
const LOOKUP_IDS = 1000;
/** Person lookups under way at once beside the lists. */
const LOOKUPS_AT_ONCE = 2;

export interface ReadProgress {
  objectType: ObjectType;
  /** Read calls made and objects seen so far, over all types. */
  calls: number;
  objects: number;
}

export interface ReadHoldingsOptions {
  runId: string;
  /** Whether provsync wants this object at Skolverket: a person it wants is looked up in full to compare. */
  wanted: (type: ObjectType, id: string) => boolean;
  now: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
}

/**
 * Reads everything Skolverket holds for the organiser through the list endpoints (pages of 100, `pageToken`
 * until null), one event per read call, handed to `onRead` as each answer comes. The four types are read side by
 * side (each type's pages follow one another), so the calls keep the client's read pacer at its 10/s rather
 * than waiting out each answer's round trip. The person list shows only some attributes: persons provsync wants
 * are read in full with `POST /persons/lookup`, a thousand at a time; the others are deleted whatever they
 * hold, so their content is not read. The first failure stops the other readers.
 */
export async function readHoldings(calls: HoldingsCalls, options: ReadHoldingsOptions, onRead: (event: SkolverketHoldingsRead) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const progress: ReadProgress = { objectType: 'person', calls: 0, objects: 0 };
  const read = (objectType: ObjectType, held: HeldObject[]) => {
    progress.calls++;
    progress.objects += held.length;
    options.onProgress?.({ ...progress, objectType });
    return onRead({ type: 'SkolverketHoldingsRead', data: { runId: options.runId, objectType, held, at: options.now().toISOString() } });
  };
  const lookups = new Set<Promise<void>>();
  const lookUp = async (ids: string[]) => {
    while (lookups.size >= LOOKUPS_AT_ONCE) await Promise.race(lookups);
    const running = calls
      .lookup('person', ids, { signal })
      .then((persons) => read('person', (persons as unknown as Array<Record<string, unknown>>).map((person) => heldObject('person', person))))
      .finally(() => lookups.delete(running));
    lookups.add(running);
    // Seen at once, not only when the person list ends: the other readers stop.
    running.catch((error: unknown) => stop.abort(error));
  };
  const readType = async (type: ObjectType) => {
    const toLookUp: string[] = [];
    for await (const page of calls.listPages(type, { signal })) {
      const shown = page as unknown as Array<Record<string, unknown>>;
      if (type !== 'person') {
        await read(type, shown.map((object) => heldObject(type, object)));
        continue;
      }
      const ids = shown.map((p) => String(p.id));
      await read(type, ids.filter((id) => !options.wanted(type, id)).map(unreadObject));
      toLookUp.push(...ids.filter((id) => options.wanted(type, id)));
      while (toLookUp.length >= LOOKUP_IDS) await lookUp(toLookUp.splice(0, LOOKUP_IDS));
    }
    while (toLookUp.length) await lookUp(toLookUp.splice(0, LOOKUP_IDS));
    while (lookups.size) await Promise.all(lookups);
  };
  try {
    await Promise.all(OBJECT_TYPES.map((type) => readType(type).catch((error: unknown) => {
      stop.abort(error);
      throw error;
    })));
  } finally {
    await Promise.allSettled(lookups);
  }
}
