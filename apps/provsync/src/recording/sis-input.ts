import type { InputProblem } from '@provsync/domain';

/** Where an input came from, for the audit trail and the dead-letter headers. */
export interface KafkaCoordinates {
  topic: string;
  partition: number;
  offset: string;
  key?: string;
}

/** One SIS change as received, before validation. */
export interface SisInput {
  /** The raw value: a Kafka message value, a file line, an HTTP body element. */
  raw: string | Uint8Array | object;
  channel: 'kafka' | 'file' | 'http';
  /** Kafka message headers as strings (CloudEvents binary mode uses `ce_*` headers). */
  headers?: Record<string, string | undefined>;
  kafka?: KafkaCoordinates;
  /** File name and line number, for file ingestion. */
  file?: { name: string; line: number };
  /** Problems found before parsing (e.g. a batch that could not be cut here): stored as rejected with these. */
  problems?: InputProblem[];
  /** ISO-8601 time provsync received it. */
  receivedAt: string;
}

export type RecordOutcome =
  | { status: 'recorded'; stream: string }
  /** Older than the change already applied: kept for audit, changes nothing. */
  | { status: 'stale'; stream: string }
  /** The same (source, id) was recorded before. */
  | { status: 'duplicate' }
  /** Stored as a rejected input with the problems. */
  | { status: 'rejected'; problems: InputProblem[] };

/**
 * Records SIS inputs in the event store. `record` stores the whole batch durably in one atomic append
 * (rejected inputs included) before it resolves; outcomes come back in input order.
 */
export interface SisChangeRecorder {
  record(inputs: readonly SisInput[]): Promise<RecordOutcome[]>;
}
