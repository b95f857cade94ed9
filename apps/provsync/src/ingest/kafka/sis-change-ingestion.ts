import type { RecordOutcome, SisChangeRecorder, SisInput } from '../../recording/sis-input.js';
import { deadLetterFor } from './dead-letters.js';
import type { IngestionLogger } from './ingestion-logger.js';
import { PartitionLanes } from './partition-lanes.js';
import type { SisChangeSource, SourceBatch, SourceMessage } from './sis-change-source.port.js';

export interface IngestionTuning {
  /** While a batch is being stored, the group is told this often that this member is alive. */
  heartbeatEveryMs: number;
  /** A store append slower than this pauses fetching until the store has caught up. */
  slowAppendMs: number;
  /** Waits between attempts when the store or the dead-letter topic fails (doubling up to the max). */
  retryFirstDelayMs: number;
  retryMaxDelayMs: number;
}

export const DEFAULT_INGESTION_TUNING: IngestionTuning = {
  heartbeatEveryMs: 1000,
  slowAppendMs: 2000,
  retryFirstDelayMs: 250,
  retryMaxDelayMs: 10_000,
};

export interface IngestionStats {
  batches: number;
  messages: number;
  recorded: number;
  stale: number;
  duplicates: number;
  rejected: number;
  /** Partitions this instance has handled batches of. */
  partitions: string[];
  /** Times fetching was paused because the store fell behind. */
  pauses: number;
}

/**
 * The consumer loop. Each batch is stored durably (one atomic append through the recorder), its rejected
 * inputs published to the dead-letter topic, then its offsets committed. The source fetches the next
 * batches while one is stored (PartitionLanes keeps each partition's batches in order), so Kafka, the
 * recorder and the store work side by side. A crash anywhere before the commit means redelivery; the
 * store's (source, id) de-duplication makes that harmless.
 */
export class SisChangeIngestion {
  private readonly counts: IngestionStats = {
    batches: 0, messages: 0, recorded: 0, stale: 0, duplicates: 0, rejected: 0, partitions: [], pauses: 0,
  };
  private readonly partitions = new Set<string>();
  private readonly lanes = new PartitionLanes();
  private slowAppends = 0;
  private stopping = false;

  constructor(
    private readonly source: SisChangeSource,
    private readonly recorder: SisChangeRecorder,
    private readonly logger: IngestionLogger,
    private readonly tuning: IngestionTuning = DEFAULT_INGESTION_TUNING,
    private readonly now: () => Date = () => new Date(),
  ) {}

  stats(): IngestionStats {
    return { ...this.counts, partitions: [...this.partitions].sort() };
  }

  /** Takes a batch: resolves once it is under way (or refused), not once it is stored. */
  readonly handleBatch = async (batch: SourceBatch): Promise<void> => {
    if (batch.messages.length === 0 || !batch.isActive()) return;
    const ticket = this.lanes.enter(`${batch.topic}/${batch.partition}`, BigInt(batch.messages[0]!.offset));
    const turn = await ticket.turn;
    if (!turn.go) {
      ticket.skipped(turn.rewindTo);
      if (!this.stopping) batch.rewind(turn.rewindTo.toString());
      return;
    }
    if (!this.active(batch)) {
      ticket.done(false);
      return;
    }
    batch.release();
    void this.storeAndCommit(batch).then(ticket.done, (error: unknown) => {
      this.logger.error('storing a batch failed; leaving it uncommitted', { topic: batch.topic, partition: batch.partition, error: errorName(error) });
      ticket.done(false);
    });
  };

  /** Takes no new batch, and resolves once every batch taken is stored and committed, or left for redelivery. */
  async drain(): Promise<void> {
    this.stopping = true;
    await this.lanes.drain();
  }

  /** True once the batch is stored and its offsets committed. */
  private async storeAndCommit(batch: SourceBatch): Promise<boolean> {
    const where = { topic: batch.topic, partition: batch.partition, firstOffset: batch.messages[0]!.offset };
    const receivedAt = this.now().toISOString();
    const inputs = batch.messages.map((message) => toSisInput(message, receivedAt));

    const outcomes = await this.whileAlive(batch, 'storing the batch', () => this.recordWatchingLag(inputs));
    if (!outcomes) return false;
    const letters = outcomes.flatMap((outcome, i) =>
      outcome.status === 'rejected' ? [deadLetterFor(batch.messages[i]!, outcome.problems)] : [],
    );
    if (letters.length > 0) {
      const published = await this.whileAlive(batch, 'publishing dead letters', async () => {
        await this.source.publishDeadLetters(letters);
        return true;
      });
      if (!published) return false;
      // Where, not why: a reason names fields, and a malformed message's field names are its own content.
      for (const letter of letters) {
        const { topic, partition, offset } = letter.original;
        this.logger.warn('SIS change message rejected and sent to the dead-letter topic', { topic, partition, offset });
      }
    }
    const committed = await this.whileAlive(batch, 'committing offsets', async () => {
      await batch.commit();
      return true;
    });
    if (!committed) return false;
    this.count(batch, outcomes);
    this.logger.info('batch stored and committed', { ...where, messages: batch.messages.length, rejected: letters.length });
    return true;
  }

  private active(batch: SourceBatch): boolean {
    return !this.stopping && batch.isActive();
  }

  /**
   * Runs `work` until it succeeds, heartbeating meanwhile. Retries while the batch is still ours;
   * gives up (undefined: nothing committed, the batch is delivered again) once it is not.
   */
  private async whileAlive<T>(batch: SourceBatch, what: string, work: () => Promise<T>): Promise<T | undefined> {
    const ticker = setInterval(() => batch.heartbeat().catch(() => undefined), this.tuning.heartbeatEveryMs);
    try {
      for (let delay = this.tuning.retryFirstDelayMs; ; delay = Math.min(delay * 2, this.tuning.retryMaxDelayMs)) {
        try {
          return await work();
        } catch (error) {
          const fields = { topic: batch.topic, partition: batch.partition, error: errorName(error) };
          if (!this.active(batch)) {
            this.logger.warn(`${what} failed; leaving the batch uncommitted for redelivery`, fields);
            return undefined;
          }
          this.logger.error(`${what} failed; retrying in ${delay} ms`, fields);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    } finally {
      clearInterval(ticker);
    }
  }

  /** Fetching pauses while any append runs longer than `slowAppendMs`, so unconsumed work stays in Kafka. */
  private async recordWatchingLag(inputs: SisInput[]): Promise<RecordOutcome[]> {
    let slow = false;
    const watch = setTimeout(() => {
      slow = true;
      if (this.slowAppends++ === 0) {
        this.counts.pauses += 1;
        this.logger.warn('the event store is falling behind; fetching paused', { slowAppendMs: this.tuning.slowAppendMs });
        this.source.pause();
      }
    }, this.tuning.slowAppendMs);
    try {
      return await this.recorder.record(inputs);
    } finally {
      clearTimeout(watch);
      if (slow && --this.slowAppends === 0) {
        this.logger.info('the event store caught up; fetching resumed');
        this.source.resume();
      }
    }
  }

  private count(batch: SourceBatch, outcomes: readonly RecordOutcome[]): void {
    this.partitions.add(`${batch.topic}/${batch.partition}`);
    this.counts.batches += 1;
    this.counts.messages += outcomes.length;
    for (const outcome of outcomes) {
      if (outcome.status === 'duplicate') this.counts.duplicates += 1;
      else this.counts[outcome.status] += 1;
    }
  }
}

function toSisInput(message: SourceMessage, receivedAt: string): SisInput {
  return {
    // A tombstone is an empty body: rejected in structured mode, a delete in CloudEvents binary mode.
    raw: message.value ?? new Uint8Array(0),
    channel: 'kafka',
    headers: message.headers,
    kafka: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key },
    receivedAt,
  };
}

/** The error's class and code only: store and client messages may quote the input. */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown; type?: unknown }).code ?? (error as { type?: unknown }).type;
  return typeof code === 'string' ? `${error.name} (${code})` : error.name;
}
