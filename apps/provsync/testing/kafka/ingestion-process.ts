import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KafkaTuning } from '../../src/ingest/kafka/kafka-ingestion.js';
import type { IngestionStats } from '../../src/ingest/kafka/sis-change-ingestion.js';
import { TEST_BROKERS } from './kafka-test-broker.js';

const ENTRIES = {
  main: fileURLToPath(new URL('../../src/ingest/kafka/kafka-ingestion.main.js', import.meta.url)),
  crashAfterAppends: fileURLToPath(new URL('./crash-after-append.main.js', import.meta.url)),
};

export interface IngestionProcessOptions {
  topic: string;
  dlqTopic: string;
  groupId: string;
  /** The embedded store's file (sqlite:), unless storeUrl names another store. */
  storeFile?: string;
  /** A PROVSYNC_STORE value, e.g. a postgres:// URL; wins over storeFile. */
  storeUrl?: string;
  clientId?: string;
  tuning?: Partial<KafkaTuning>;
  /** Run the test entry that SIGKILLs itself right after this many store appends. */
  crashAfterAppends?: number;
}

/** Short sessions so a killed member is dropped quickly; small batches so kills land between append and commit. */
export const TEST_TUNING: Partial<KafkaTuning> = {
  sessionTimeoutMs: 2000,
  heartbeatIntervalMs: 300,
  heartbeatEveryMs: 300,
  maxBytesPerPartition: 32 * 1024,
};

/** One provsync Kafka ingestion instance in a child process (kafka-ingestion.main.ts). */
export class IngestionProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private stdout = '';
  /** Every log line the process wrote, to check that no personal data reached them. */
  readonly logLines: string[] = [];
  readonly joined: Promise<void>;

  constructor(options: IngestionProcessOptions) {
    const entry = options.crashAfterAppends === undefined ? ENTRIES.main : ENTRIES.crashAfterAppends;
    this.child = spawn(process.execPath, ['--enable-source-maps', entry], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KAFKA_BROKERS: TEST_BROKERS.join(','),
        KAFKA_TOPIC: options.topic,
        KAFKA_DLQ_TOPIC: options.dlqTopic,
        KAFKA_GROUP_ID: options.groupId,
        KAFKA_CLIENT_ID: options.clientId ?? 'provsync-test',
        PROVSYNC_STORE: options.storeUrl ?? `sqlite:${options.storeFile}`,
        PROVSYNC_KAFKA_TUNING: JSON.stringify({ ...TEST_TUNING, ...options.tuning }),
        CRASH_AFTER_APPENDS: String(options.crashAfterAppends ?? ''),
      },
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    let buffered = '';
    this.joined = new Promise((resolve, reject) => {
      this.child.stderr!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          this.logLines.push(line);
          if (line.includes('joined the consumer group')) resolve();
        }
      });
      void this.exited.then((code) => reject(new Error(`the ingestion process exited (${code}) before joining: ${this.logLines.slice(-5).join(' | ')}`)));
    });
    this.joined.catch(() => undefined);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** SIGKILL: no chance to finish the batch or commit. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Resolves with the signal that ended the process (null when it exited by itself). */
  async ended(): Promise<NodeJS.Signals | null> {
    await this.exited;
    return this.child.signalCode;
  }

  /** SIGTERM: the graceful stop; resolves with the exit code and the stats the process printed. */
  async terminate(): Promise<{ code: number | null; stats?: IngestionStats }> {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    const line = this.stdout.split('\n').find((l) => l.startsWith('{"stats"'));
    return { code, stats: line ? (JSON.parse(line) as { stats: IngestionStats }).stats : undefined };
  }
}
