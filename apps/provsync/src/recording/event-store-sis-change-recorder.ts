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
import { type EventStore, type NewEvent, type StreamWrite, WrongExpectedRevisionError } from '@provsync/event-store';
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

/**
 * Validates a batch of SIS inputs and stores it in one atomic append: each valid change in its entity's
 * stream (guarded by that stream's revision, de-duplicated by the store on (source, id)), each invalid
 * one in the rejected-inputs stream with its problems.
 */
export class EventStoreSisChangeRecorder implements SisChangeRecorder {
  /** The rejected-inputs stream's last revision as last seen: re-read after a conflict. */
  private rejectedRevision: number | 'no_stream' | undefined;
  private readonly known = new Map<string, { state: EntityStreamState; revision: number }>();

  constructor(private readonly store: EventStore) {}

  async record(inputs: readonly SisInput[]): Promise<RecordOutcome[]> {
    const parsed = inputs.map((input) =>
      input.problems ? { ok: false as const, problems: input.problems } : parseSisInput(input.raw, input.headers),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        // First try: a stream this recorder has not seen is taken to be new (one read fewer per entity on a
        // first load); a wrong guess fails the revision check, and the retry reads every stream it needs.
        return await this.tryRecord(inputs, parsed, attempt === 1);
      } catch (error) {
        // Another writer touched one of the streams: re-read them and decide again.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        if (error.stream === REJECTED_INPUTS_STREAM) this.rejectedRevision = undefined;
        this.known.delete(error.stream);
      }
    }
  }

  private async tryRecord(inputs: readonly SisInput[], parsedInputs: readonly ParsedInput[], guessNew: boolean): Promise<RecordOutcome[]> {
    const streams = new Map<string, PendingStream>();
    const rejected: NewEvent[] = [];
    const planned: Array<{ outcome: RecordOutcome; key?: string }> = [];
    const keysInBatch = new Set<string>();

    for (const [index, input] of inputs.entries()) {
      const parsed = parsedInputs[index];
      const receipt = receiptOf(input);
      if (!parsed.ok) {
        rejected.push(rejectedEvent(input, parsed.problems, receipt));
        planned.push({ outcome: { status: 'rejected', problems: parsed.problems } });
        continue;
      }
      const change = parsed.change;
      const key = deduplicationKey(change);
      if (keysInBatch.has(key)) {
        planned.push({ outcome: { status: 'duplicate' } });
        continue;
      }
      keysInBatch.add(key);
      const stream = entityStream(change.entity, change.subject);
      const pending = streams.get(stream) ?? (await this.load(stream, guessNew));
      streams.set(stream, pending);
      const event = decideRecordSisChange(pending.state, change, receipt);
      pending.state = evolveEntityStream(pending.state, event);
      pending.events.push({ type: event.type, data: event.data, idempotencyKey: key });
      const status = event.type === SIS_CHANGE_RECORDED ? 'recorded' : 'stale';
      planned.push({ outcome: { status, stream }, key });
    }

    const writes: StreamWrite[] = [...streams].map(([stream, p]) => ({ stream, events: p.events, expectedRevision: p.expectedRevision }));
    if (rejected.length > 0) {
      writes.push({ stream: REJECTED_INPUTS_STREAM, events: rejected, expectedRevision: await this.lastRejectedRevision() });
    }
    const { duplicates, revisions } = await this.store.append(writes);
    for (const [stream, pending] of streams) this.remember(stream, pending.state, revisions[stream]);
    if (rejected.length > 0) this.rejectedRevision = revisions[REJECTED_INPUTS_STREAM] ?? this.rejectedRevision;
    const duplicateKeys = new Set(duplicates);
    return planned.map(({ outcome, key }) => (key && duplicateKeys.has(key) ? { status: 'duplicate' } : outcome));
  }

  private async lastRejectedRevision(): Promise<number | 'no_stream'> {
    if (this.rejectedRevision === undefined) {
      const known = await this.store.readStream(REJECTED_INPUTS_STREAM);
      this.rejectedRevision = known.length ? known[known.length - 1].revision : 'no_stream';
    }
    return this.rejectedRevision;
  }

  private remember(stream: string, state: EntityStreamState, revision: number | undefined): void {
    if (revision === undefined) return;
    this.known.delete(stream);
    this.known.set(stream, { state, revision });
    if (this.known.size > KNOWN_STREAMS) this.known.delete(this.known.keys().next().value!);
  }

  private async load(stream: string, guessNew: boolean): Promise<PendingStream> {
    const cached = this.known.get(stream);
    if (cached) return { state: cached.state, expectedRevision: cached.revision, events: [] };
    if (guessNew) return { state: initialEntityStreamState, expectedRevision: 'no_stream', events: [] };
    const events = await this.store.readStream(stream);
    const state = events.reduce(
      (s, e) => evolveEntityStream(s, { type: e.type, data: e.data } as EntityStreamEvent),
      initialEntityStreamState,
    );
    return { state, expectedRevision: events.length ? events[events.length - 1].revision : 'no_stream', events: [] };
  }
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
