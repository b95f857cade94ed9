import { createHash } from 'node:crypto';
import {
  decideRecordSisChange,
  deduplicationKey,
  entityStream,
  type EntityStreamEvent,
  type EntityStreamState,
  evolveEntityStream,
  initialEntityStreamState,
  type InputProblem,
  type ParsedInput,
  parseSisInput,
  type Receipt,
  REJECTED_INPUTS_STREAM,
  SIS_CHANGE_RECORDED,
  SIS_INPUT_REJECTED,
} from '@provsync/domain';
import { type AppendResult, type EventStore, type NewEvent, type StreamWrite, WrongExpectedRevisionError } from '@provsync/event-store';
import type { RecordOutcome, SisChangeRecorder, SisInput } from './sis-input.js';

/** A rejected input is kept whole up to this size; beyond it, its head, its size and its hash. */
const MAX_KEPT_RAW_BYTES = 1024 * 1024;
const MAX_CONFLICT_RETRIES = 10;
/** Entity streams whose ordering state is kept between batches; the store's revision check keeps it honest. */
const KNOWN_STREAMS = 200_000;

interface PendingStream {
  state: EntityStreamState;
  expectedRevision: number | 'no_stream';
  events: NewEvent[];
}

/** A batch parsed before its streams were read (some or all of them), to decide on what is stored. */
interface ReadFirst {
  parsed: ParsedInput[];
  stored: Map<string, PendingStream>;
}

/** What an append in flight leaves to be done once it returns: small, so the batch's objects die young. */
interface PlannedAppend {
  appending: Promise<AppendResult>;
  states: Map<string, EntityStreamState>;
  outcomes: RecordOutcome[];
  /** The de-duplication key of each outcome that the store may still turn into a duplicate. */
  keys: Array<string | undefined>;
  hasRejected: boolean;
}

/**
 * Validates a batch of SIS inputs and stores it in one atomic append: each valid change in its entity's
 * stream (guarded by that stream's revision, de-duplicated by the store on (source, id)), each invalid
 * one in the rejected-inputs stream with its problems.
 */
export class EventStoreSisChangeRecorder implements SisChangeRecorder {
  /** The rejected-inputs stream's last revision as last seen (taken to be new at first; a conflict tells the truth). */
  private rejectedRevision: number | 'no_stream' | undefined;
  private readonly known = new Map<string, { state: EntityStreamState; revision: number }>();
  /**
   * Whether a stream this recorder has not seen is taken to be new without reading it: right on a first load,
   * wrong after a restart over a filled store (each batch would be decided twice), so it follows what the last
   * guess or read showed.
   */
  private unseenStreamsAreNew = true;

  constructor(private readonly store: EventStore) {}

  async record(inputs: readonly SisInput[]): Promise<RecordOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.finish(this.startAppend(inputs, await this.readFirst(inputs, attempt)));
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        if (error.stream === REJECTED_INPUTS_STREAM) this.rejectedRevision = error.actual;
        else if (error.expected === 'no_stream') this.unseenStreamsAreNew = false;
      }
    }
  }

  /**
   * Streams not read are decided on as last seen, or as new. A wrong guess, or a stream another writer has moved on
   * (another instance held the partition for a while, say), fails the revision check; the retry reads them all.
   */
  private async readFirst(inputs: readonly SisInput[], attempt: number): Promise<ReadFirst | undefined> {
    const which = attempt > 1 ? 'all' : this.unseenStreamsAreNew ? undefined : 'unseen';
    if (!which) return undefined;
    const parsed = inputs.map(parse);
    const stored = await this.readStreams(parsed, which);
    if (which === 'unseen' && stored.size > 0) this.unseenStreamsAreNew = [...stored.values()].every((s) => s.expectedRevision === 'no_stream');
    return { parsed, stored };
  }

  /**
   * Validates, decides and hands the append to the store, all without waiting, so that nothing of the batch
   * (parsed objects, events) stays reachable while the store writes it.
   */
  private startAppend(inputs: readonly SisInput[], read: ReadFirst | undefined): PlannedAppend {
    const streams = new Map<string, PendingStream>();
    const rejected: NewEvent[] = [];
    const outcomes: RecordOutcome[] = [];
    const keys: Array<string | undefined> = [];
    const keysInBatch = new Set<string>();

    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const parsed = read?.parsed[i] ?? parse(input);
      const receipt = receiptOf(input);
      if (!parsed.ok) {
        rejected.push(rejectedEvent(input, parsed.problems, receipt));
        outcomes.push({ status: 'rejected', problems: parsed.problems });
        keys.push(undefined);
        continue;
      }
      const change = parsed.change;
      const key = deduplicationKey(change);
      if (keysInBatch.has(key)) {
        outcomes.push({ status: 'duplicate' });
        keys.push(undefined);
        continue;
      }
      keysInBatch.add(key);
      const stream = entityStream(change.entity, change.subject);
      let pending = streams.get(stream);
      if (!pending) {
        pending = read?.stored.get(stream) ?? this.cachedOrNew(stream);
        streams.set(stream, pending);
      }
      const event = decideRecordSisChange(pending.state, change, receipt);
      pending.state = evolveEntityStream(pending.state, event);
      pending.events.push({ type: event.type, data: event.data, idempotencyKey: key });
      outcomes.push({ status: event.type === SIS_CHANGE_RECORDED ? 'recorded' : 'stale', stream });
      keys.push(key);
    }

    const writes: StreamWrite[] = [];
    const states = new Map<string, EntityStreamState>();
    for (const [stream, pending] of streams) {
      writes.push({ stream, events: pending.events, expectedRevision: pending.expectedRevision });
      states.set(stream, pending.state);
    }
    if (rejected.length > 0) {
      writes.push({ stream: REJECTED_INPUTS_STREAM, events: rejected, expectedRevision: this.rejectedRevision ?? 'no_stream' });
    }
    return { appending: this.store.append(writes), states, outcomes, keys, hasRejected: rejected.length > 0 };
  }

  private async finish({ appending, states, outcomes, keys, hasRejected }: PlannedAppend): Promise<RecordOutcome[]> {
    const { duplicates, revisions } = await appending;
    for (const [stream, state] of states) this.remember(stream, state, revisions[stream]);
    if (hasRejected) this.rejectedRevision = revisions[REJECTED_INPUTS_STREAM] ?? this.rejectedRevision;
    if (duplicates.length === 0) return outcomes;
    const duplicateKeys = new Set(duplicates);
    return outcomes.map((outcome, i) => (keys[i] !== undefined && duplicateKeys.has(keys[i]) ? { status: 'duplicate' } : outcome));
  }

  private remember(stream: string, state: EntityStreamState, revision: number | undefined): void {
    if (revision === undefined) return;
    this.known.delete(stream);
    this.known.set(stream, { state, revision });
    if (this.known.size > KNOWN_STREAMS) this.known.delete(this.known.keys().next().value!);
  }

  private cachedOrNew(stream: string): PendingStream {
    const cached = this.known.get(stream);
    if (cached) return { state: cached.state, expectedRevision: cached.revision, events: [] };
    return { state: initialEntityStreamState, expectedRevision: 'no_stream', events: [] };
  }

  /** The batch's streams as stored: all of them after a conflict (what this recorder remembers may be stale), or those it has not seen. */
  private async readStreams(inputs: readonly ParsedInput[], which: 'all' | 'unseen'): Promise<Map<string, PendingStream>> {
    const stored = new Map<string, PendingStream>();
    for (const parsed of inputs) {
      if (!parsed.ok) continue;
      const stream = entityStream(parsed.change.entity, parsed.change.subject);
      if (stored.has(stream) || (which === 'unseen' && this.known.has(stream))) continue;
      const events = await this.store.readStream(stream);
      const state = events.reduce(
        (s, e) => evolveEntityStream(s, { type: e.type, data: e.data } as EntityStreamEvent),
        initialEntityStreamState,
      );
      stored.set(stream, { state, expectedRevision: events.length ? events[events.length - 1].revision : 'no_stream', events: [] });
    }
    return stored;
  }
}

function parse(input: SisInput): ParsedInput {
  return input.problems ? { ok: false, problems: input.problems } : parseSisInput(input.raw, input.headers);
}

function receiptOf(input: SisInput): Receipt {
  return { channel: input.channel, receivedAt: input.receivedAt, kafka: input.kafka, file: input.file };
}

function rejectedEvent(input: SisInput, problems: InputProblem[], receipt: Receipt): NewEvent {
  const bytes = rawBytes(input.raw);
  const truncated = bytes.length > MAX_KEPT_RAW_BYTES;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // A redelivered Kafka message is the same input; elsewhere the same bytes on the same channel are.
  const key = input.kafka
    ? `rejected:kafka:${input.kafka.topic}:${input.kafka.partition}:${input.kafka.offset}`
    : undefined;
  return {
    type: SIS_INPUT_REJECTED,
    data: {
      problems,
      raw: bytes.subarray(0, MAX_KEPT_RAW_BYTES).toString('utf8'),
      rawBytes: bytes.length,
      rawSha256: sha256,
      truncated,
      headers: input.headers ?? null,
      receipt,
    },
    idempotencyKey: key,
  };
}

function rawBytes(raw: SisInput['raw']): Buffer {
  if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return Buffer.from(JSON.stringify(raw) ?? 'null', 'utf8');
}
