import {
  type AppendStreamRequest,
  BACKWARDS,
  type EventData,
  FORWARDS,
  type KurrentDBClient,
  StreamNotFoundError,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { type ExpectedRevision, WrongExpectedRevisionError } from '../event-store.port.js';
import type { KnownEventIds } from './known-event-ids.js';
import { eventIdFor, fromCurrentState, satisfies, toStreamState } from './kurrentdb-mapping.js';

/** One stream's part of an append, as the server takes it; `keys` are its events' idempotency keys. */
export interface Written {
  stream: string;
  expected: ExpectedRevision;
  events: EventData[];
  keys: string[];
}

/**
 * Writes and small reads of provsync's streams on the server (names are the port's, without the prefix).
 * What is atomic on which server: see README.md beside this file.
 */
export class KurrentStreamWriter {
  /** Set once the server has said it has no multi-stream append (before KurrentDB 25.1). */
  private multiStreamUnsupported = false;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly prefix: string,
    private readonly known: KnownEventIds,
  ) {}

  /** One stream: a plain append (every server). Several: one atomic multi-stream append (KurrentDB 25.1+), else see writeEach. */
  async write(pending: readonly Written[]): Promise<Record<string, number>> {
    let revisions: Record<string, number>;
    try {
      if (pending.length === 1 || this.multiStreamUnsupported) {
        revisions = pending.length === 1 ? await this.writeOne(pending[0]!) : await this.writeEach(pending);
      } else {
        revisions = await this.writeAtomically(pending);
      }
    } catch (error) {
      if (error instanceof UnsupportedError && !this.multiStreamUnsupported) {
        this.multiStreamUnsupported = true;
        return this.write(pending);
      }
      throw this.portError(error, pending);
    }
    for (const w of pending) this.known.appended(w.stream, revisions[w.stream]!, w.events.length, w.keys.map(eventIdFor));
    return revisions;
  }

  private async writeOne(w: Written): Promise<Record<string, number>> {
    const result = await this.client.appendToStream(this.prefix + w.stream, w.events, { streamState: toStreamState(w.expected) });
    return { [w.stream]: Number(result.nextExpectedRevision) };
  }

  private async writeAtomically(pending: readonly Written[]): Promise<Record<string, number>> {
    const requests: AppendStreamRequest[] = pending.map((w) => ({ streamName: this.prefix + w.stream, events: w.events, expectedState: toStreamState(w.expected) }));
    const result = await this.client.multiStreamAppend(requests);
    const revisions: Record<string, number> = {};
    for (const response of result.responses) revisions[response.streamName.slice(this.prefix.length)] = Number(response.revision);
    return revisions;
  }

  /**
   * Servers before KurrentDB 25.1 cannot append to several streams at once. Every expected revision is checked
   * first, so a stale write stores nothing; only a writer that slips in between the check and the appends can
   * leave the earlier streams written and a later one refused. Keyed events come back as duplicates on the retry.
   */
  private async writeEach(pending: readonly Written[]): Promise<Record<string, number>> {
    for (const w of pending) {
      const current = await this.lastRevision(w.stream);
      if (!satisfies(w.expected, current)) throw new WrongExpectedRevisionError(w.stream, w.expected, current);
    }
    const revisions: Record<string, number> = {};
    for (const w of pending) Object.assign(revisions, await this.writeOne(w));
    return revisions;
  }

  private portError(error: unknown, pending: readonly Written[]): unknown {
    if (!(error instanceof WrongExpectedVersionError)) return error;
    const stream = error.streamName.startsWith(this.prefix) ? error.streamName.slice(this.prefix.length) : error.streamName;
    const expected = pending.find((w) => w.stream === stream)?.expected ?? 'any';
    return new WrongExpectedRevisionError(stream, expected, fromCurrentState(error.actualState));
  }

  async lastRevision(stream: string): Promise<number | 'no_stream'> {
    try {
      for await (const resolved of this.client.readStream(this.prefix + stream, { fromRevision: 'end', direction: BACKWARDS, maxCount: 1 })) {
        if (resolved.event) return Number(resolved.event.revision);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return 'no_stream';
  }

  async readIds(stream: string, fromRevision: number): Promise<Array<{ revision: number; id: string }>> {
    const ids: Array<{ revision: number; id: string }> = [];
    try {
      for await (const resolved of this.client.readStream(this.prefix + stream, { fromRevision: BigInt(fromRevision), direction: FORWARDS })) {
        if (resolved.event) ids.push({ revision: Number(resolved.event.revision), id: resolved.event.id });
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return ids;
  }
}
