import { randomUUID } from 'node:crypto';
import {
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  FORWARDS,
  BACKWARDS,
  END,
  type EventData,
  type JSONType,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type EventStore,
  type ImportResult,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamWrite,
  type Subscription,
} from '../event-store.port.js';
import { importInRuns } from './kurrentdb-import.js';
import { type ReadStart, readPage, startOf } from './kurrentdb-paging.js';
import {
  decodeMetadata,
  encodeMetadata,
  encodePosition,
  eventIdFor,
  isWanted,
  type PortMetadata,
} from './kurrentdb-mapping.js';
import { KnownEventIds } from './known-event-ids.js';
import { KurrentStreamWriter, type Written } from './kurrentdb-writer.js';
import { type KurrentDbLocation, parseKurrentDbUrl } from './kurrentdb-url.js';

/** Pages read to catch up before a subscription follows $all live. */
const SUBSCRIPTION_PAGE = 500;

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
  private readonly writer: KurrentStreamWriter;

  constructor(location: KurrentDbLocation) {
    this.client = KurrentDBClient.connectionString(location.connectionString);
    this.prefix = location.streamPrefix;
    this.writer = new KurrentStreamWriter(this.client, this.prefix, this.known);
  }

  static open(url: string): KurrentEventStore {
    return new KurrentEventStore(parseKurrentDbUrl(url));
  }

  async append(writes: readonly StreamWrite[]): Promise<AppendResult> {
    const duplicates: string[] = [];
    const revisions: Record<string, number> = {};
    const pending: Written[] = [];
    const keysInAppend = new Set<string>();
    // The ids already in each stream that gets keyed events, read side by side (one read per stream, of what is new to this process).
    const storedIds = await Promise.all(
      writes.map((write) =>
        write.events.some((e) => e.idempotencyKey !== undefined) ? this.known.refresh(write.stream, (from) => this.writer.readIds(write.stream, from)) : undefined,
      ),
    );
    for (const [i, write] of writes.entries()) {
      const stored = storedIds[i];
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
        const last = stored ? stored.last : await this.writer.lastRevision(write.stream);
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
    if (pending.length > 0) Object.assign(revisions, await this.writer.write(pending));
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
    const read = (start: ReadStart, maxCount: number) => this.provsyncEvents(start, maxCount);
    const page = await readPage(read, after, limit, (e) => isWanted(e.streamId, e.type, this.prefix, wanted));
    return page.map((e) => this.recorded(e));
  }

  /** Records of $all from `start` under provsync's stream prefix (system events and link events left out). */
  private async *provsyncEvents(start: ReadStart, maxCount: number): AsyncGenerator<AllStreamRecordedEvent> {
    for await (const resolved of this.client.readAll({ fromPosition: start, maxCount, direction: FORWARDS, filter: this.filter() })) {
      if (resolved.event) yield resolved.event;
    }
  }

  /**
   * Catches up by reading pages of $all, then follows it live with a catch-up subscription started at the last
   * event read (a subscription starts after its position, a read at it). Events at or before a position already
   * handled are skipped, so starting a little early never delivers one twice.
   */
  subscribe(after: bigint, handler: (event: RecordedEvent) => Promise<void>, types?: readonly string[]): Subscription {
    const wanted = types ? new Set(types) : undefined;
    let closed = false;
    let live: AllStreamSubscription | undefined;
    const follow = async () => {
      let position = after;
      for (;;) {
        const page = await this.readAll({ after: position, limit: SUBSCRIPTION_PAGE, types });
        for (const event of page) {
          if (closed) return;
          await handler(event);
          position = event.position;
        }
        if (closed) return;
        if (page.length < SUBSCRIPTION_PAGE) break;
      }
      live = this.client.subscribeToAll({ fromPosition: startOf(position), filter: this.filter() });
      for await (const resolved of live) {
        const event = resolved.event;
        if (closed) return;
        if (!event || encodePosition(event.position) <= position) continue;
        position = encodePosition(event.position);
        if (isWanted(event.streamId, event.type, this.prefix, wanted)) await handler(this.recorded(event));
      }
    };
    // A failing handler (or a dropped subscription) ends it; the failure surfaces from close().
    let failure: unknown;
    const finished = follow().catch(async (error: unknown) => {
      failure = error;
      await live?.unsubscribe().catch(() => {});
    });
    return {
      async close() {
        closed = true;
        await live?.unsubscribe().catch(() => {});
        await finished;
        if (failure) throw failure;
      },
    };
  }

  async importEvents(events: readonly RecordedEvent[]): Promise<ImportResult> {
    return importInRuns(events, {
      lastRevision: (stream) => this.writer.lastRevision(stream),
      append: async (stream, expected, run) => {
        const data = run.map((e) => this.eventData(e, { metadata: e.metadata, idempotencyKey: e.idempotencyKey, recordedAt: e.recordedAt }));
        const revisions = await this.writer.write([{ stream, expected, events: data, keys: run.flatMap((e) => (e.idempotencyKey ? [e.idempotencyKey] : [])) }]);
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

  private filter() {
    return streamNameFilter({ prefixes: [this.prefix] });
  }
}
