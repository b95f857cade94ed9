import kafkajs, { type Admin } from 'kafkajs';
import type { KafkaSettings } from '../config/config.js';
import type { PartitionLag } from './provsync-metrics.js';

/** A scrape waits at most this long for the broker; the last lag read is answered meanwhile. */
const READ_TIMEOUT_MS = 2_000;
/** Scrapes closer together than this share one read. */
const REUSE_MS = 2_000;

/**
 * The consumer group's lag per partition, read from the broker (end offsets minus the group's committed ones)
 * rather than from the batches this instance sees: it keeps growing while ingestion is stuck, and it covers
 * partitions other instances of the group hold.
 */
export class KafkaLagProbe {
  private readonly admin: Admin;
  private connected?: Promise<void>;
  private last: PartitionLag[] = [];
  private lastReadAt = -Infinity;
  private reading?: Promise<PartitionLag[]>;

  constructor(private readonly settings: KafkaSettings) {
    const kafka = new kafkajs.Kafka({ clientId: `${settings.clientId}-lag`, brokers: settings.brokers, logLevel: kafkajs.logLevel.NOTHING });
    this.admin = kafka.admin();
  }

  /** The lag as last read, refreshed when older than a moment; never throws. */
  async lag(): Promise<PartitionLag[]> {
    if (Date.now() - this.lastReadAt < REUSE_MS) return this.last;
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<PartitionLag[]>((resolve) => (timer = setTimeout(() => resolve(this.last), READ_TIMEOUT_MS)));
    try {
      return await Promise.race([this.reading, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
  }

  private async read(): Promise<PartitionLag[]> {
    try {
      this.connected ??= this.admin.connect();
      await this.connected;
      const { topic, groupId } = this.settings;
      const [ends, [committed]] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      const committedAt = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      this.last = ends.map(({ partition, high, low }) => {
        const done = committedAt.get(partition) ?? -1n;
        // -1: the group has committed nothing there yet, so everything still in the partition is to be read.
        const lag = BigInt(high) - (done >= 0n ? done : BigInt(low));
        return { topic, partition, lag: Number(lag > 0n ? lag : 0n) };
      });
      this.lastReadAt = Date.now();
    } catch {
      this.connected = undefined; // connect again next time
    }
    return this.last;
  }
}
