import { type ExpectedRevision, type ImportResult, type RecordedEvent, WrongExpectedRevisionError } from '../event-store.port.js';

export interface ImportTarget {
  lastRevision(stream: string): Promise<number | 'no_stream'>;
  /** Appends one run of consecutive events of one stream with this expected revision; answers the stream's new last revision. */
  append(stream: string, expected: ExpectedRevision, run: readonly RecordedEvent[]): Promise<number>;
}

/**
 * Imports events in the order given, as runs of consecutive events of one stream, each appended with the
 * expected revision it must follow, so the global order is kept and a concurrent writer is refused rather
 * than interleaved. Events whose revision the stream already holds are skipped (a resumed copy); a revision
 * past the stream's next is a gap and throws. Store-agnostic: it only needs the two calls above.
 */
export async function importInRuns(events: readonly RecordedEvent[], target: ImportTarget): Promise<ImportResult> {
  const last = new Map<string, number | 'no_stream'>();
  let imported = 0;
  let skipped = 0;
  let run: RecordedEvent[] = [];

  const flush = async () => {
    if (run.length === 0) return;
    const stream = run[0]!.stream;
    const before = last.get(stream)!;
    last.set(stream, await target.append(stream, before, run));
    imported += run.length;
    run = [];
  };

  for (const event of events) {
    if (run.length > 0 && run[0]!.stream !== event.stream) await flush();
    if (!last.has(event.stream)) last.set(event.stream, await target.lastRevision(event.stream));
    const stored = last.get(event.stream)!;
    const held = (stored === 'no_stream' ? -1 : stored) + run.length;
    if (event.revision <= held) {
      skipped++;
      continue;
    }
    if (event.revision !== held + 1) throw new WrongExpectedRevisionError(event.stream, event.revision - 1, held < 0 ? 'no_stream' : held);
    run.push(event);
  }
  await flush();
  return { imported, skipped };
}
