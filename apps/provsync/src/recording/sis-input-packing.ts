import type { InputProblem } from '@provsync/domain';
import type { KafkaCoordinates, RecordOutcome, SisInput } from './sis-input.js';

/**
 * A batch of SIS inputs as it crosses to the recorder thread: columns of strings and numbers, and every byte
 * value in one transferred buffer. Cloning a thousand small objects costs ten times as much as cloning their
 * fields as columns, and cloning a Kafka message value (a view into the whole fetch response) would clone
 * everything behind it.
 */
export interface PackedInputs {
  bytes: ArrayBuffer;
  /** Where each byte value ends in `bytes`; -1 where the raw value is text or parsed JSON, in `values`. */
  ends: Float64Array<ArrayBuffer>;
  values: Array<string | object | undefined>;
  channels: Array<SisInput['channel']>;
  receivedAt: string[];
  /** null for no headers at all ({}), undefined where the input had none given. */
  headers: Array<Record<string, string | undefined> | null | undefined>;
  /** Kafka coordinates by column; topic undefined where the input did not come from Kafka. */
  topics: Array<string | undefined>;
  partitions: number[];
  offsets: string[];
  keys: Array<string | undefined>;
  files: Array<SisInput['file']>;
  problems: Array<InputProblem[] | undefined>;
}

export function packInputs(inputs: readonly SisInput[]): PackedInputs {
  let size = 0;
  for (const { raw } of inputs) if (raw instanceof Uint8Array) size += raw.byteLength;
  const bytes = new ArrayBuffer(size);
  const target = new Uint8Array(bytes);
  const packed: PackedInputs = {
    bytes, ends: new Float64Array(inputs.length), values: [], channels: [], receivedAt: [], headers: [],
    topics: [], partitions: [], offsets: [], keys: [], files: [], problems: [],
  };
  let at = 0;
  inputs.forEach((input, i) => {
    if (input.raw instanceof Uint8Array) {
      target.set(input.raw, at);
      packed.ends[i] = at += input.raw.byteLength;
      packed.values.push(undefined);
    } else {
      packed.ends[i] = -1;
      packed.values.push(input.raw);
    }
    packed.channels.push(input.channel);
    packed.receivedAt.push(input.receivedAt);
    packed.headers.push(input.headers && !hasAny(input.headers) ? null : input.headers);
    packed.topics.push(input.kafka?.topic);
    packed.partitions.push(input.kafka?.partition ?? -1);
    packed.offsets.push(input.kafka?.offset ?? '');
    packed.keys.push(input.kafka?.key);
    packed.files.push(input.file);
    packed.problems.push(input.problems);
  });
  return packed;
}

export function unpackInputs(packed: PackedInputs): SisInput[] {
  const inputs: SisInput[] = [];
  let start = 0;
  for (let i = 0; i < packed.ends.length; i++) {
    const end = packed.ends[i]!;
    const raw = end >= 0 ? new Uint8Array(packed.bytes, start, end - start) : packed.values[i]!;
    if (end >= 0) start = end;
    const input: SisInput = { raw, channel: packed.channels[i]!, receivedAt: packed.receivedAt[i]! };
    const headers = packed.headers[i];
    if (headers !== undefined) input.headers = headers ?? {};
    const topic = packed.topics[i];
    if (topic !== undefined) {
      const kafka: KafkaCoordinates = { topic, partition: packed.partitions[i]!, offset: packed.offsets[i]! };
      if (packed.keys[i] !== undefined) kafka.key = packed.keys[i];
      input.kafka = kafka;
    }
    if (packed.files[i]) input.file = packed.files[i];
    if (packed.problems[i]) input.problems = packed.problems[i];
    inputs.push(input);
  }
  return inputs;
}

/** Outcomes by column, for the way back. */
export interface PackedOutcomes {
  statuses: Array<RecordOutcome['status']>;
  streams: Array<string | undefined>;
  problems: Array<InputProblem[] | undefined>;
}

export function packOutcomes(outcomes: readonly RecordOutcome[]): PackedOutcomes {
  const packed: PackedOutcomes = { statuses: [], streams: [], problems: [] };
  for (const outcome of outcomes) {
    packed.statuses.push(outcome.status);
    packed.streams.push('stream' in outcome ? outcome.stream : undefined);
    packed.problems.push(outcome.status === 'rejected' ? outcome.problems : undefined);
  }
  return packed;
}

export function unpackOutcomes({ statuses, streams, problems }: PackedOutcomes): RecordOutcome[] {
  return statuses.map((status, i): RecordOutcome => {
    if (status === 'rejected') return { status, problems: problems[i]! };
    if (status === 'duplicate') return { status };
    return { status, stream: streams[i]! };
  });
}

function hasAny(record: object): boolean {
  for (const _ in record) return true;
  return false;
}
