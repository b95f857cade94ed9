import { OUT_OF_ORDER_SIS_CHANGE_RECORDED, REJECTED_INPUTS_STREAM, SIS_CHANGE_RECORDED } from '@provsync/domain';
import type { EventStore, RecordedEvent } from '@provsync/event-store';
import type { TestChange } from './sis-change-messages.js';

const CHANGE_TYPES = [SIS_CHANGE_RECORDED, OUT_OF_ORDER_SIS_CHANGE_RECORDED];

export async function readAllEvents(store: EventStore, types?: readonly string[]): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let after = 0n; ; ) {
    const page = await store.readAll({ after, limit: 5000, types });
    events.push(...page);
    if (page.length < 5000) return events;
    after = page[page.length - 1]!.position;
  }
}

export function countChanges(store: EventStore): Promise<number> {
  return store.count(CHANGE_TYPES);
}

/**
 * How often each produced change is stored, and what the store holds beyond them. Exactly once means
 * every count is 1 and nothing is unexpected.
 */
export async function storedOnceReport(store: EventStore, produced: readonly TestChange[]) {
  const stored = await readAllEvents(store, CHANGE_TYPES);
  const times = new Map<string, number>();
  for (const event of stored) {
    const { change } = event.data as { change: { source: string; id: string } };
    const key = `${change.source}|${change.id}`;
    times.set(key, (times.get(key) ?? 0) + 1);
  }
  const producedKeys = new Set(produced.map((change) => `${change.source}|${change.id}`));
  const missing = [...producedKeys].filter((key) => !times.has(key)).length;
  const twice = [...times.values()].filter((n) => n > 1).length;
  const unexpected = [...times.keys()].filter((key) => !producedKeys.has(key)).length;
  return { stored: stored.length, missing, twice, unexpected };
}

/** Streams whose changes were stored out of their SIS sequence (should be none: one key, one partition, in order). */
export async function streamsOutOfOrder(store: EventStore): Promise<string[]> {
  const stored = await readAllEvents(store, CHANGE_TYPES);
  const last = new Map<string, string>();
  const outOfOrder = new Set<string>();
  for (const event of stored) {
    const sequence = (event.data as { change: { sequence?: string } }).change.sequence ?? '';
    const previous = last.get(event.stream);
    if (previous !== undefined && sequence < previous) outOfOrder.add(event.stream);
    last.set(event.stream, sequence);
  }
  return [...outOfOrder];
}

export async function rejectedInputs(store: EventStore) {
  const events = await store.readStream(REJECTED_INPUTS_STREAM);
  return events.map((event) => event.data as { problems: Array<{ field: string; reason: string }>; receipt: { kafka?: { partition: number; offset: string } } });
}

/** Polls until `check` holds; fails naming what it waited for. A wait, not a timing assertion. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
