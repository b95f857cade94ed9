import { randomUUID } from 'node:crypto';
import {
  type AllStreamRecordedEvent,
  type AppendStreamRequest,
  FORWARDS,
  BACKWARDS,
  END,
  type EventData,
  type JSONType,
  KurrentDBClient,
  type ReadPosition,
  START,
  StreamNotFoundError,
  streamNameFilter,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ImportResult,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamWrite,
  type Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port.js';
import { importInRuns } from './kurrentdb-import.js';
import {
  decodeMetadata,
  decodePosition,
  encodeMetadata,
  encodePosition,
  eventIdFor,
  fromCurrentState,
  isWanted,
  type PortMetadata,
  satisfies,
  toStreamState,
} from './kurrentdb-mapping.js';
import { KnownEventIds } from './known-event-ids.js';
import { type KurrentDbLocation, parseKurrentDbUrl } from './kurrentdb-url.js';

type Written = { stream: string; expected: ExpectedRevision; events: EventData[]; keys: string[] };

/**
 * The event store on KurrentDB (or EventStoreDB 20.10+). One server stream per port stream, named
 * `<streamPrefix><stream>`; $all reads and subscriptions keep to that prefix, so system events and other
 * applications' streams never reach provsync. What is atomic, how keys are de-duplicated and what `count`
 * costs: see README.md beside this file.
 */
export class KurrentEventStore implements EventStore {
  private readonly client: KurrentDBClient;
  private readonly prefix: string;
  private readonly known = new KnownEventIds();
  /** Set once the server has said it has no multi-stream append (before KurrentDB 25.1). */
  private multiStreamUnsupported = false;

  constructor(location: KurrentDbLocation) {
    this.client = KurrentDBClient.connectionString(location.connectionString);
    this.prefix = location.streamPrefix;
  }

  static open(url: string): KurrentEventStore {
    return new KurrentEventStore(parseKurrentDbUrl(url));
  }

  async append(writes: readonly StreamWrite[]): Promise<AppendResult> {
    const duplicates: string[] = [];
    const revisions: Record<string, number> = {};
    const pending: Written[] = [];
    const keysInAppend = new Set<string>();
    for (const write of writes) {
      const keyed = write.events.some((e) => e.idempotencyKey !== undefined);
      const stored = keyed ? await this.known.refresh(write.stream, (from) => this.readIds(write.stream, from)) : undefined;
      const kept: NewEvent[] = [];
      for (const event of write.events) {
        const key = event.idempotencyKey;
        if (key !== undefined && (keysInAppend.has(key) || stored!.ids.has(eventIdFor(key)))) {
          duplicates.push(key);
          continue;
        }
        if (key !== undefined) keysInAppend.add(key);
        kept.push(event);
      }
      if (kept.length === 0) {
        const last = stored ? stored.last : await this.lastRevision(write.stream);
        if (last !== 'no_stream') revisions[write.stream] = last;
        continue;
      }
      pending.push({
        stream: write.stream,
        expected: write.expectedRevision,
        events: kept.map((e) => this.eventData(e, { metadata: e.metadata ?? {}, idempotencyKey: e.idempotencyKey })),
        keys: kept.flatMap((e) => (e.idempotencyKey === undefined ? [] : [e.idempotencyKey])),
      });
    }
    if (pending.length > 0) Object.assign(revisions, await this.write(pending));
    return { revisions, duplicates };
  }

  async readStream(stream: string, fromRevision = 0): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.prefix + stream, { fromRevision: BigInt(fromRevision), direction: FORWARDS })) {
        if (resolved.event) events.push(this.recorded(resolved.event as AllStreamRecordedEvent));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /**
   * Filters on the server by stream prefix and on this side by type; a page that came back thinned by the
   * type filter is topped up from where it ended, so a short page still means the end of the store.
   */
  async readAll({ after, limit, types }: ReadAllOptions): Promise<RecordedEvent[]> {
    const wanted = types ? new Set(types) : undefined;
    const page: RecordedEvent[] = [];
    let from = after;
    while (page.length < limit) {
      // One more than needed: a read from a position may include the event at it, which is skipped.
      const asked = limit - page.length + 1;
      let returned = 0;
      for await (const resolved of this.client.readAll({ fromPosition: this.readPosition(from), maxCount: asked, direction: FORWARDS, filter: this.filter() })) {
        returned++;
        const event = resolved.event;
        if (!event) continue;
        const position = encodePosition(event.position);
        if (position <= from) continue;
        from = position;
        if (isWanted(event.streamId, event.type, this.prefix, wanted)) page.push(this.recorded(event));
        if (page.length === limit) break;
      }
      if (returned < asked) break;
    }
    return page;
  }

  subscribe(after: bigint, handler: (event: RecordedEvent) => Promise<void>, types?: readonly string[]): Subscription {
    const wanted = types ? new Set(types) : undefined;
    const subscription = this.client.subscribeToAll({ fromPosition: this.readPosition(after), filter: this.filter() });
    let failure: unknown;
    const finished = (async () => {
      for await (const resolved of subscription) {
        const event = resolved.event;
        if (!event || encodePosition(event.position) <= after) continue;
        if (isWanted(event.streamId, event.type, this.prefix, wanted)) await handler(this.recorded(event));
      }
    })().catch(async (error: unknown) => {
      failure = error;
      await subscription.unsubscribe().catch(() => {});
    });
    return {
      async close() {
        await subscription.unsubscribe().catch(() => {});
        await finished;
        if (failure) throw failure;
      },
    };
  }

  async importEvents(events: readonly RecordedEvent[]): Promise<ImportResult> {
    return importInRuns(events, {
      lastRevision: (stream) => this.lastRevision(stream),
      append: async (stream, expected, run) => {
        const data = run.map((e) => this.eventData(e, { metadata: e.metadata, idempotencyKey: e.idempotencyKey, recordedAt: e.recordedAt }));
        const revisions = await this.write([{ stream, expected, events: data, keys: run.flatMap((e) => (e.idempotencyKey ? [e.idempotencyKey] : [])) }]);
        return revisions[stream]!;
      },
    });
  }

  /** A full filtered read of $all: its cost grows with the store (the server keeps no count per prefix or type). */
  async count(types?: readonly string[]): Promise<number> {
    const wanted = types ? new Set(types) : undefined;
    let n = 0;
    for await (const resolved of this.client.readAll({ fromPosition: START, direction: FORWARDS, filter: this.filter() })) {
      const event = resolved.event;
      if (event && isWanted(event.streamId, event.type, this.prefix, wanted)) n++;
    }
    return n;
  }

  /** The store's last event, read from the end of $all (a resumed copy starts from it; see copy/last-event.ts). */
  async lastEvent(): Promise<RecordedEvent | undefined> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1, filter: this.filter() })) {
      const event = resolved.event;
      if (event && isWanted(event.streamId, event.type, this.prefix, undefined)) return this.recorded(event);
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** One stream: a plain append (every server). Several: one atomic multi-stream append (KurrentDB 25.1+), else see writeEach. */
  private async write(pending: readonly Written[]): Promise<Record<string, number>> {
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

  private async lastRevision(stream: string): Promise<number | 'no_stream'> {
    try {
      for await (const resolved of this.client.readStream(this.prefix + stream, { fromRevision: 'end', direction: BACKWARDS, maxCount: 1 })) {
        if (resolved.event) return Number(resolved.event.revision);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return 'no_stream';
  }

  private async readIds(stream: string, fromRevision: number): Promise<Array<{ revision: number; id: string }>> {
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

  private eventData(event: { type: string; data: unknown }, meta: PortMetadata): EventData {
    return {
      id: meta.idempotencyKey === undefined ? randomUUID() : eventIdFor(meta.idempotencyKey),
      contentType: 'application/json',
      type: event.type,
      data: event.data as JSONType,
      metadata: encodeMetadata(meta),
    };
  }

  private recorded(event: AllStreamRecordedEvent): RecordedEvent {
    const meta = decodeMetadata(event.metadata);
    const recorded: RecordedEvent = {
      stream: event.streamId.slice(this.prefix.length),
      revision: Number(event.revision),
      position: encodePosition(event.position),
      type: event.type,
      data: event.data,
      metadata: meta.metadata,
      recordedAt: meta.recordedAt ?? event.created.toISOString(),
    };
    if (meta.idempotencyKey !== undefined) recorded.idempotencyKey = meta.idempotencyKey;
    return recorded;
  }

  private readPosition(after: bigint): ReadPosition {
    return after === 0n ? START : decodePosition(after);
  }

  private filter() {
    return streamNameFilter({ prefixes: [this.prefix] });
  }
}
