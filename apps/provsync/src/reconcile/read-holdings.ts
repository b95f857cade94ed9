import { type HeldObject, heldObject, type SkolverketHoldingsRead, unreadObject } from '@provsync/domain';
import { OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import type { SkolverketClient } from '@provsync/skolverket-client';

/** The read calls a reconcile makes (all on Skolverket's read budget, 10/s, apart from the writes' 5/s). */
export type HoldingsCalls = Pick<SkolverketClient, 'listPages' | 'lookup'>;

/** Ids per `POST /persons/lookup`: about 40 KB of request, far below Skolverket's 200 KB. */
const LOOKUP_IDS = 1000;

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
 * Reads everything Skolverket holds for the organiser, type by type through the list endpoints (pages of 100,
 * `pageToken` until null), one event per read call. The person list shows only some attributes: persons
 * provsync wants are read in full with `POST /persons/lookup`, a thousand at a time; the others are deleted
 * whatever they hold, so their content is not read.
 */
export async function* readHoldings(calls: HoldingsCalls, options: ReadHoldingsOptions): AsyncGenerator<SkolverketHoldingsRead> {
  const { runId, signal } = options;
  const progress: ReadProgress = { objectType: 'person', calls: 0, objects: 0 };
  const read = (objectType: ObjectType, held: HeldObject[]): SkolverketHoldingsRead => {
    progress.calls++;
    progress.objects += held.length;
    options.onProgress?.({ ...progress, objectType });
    return { type: 'SkolverketHoldingsRead', data: { runId, objectType, held, at: options.now().toISOString() } };
  };
  for (const type of OBJECT_TYPES) {
    progress.objectType = type;
    const toLookUp: string[] = [];
    for await (const page of calls.listPages(type, { signal })) {
      const shown = page as unknown as Array<Record<string, unknown>>;
      if (type !== 'person') {
        yield read(type, shown.map((object) => heldObject(type, object)));
        continue;
      }
      const unwanted = shown.map((p) => String(p.id)).filter((id) => !options.wanted(type, id));
      toLookUp.push(...shown.map((p) => String(p.id)).filter((id) => options.wanted(type, id)));
      yield read(type, unwanted.map(unreadObject));
      while (toLookUp.length >= LOOKUP_IDS) yield await lookUp(calls, toLookUp.splice(0, LOOKUP_IDS), read, signal);
    }
    while (toLookUp.length) yield await lookUp(calls, toLookUp.splice(0, LOOKUP_IDS), read, signal);
  }
}

async function lookUp(
  calls: HoldingsCalls,
  ids: string[],
  read: (type: ObjectType, held: HeldObject[]) => SkolverketHoldingsRead,
  signal?: AbortSignal,
): Promise<SkolverketHoldingsRead> {
  const persons = (await calls.lookup('person', ids, { signal })) as unknown as Array<Record<string, unknown>>;
  return read('person', persons.map((person) => heldObject('person', person)));
}
