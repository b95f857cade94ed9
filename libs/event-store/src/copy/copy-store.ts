import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { findLastEvent } from './last-event.js';

export interface CopyProgress {
  /** Events the target holds of the source so far (those copied by an earlier, interrupted run included). */
  done: number;
  /** Events in the source when the copy started. */
  total: number;
  /** Events written by this run. */
  copied: number;
}

export interface CopyOptions {
  pageSize?: number;
  onProgress?: (progress: CopyProgress) => void;
}

export class NotACopyError extends Error {
  readonly code = 'TARGET_NOT_A_COPY';
}

/**
 * Copies every event of `source` into `target` in the source's global order, keeping streams, revisions, types,
 * data, metadata, recording times and idempotency keys (`importEvents`). Resumable: when the target already
 * holds events, they must be the start of the source; the copy finds the target's last event, looks up that
 * (stream, revision) in the source and goes on after its position, instead of reading everything again.
 */
export async function copyStore(source: EventStore, target: EventStore, { pageSize = 1000, onProgress }: CopyOptions = {}): Promise<CopyProgress> {
  const total = await source.count();
  const after = await resumePoint(source, target);
  let done = after === 0n ? 0 : await target.count();
  let copied = 0;
  onProgress?.({ done, total, copied });
  let position = after;
  for (;;) {
    const page = await source.readAll({ after: position, limit: pageSize });
    if (page.length === 0) break;
    const { imported } = await target.importEvents(page);
    copied += imported;
    done += imported;
    position = page[page.length - 1]!.position;
    onProgress?.({ done, total: Math.max(total, done), copied });
    if (page.length < pageSize) break;
  }
  return { done, total: Math.max(total, done), copied };
}

/** The source position the copy goes on after: 0n for an empty target, else the source position of the target's last event. */
async function resumePoint(source: EventStore, target: EventStore): Promise<bigint> {
  const last = await findLastEvent(target);
  if (!last) return 0n;
  const [original] = await source.readStream(last.stream, last.revision);
  if (!original || original.revision !== last.revision || !sameEvent(original, last)) {
    throw new NotACopyError(
      `the target's last event (stream ${last.stream}, revision ${last.revision}) is not in the source as it is in the target: ` +
        'the target holds other events; copy into an empty store',
    );
  }
  return original.position;
}

const sameEvent = (a: RecordedEvent, b: RecordedEvent) => a.type === b.type && a.idempotencyKey === b.idempotencyKey && a.recordedAt === b.recordedAt;
