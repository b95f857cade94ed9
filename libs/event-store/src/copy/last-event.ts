import type { EventStore, RecordedEvent } from '../event-store.port.js';

/** A store that can say its last event directly (KurrentDB reads $all backwards); others are probed. */
interface KnowsItsLastEvent {
  lastEvent(): Promise<RecordedEvent | undefined>;
}

const knowsItsLastEvent = (store: object): store is KnowsItsLastEvent => typeof (store as Partial<KnowsItsLastEvent>).lastEvent === 'function';

/**
 * The store's last event, found through the port alone: positions only grow, so "is there an event after p?"
 * splits the positions, and a doubling then halving search needs about 2·log2(last position) one-event reads
 * (some 60 for a store of a billion events) instead of reading the store through.
 */
export async function findLastEvent(store: Pick<EventStore, 'readAll'>): Promise<RecordedEvent | undefined> {
  if (knowsItsLastEvent(store)) return store.lastEvent();
  const firstAtOrAfter = async (p: bigint) => (await store.readAll({ after: p - 1n, limit: 1 }))[0];
  let last = (await store.readAll({ after: 0n, limit: 1 }))[0];
  if (!last) return undefined;
  // Gallop: probe ever further past the last event found, until a probe finds nothing.
  let step = 1n;
  let highest: bigint; // no event lies beyond this position
  for (;;) {
    const probe = last.position + step;
    const found = await firstAtOrAfter(probe);
    if (!found) {
      highest = probe - 1n;
      break;
    }
    last = found;
    step *= 2n;
  }
  // Halve (last.position, highest] until nothing is left between them.
  while (last.position < highest) {
    const middle = last.position + (highest - last.position + 1n) / 2n;
    const found = await firstAtOrAfter(middle);
    if (found) last = found;
    else highest = middle - 1n;
  }
  return last;
}
