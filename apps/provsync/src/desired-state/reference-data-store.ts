import { createHash } from 'node:crypto';
import type { ReferenceData } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';

export const REFERENCE_STREAM = 'open-data-reference';
export const REFERENCE_READ = 'ReferenceDataRead';

/**
 * The open-data API's answers, kept in the event store whenever they change: replays and `explain`
 * work offline, and the audit trail shows which reference data a decision rested on.
 */
export class ReferenceDataStore {
  constructor(private readonly store: EventStore) {}

  async latest(): Promise<ReferenceData | undefined> {
    const events = await this.store.readStream(REFERENCE_STREAM);
    return (events.at(-1)?.data as { reference: ReferenceData } | undefined)?.reference;
  }

  /** Stores `reference` unless it says the same as the latest stored (the time it was read aside). */
  async remember(reference: ReferenceData): Promise<void> {
    const events = await this.store.readStream(REFERENCE_STREAM);
    const last = events.at(-1);
    const digest = contentDigest(reference);
    if (last && (last.data as { digest: string }).digest === digest) return;
    await this.store.append([
      {
        stream: REFERENCE_STREAM,
        events: [{ type: REFERENCE_READ, data: { digest, reference } }],
        expectedRevision: last ? last.revision : 'no_stream',
      },
    ]);
  }
}

function contentDigest(reference: ReferenceData): string {
  const { fetchedAt: _ignored, ...content } = reference;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
