/**
 * Where SIS change messages come from: a partitioned log with consumer groups (Kafka). The consumer
 * loop depends on this port only, so swapping kafkajs for another client is one new adapter.
 */

export interface SourceMessage {
  topic: string;
  partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: string;
  key?: string;
  headers: Record<string, string | undefined>;
  /** null for a tombstone. */
  value: Uint8Array | null;
}

/** Consecutive messages of one partition, handed over in offset order. */
export interface SourceBatch {
  topic: string;
  partition: number;
  messages: readonly SourceMessage[];
  /** Tells the group this member is alive; call it while long work (a slow store) is under way. */
  heartbeat(): Promise<void>;
  /** False once the source is stopping or the partition is being reassigned: start no new work on it. */
  isActive(): boolean;
  /** Lets the source fetch what follows this batch before it is committed (kafkajs: resolves its offsets). */
  release(): void;
  /** Has the source deliver this partition again from `offset` (a batch before this one was left uncommitted). */
  rewind(offset: string): void;
  /** Commits every offset of this batch (and of the batches before it on this partition). May run after `handle` returned. */
  commit(): Promise<void>;
}

export interface DeadLetter {
  original: SourceMessage;
  /** Why it was refused: field names and reasons only, never the message's content. */
  reason: string;
}

export interface SisChangeSource {
  /**
   * Joins the consumer group and calls `handle` for each batch, in offset order per partition; the next batch
   * of a partition comes only after `handle` returned having called `batch.release()` (else the same offsets
   * come again). Nothing is committed unless `batch.commit()` is called. Resolves once consuming has started.
   */
  start(handle: (batch: SourceBatch) => Promise<void>): Promise<void>;
  /** Stops fetching new batches (the batches in hand still finish). */
  pause(): void;
  resume(): void;
  /** Publishes to the dead-letter topic and resolves once the broker has them durably. */
  publishDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  /** Leaves the group and disconnects; commits after this are lost (drain the batches under way first). */
  stop(): Promise<void>;
}
