import { isDeepStrictEqual } from 'node:util';
import type { EventStore, RecordedEvent } from '../event-store.port.js';

/** Where two stores first differ. Names places and fields only, never values: events hold personal data. */
export interface StoreDifference {
  /** 0-based index in the global order of both stores. */
  index: number;
  stream: string;
  revision: number;
  sourcePosition?: bigint;
  targetPosition?: bigint;
  /** The field that differs, or `missing in target` / `missing in source` when one store ends first. */
  field: string;
}

export type VerifyResult = { equal: true; events: number } | { equal: false; events: number; difference: StoreDifference };

const FIELDS = ['stream', 'revision', 'type', 'idempotencyKey', 'recordedAt', 'data', 'metadata'] as const;

/** The first field in which two events of the same place in the order differ, or undefined when they are the same. */
export function differingField(a: RecordedEvent, b: RecordedEvent): string | undefined {
  return FIELDS.find((field) => !isDeepStrictEqual(a[field], b[field]));
}

async function* eventsOf(store: Pick<EventStore, 'readAll'>, pageSize: number): AsyncGenerator<RecordedEvent> {
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.position;
  }
}

/**
 * Compares two stores event by event in their global order (positions are each store's own and are not
 * compared): stream, revision, type, key, recording time, data and metadata.
 */
export async function verifyStores(
  source: Pick<EventStore, 'readAll'>,
  target: Pick<EventStore, 'readAll'>,
  { pageSize = 1000, onProgress }: { pageSize?: number; onProgress?: (events: number) => void } = {},
): Promise<VerifyResult> {
  const left = eventsOf(source, pageSize);
  const right = eventsOf(target, pageSize);
  for (let index = 0; ; index++) {
    const [a, b] = await Promise.all([left.next(), right.next()]);
    if (a.done && b.done) return { equal: true, events: index };
    if (a.done || b.done) {
      const present = (a.done ? b.value : a.value) as RecordedEvent;
      const difference: StoreDifference = {
        index,
        stream: present.stream,
        revision: present.revision,
        field: a.done ? 'missing in source' : 'missing in target',
        ...(a.done ? { targetPosition: present.position } : { sourcePosition: present.position }),
      };
      return { equal: false, events: index, difference };
    }
    const field = differingField(a.value, b.value);
    if (field) {
      return {
        equal: false,
        events: index,
        difference: { index, stream: a.value.stream, revision: a.value.revision, sourcePosition: a.value.position, targetPosition: b.value.position, field },
      };
    }
    if ((index + 1) % pageSize === 0) onProgress?.(index + 1);
  }
}

/** One line for an operator: where, and which field; no values. */
export function describeDifference(d: StoreDifference): string {
  const positions = [d.sourcePosition !== undefined ? `source position ${d.sourcePosition}` : '', d.targetPosition !== undefined ? `target position ${d.targetPosition}` : '']
    .filter(Boolean)
    .join(', ');
  return `event #${d.index + 1} (stream ${d.stream}, revision ${d.revision}; ${positions}): ${d.field.startsWith('missing') ? d.field : `${d.field} differs`}`;
}
