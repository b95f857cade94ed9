/**
 * Ingest benchmark: SIS change events from the real Kafka test broker into each event store (the embedded
 * SQLite file, PostgreSQL) through the real recorder (validation, ordering, de-duplication, one durable append
 * per batch), side by side:
 *   1. throughput: N events already on the topic, consumed from a standing start → events/s
 *   2. the same into a store that already holds a million events (stores grow; their indexes with them),
 *      then that whole store read back in global order → events/s
 *   3. latency (SQLite): a steady stream produced while the consumer keeps up → produce-to-stored p50/p99
 * BENCH_STORES=sqlite,postgres chooses the stores; PostgreSQL is the test server (PROVSYNC_TEST_PG_URL, or the
 * one scripts/services/start.sh started), each run in a schema of its own, dropped after.
 * Writes the figures, the machine and the command into BENCHMARKS.md (its own section only).
 */
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { EventStore } from '../../libs/event-store/src/event-store.port.js';
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres-event-store.js';
import { TestSchemas } from '../../libs/event-store/testing/test-postgres.js';
import { EventStoreSisChangeRecorder } from '../../apps/provsync/src/recording/event-store-sis-change-recorder.js';
import { SisChangeRecorderThread } from '../../apps/provsync/src/recording/sis-change-recorder-thread.js';
import type { SisChangeRecorder } from '../../apps/provsync/src/recording/sis-input.js';
import { silentLogger } from '../../apps/provsync/src/ingest/kafka/ingestion-logger.js';
import { DEFAULT_KAFKA_TUNING, type KafkaTuning, startKafkaIngestion } from '../../apps/provsync/src/ingest/kafka/kafka-ingestion.js';
import { createTestTopics, requireBroker, TEST_BROKERS, testKafka } from '../../apps/provsync/testing/kafka/kafka-test-broker.js';
import { personChanges } from '../../apps/provsync/testing/kafka/sis-change-messages.js';
import { waitFor } from '../../apps/provsync/testing/kafka/stored-changes.js';
import { openTestStore, tempStoreFile } from '../../apps/provsync/testing/kafka/test-store.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 100_000);
/** Throughput runs, each from a standing start into an empty store; the median is reported (the machine is shared). */
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const LATENCY_RATE = Number(process.env['BENCH_LATENCY_RATE'] ?? 2_000);
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 10);
const PARTITIONS = 6;
/** Events already in the store for the grown-store run (0 skips it). */
const GROWN_STORE_EVENTS = Number(process.env['BENCH_GROWN_STORE_EVENTS'] ?? 1_000_000);
/** Issue 4's target on this 2-core machine. */
const TARGET_EVENTS_PER_SECOND = 20_000;
/** Issue 10's target for reading the whole store back. */
const TARGET_READ_PER_SECOND = 100_000;
/** Consumer tuning to try, as JSON (e.g. '{"partitionsConsumedConcurrently":3}'); the defaults otherwise. */
const TUNING = JSON.parse(process.env['BENCH_KAFKA_TUNING'] ?? '{}') as Partial<KafkaTuning>;
const SENT_AT = 'bench-sent-at';
/** Page size of the read-back, as a projection catching up reads. */
const READ_PAGE = 1_000;

/** A fresh, empty store of one kind: the URL the recorder thread opens, and a handle for this thread. */
interface BenchStore {
  url: string;
  open(): Promise<EventStore>;
  remove(): Promise<void>;
}
const STORE_KINDS: Record<string, { name: string; fresh(): BenchStore }> = {
  sqlite: {
    name: 'embedded SQLite',
    fresh() {
      const temp = tempStoreFile();
      return { url: `sqlite:${temp.file}`, open: async () => openTestStore(temp.file), remove: async () => temp.remove() };
    },
  },
  postgres: {
    name: 'PostgreSQL',
    fresh() {
      const schemas = new TestSchemas();
      const url = schemas.freshUrl();
      return { url, open: () => PostgresEventStore.open(url), remove: () => schemas.dropAll() };
    },
  },
};
const KINDS = (process.env['BENCH_STORES'] ?? 'sqlite,postgres').split(',').map((kind) => kind.trim());
for (const kind of KINDS) if (!STORE_KINDS[kind]) throw new Error(`BENCH_STORES: unknown store ${kind}; use ${Object.keys(STORE_KINDS).join(',')}`);

interface StoreFigures {
  kind: string;
  runs: Run[];
  median: Run;
  grown?: Run;
  readBack?: { rate: number; events: number; cpuMicros: number };
  recorderOnly: Run;
}

await requireBroker();
const temp = tempStoreFile();
const store = openTestStore(temp.file);
const producer = testKafka('provsync-bench').producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();

// 1. Throughput.
const first = await createTestTopics(PARTITIONS);
const changes = personChanges(EVENTS / 5, 5);
const eventBytes = Math.round(changes.reduce((sum, c) => sum + c.value.length, 0) / changes.length);
for (let i = 0; i < changes.length; i += 2000) {
  await producer.send({ topic: first.topic, acks: -1, messages: changes.slice(i, i + 2000).map(({ key, value }) => ({ key, value })) });
}
const texts = changes.map((c) => c.value);
const speedBefore = hostSpeed(texts);
const figures: StoreFigures[] = [];
for (const kind of KINDS) figures.push(await measureStore(kind));
const speedAfter = hostSpeed(texts);
console.log(`host speed: JSON.parse of one message on one thread took ${speedBefore.toFixed(2)} µs before the runs, ${speedAfter.toFixed(2)} µs after`);
const main = figures[0]!;
const { rate: throughput, cpuMicros, mainThreadBusy, machine } = main.median;

async function measureStore(kind: string): Promise<StoreFigures> {
  const { name, fresh } = STORE_KINDS[kind]!;
  const runs: Run[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const own = fresh();
    const ownStore = await own.open();
    // As `provsync serve` records from Kafka: on the recorder thread, with its own connection to the store.
    const threaded = new SisChangeRecorderThread(own.url);
    const result = await consumeAll({ ...first, groupId: `${first.groupId}-${kind}-run-${run}` }, threaded);
    await threaded.close();
    await ownStore.close();
    await own.remove();
    runs.push(result);
    console.log(`${name}: throughput, run ${run}: ${result.rate} events/s, Kafka → recorder thread → store (group join included); ` +
      `CPU ${result.cpuMicros.toFixed(1)} µs/event (this process, all threads), main thread busy ${percent(result.mainThreadBusy)}` +
      (result.machine ? `, machine ${percent(result.machine.busy)} busy (${percent(result.machine.ioWait)} waiting on disk)` : ''));
  }
  const median = [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;

  // A grown store: filled through the recorder without Kafka (new people, 5 changes each, as above), then the
  // same messages consumed into it. One run: filling it takes longer than the run. Then all of it read back.
  let grown: Run | undefined;
  let readBack: StoreFigures['readBack'];
  if (GROWN_STORE_EVENTS > 0) {
    const own = fresh();
    const ownStore = await own.open();
    const filler = new EventStoreSisChangeRecorder(ownStore);
    for (let filled = 0; filled < GROWN_STORE_EVENTS; filled += 100_000) {
      const slice = personChanges(Math.min(100_000, GROWN_STORE_EVENTS - filled) / 5, 5).map((c) => Buffer.from(c.value));
      await recordInLanes(filler, slice);
    }
    const threaded = new SisChangeRecorderThread(own.url);
    grown = await consumeAll({ ...first, groupId: `${first.groupId}-${kind}-grown` }, threaded);
    await threaded.close();
    console.log(`${name}: throughput into a store already holding ${GROWN_STORE_EVENTS} events: ${grown.rate} events/s; CPU ${grown.cpuMicros.toFixed(1)} µs/event`);
    readBack = await readAllBack(ownStore);
    console.log(`${name}: read back ${readBack.events} events in pages of ${READ_PAGE}: ${readBack.rate} events/s; CPU ${readBack.cpuMicros.toFixed(1)} µs/event`);
    await ownStore.close();
    await own.remove();
  }
  const recorderOnly = await recordDirectly(fresh, texts.map((text) => Buffer.from(text)));
  console.log(`${name}: recorder only: ${recorderOnly.rate} events/s (recorder on this thread, no Kafka, 2 batches in flight); CPU ${recorderOnly.cpuMicros.toFixed(1)} µs/event`);
  return { kind, runs, median, grown, readBack, recorderOnly };
}

/** The whole store in global order, as a projection rebuilding from scratch reads it. */
async function readAllBack(store: EventStore): Promise<NonNullable<StoreFigures['readBack']>> {
  const run = startRun();
  let events = 0;
  for (let after = 0n; ; ) {
    const page = await store.readAll({ after, limit: READ_PAGE });
    if (page.length === 0) break;
    events += page.length;
    after = page[page.length - 1]!.position;
  }
  const { rate, cpuMicros } = run.end(events);
  return { rate, events, cpuMicros };
}

// Where the time goes: the same messages through Kafka and the consumer loop alone (nothing validated or
// stored), and the recorder alone (no Kafka), batches of the size a fetch brings.
const transport = await consumeAll({ ...first, groupId: `${first.groupId}-transport` }, {
  record: async (inputs) => inputs.map(() => ({ status: 'recorded', stream: 'none' })),
});
const transportOnly = transport.rate;
console.log(`transport only: ${transportOnly} events/s (Kafka + consumer loop, no recorder); CPU ${transport.cpuMicros.toFixed(1)} µs/event`);
const recorderOnly = main.recorderOnly.rate;

// 3. Latency, on a second topic, the consumer already caught up and warmed up (a second of the same stream
// first, not counted: the recorder thread starting and compiling is not what a steady stream sees).
const second = await createTestTopics(PARTITIONS);
const latencies: number[] = [];
let warmUp = 0;
const recorder = new SisChangeRecorderThread(`sqlite:${temp.file}`);
const timing: SisChangeRecorder = {
  async record(inputs) {
    const outcomes = await recorder.record(inputs);
    const storedAt = Date.now();
    for (const input of inputs) {
      const sentAt = input.headers?.[SENT_AT];
      if (sentAt === undefined) warmUp += 1;
      else latencies.push(storedAt - Number(sentAt));
    }
    return outcomes;
  },
};
const live = await startKafkaIngestion({ brokers: TEST_BROKERS, ...second, recorder: timing, logger: silentLogger, tuning: TUNING });
const warmUpEvents = personChanges(LATENCY_RATE, 1);
await producer.send({ topic: second.topic, acks: -1, messages: warmUpEvents.map(({ key, value }) => ({ key, value })) });
await waitFor('the warm-up stored', () => warmUp >= warmUpEvents.length, 60_000);
const tick = 20;
const perTick = Math.max(1, Math.round((LATENCY_RATE * tick) / 1000));
const total = perTick * Math.round((LATENCY_SECONDS * 1000) / tick);
for (let sent = 0, next = performance.now(); sent < total; sent += perTick) {
  const batch = personChanges(perTick, 1);
  const sentAt = String(Date.now());
  await producer.send({ topic: second.topic, acks: -1, messages: batch.map(({ key, value }) => ({ key, value, headers: { [SENT_AT]: sentAt } })) });
  next += tick;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
}
await waitFor('the latency stream stored', () => latencies.length >= total, 120_000);
await live.stop();
await producer.disconnect();
await recorder.close();
await store.close();
temp.remove();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
console.log(`latency at ${LATENCY_RATE} events/s: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)} ms (${latencies.length} events)`);

writeSection([
  `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\` (scripts/bench/kafka-ingest.bench.ts), Node ${process.version}, Apache Kafka ${kafkaVersion()} (the test broker, same machine), kafkajs 2.2.4.`,
  `Machine: ${cpus().length} cores (\`nproc\`: ${sh('nproc')}), ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory; load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} when it finished (other work on the machine skews the figures).`,
  '',
  `Side by side, ${EVENTS} person events of ~${eventBytes} bytes on ${PARTITIONS} partitions, through the recorder thread into each store (CPU per event: this process, all threads):`,
  '',
  `| measure | ${figures.map((f) => STORE_KINDS[f.kind]!.name).join(' | ')} |`,
  `|---|${figures.map(() => '---|').join('')}`,
  `| ingest throughput, Kafka → store, from a standing start incl. group join (median of ${RUNS} runs) | ${figures.map((f) => `**${f.median.rate} events/s** (${f.runs.map((r) => r.rate).join(', ')}); ${f.median.cpuMicros.toFixed(0)} µs CPU`).join(' | ')} |`,
  ...(GROWN_STORE_EVENTS > 0 ? [
    `| same messages, into a store already holding ${GROWN_STORE_EVENTS.toLocaleString('en')} events (one run) | ${figures.map((f) => `**${f.grown!.rate} events/s**; ${f.grown!.cpuMicros.toFixed(0)} µs CPU`).join(' | ')} |`,
    `| reading that whole store back in global order (${figures.map((f) => f.readBack!.events.toLocaleString('en')).join(' / ')} events, pages of ${READ_PAGE.toLocaleString('en')}) | ${figures.map((f) => `**${f.readBack!.rate} events/s**; ${f.readBack!.cpuMicros.toFixed(0)} µs CPU`).join(' | ')} |`,
  ] : []),
  `| recorder + store only (no Kafka, recorder on the calling thread), batches of 1,500, two in flight | ${figures.map((f) => `${f.recorderOnly.rate} events/s; ${f.recorderOnly.cpuMicros.toFixed(0)} µs CPU`).join(' | ')} |`,
  '',
  `Targets (this 2-core machine): ingest at least ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')} events/s, read back at least ${TARGET_READ_PER_SECOND.toLocaleString('en')} events/s. ` +
    figures.map((f) => `${STORE_KINDS[f.kind]!.name}: ingest ${metOrNot(f.median.rate >= TARGET_EVENTS_PER_SECOND)}, into the grown store ${f.grown ? metOrNot(f.grown.rate >= TARGET_EVENTS_PER_SECOND) : 'not measured'}, read back ${f.readBack ? metOrNot(f.readBack.rate >= TARGET_READ_PER_SECOND) : 'not measured'}.`).join(' '),
  '',
  `Details of the ${STORE_KINDS[main.kind]!.name} run, and what Kafka and the consumer loop cost alone:`,
  '',
  '| measure | figure | CPU per event (this process, all threads) |',
  '|---|---|---|',
  `| same messages, Kafka + consumer loop only (recorder does nothing) | ${transportOnly} events/s | ${transport.cpuMicros.toFixed(0)} µs |`,
  `| host speed at the time: JSON.parse of one message, one thread (before / after the runs) | ${speedBefore.toFixed(2)} / ${speedAfter.toFixed(2)} µs | |`,
  `| produce-to-stored latency at a steady ${LATENCY_RATE} events/s, p50 | ${pct(50)} ms | |`,
  `| produce-to-stored latency, p99 | ${pct(99)} ms | |`,
  '',
  verdict(),
  '',
  ...(main.grown ? [
    `Into a grown ${STORE_KINDS[main.kind]!.name} store (${GROWN_STORE_EVENTS.toLocaleString('en')} events) it is ${main.grown.rate} events/s: once the indexes keyed by random ` +
      'UUIDs (stream; source and id) are much larger than a batch, each event dirties a page of each, written to the log at commit ' +
      'and again to the file at checkpoint.',
    '',
  ] : []),
  `What bounds it: this process spends ${cpuMicros.toFixed(0)} µs of CPU per event (main thread: Kafka decoding; recorder thread: ` +
    `validation, JSON; writer thread: SQLite; V8's GC helpers), so ${cpus().length} fully free cores could do at most ` +
    `${Math.round((cpus().length * 1e6) / cpuMicros)} events/s, before the broker and other work on the machine take their share.` +
    (machine ? ` During that run the machine's cores were ${percent(machine.busy)} busy (every process, the broker included) ` +
      `and ${percent(machine.idle)} idle, ${percent(machine.ioWait)} of the time waiting on the disk (each commit's fsync).` : ''),
  '',
  'Stored means validated, ordered per entity, de-duplicated on (source, id) and durable (one fsynced SQLite transaction per batch, or per group of batches that reached the writer thread together), before the offset commit. ' +
    `Tuning: ${tuningText()}. Three threads: Kafka on the main thread, validation and decisions on the recorder thread, SQLite appends on the store's writer thread.`,
]);

function tuningText(): string {
  const tuning = { ...DEFAULT_KAFKA_TUNING, ...TUNING };
  return `${tuning.partitionsConsumedConcurrently} partitions consumed at once, ${(tuning.maxBytesPerPartition / 2 ** 20).toFixed(0)} MiB per partition per fetch`;
}

interface Run {
  rate: number;
  /** CPU time of this whole process (every thread) per event: steadier than the rate on a shared machine. */
  cpuMicros: number;
  /** Share of the wall time the main thread's event loop was busy. */
  mainThreadBusy: number;
  /** How busy the whole machine's cores were meanwhile (Linux only). */
  machine: MachineCpu | undefined;
}

async function consumeAll(topics: typeof first, through: SisChangeRecorder): Promise<Run> {
  const run = startRun();
  const ingestion = await startKafkaIngestion({ brokers: TEST_BROKERS, ...topics, recorder: through, logger: silentLogger, tuning: TUNING });
  await waitFor(`${EVENTS} events consumed`, () => ingestion.stats().messages >= EVENTS, 600_000);
  const result = run.end(EVENTS);
  await ingestion.stop();
  return result;
}

async function recordDirectly(fresh: () => BenchStore, values: Buffer[]): Promise<Run> {
  const own = fresh();
  const ownStore = await own.open();
  const run = startRun();
  await recordInLanes(new EventStoreSisChangeRecorder(ownStore), values);
  const result = run.end(values.length);
  await ownStore.close();
  await own.remove();
  return result;
}

function metOrNot(met: boolean): string {
  return met ? 'met' : '**not met**';
}

/** Two lanes of 1,500-event batches, as two partitions consumed at once hand them over. */
async function recordInLanes(recorder: SisChangeRecorder, values: Buffer[]): Promise<void> {
  const receivedAt = new Date().toISOString();
  const lane = async (from: number, to: number) => {
    for (let i = from; i < to; i += 1500) {
      await recorder.record(values.slice(i, Math.min(i + 1500, to)).map((raw, j) => ({
        raw, channel: 'kafka' as const, headers: {}, kafka: { topic: 'bench', partition: from, offset: String(i + j) }, receivedAt,
      })));
    }
  };
  const half = Math.ceil(values.length / 2);
  await Promise.all([lane(0, half), lane(half, values.length)]);
}

function verdict(): string {
  const target = `Target (at least ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')} events/s on this 2-core machine):`;
  if (throughput >= TARGET_EVENTS_PER_SECOND) return `${target} met.`;
  const alone = Math.min(recorderOnly, transportOnly);
  const limit = alone < TARGET_EVENTS_PER_SECOND
    ? `The limit is ${recorderOnly < transportOnly ? 'the recorder + store' : 'Kafka and the consumer loop'}: ${alone} events/s on its own.`
    : `Each part alone is faster (Kafka and the consumer loop ${transportOnly}/s, the recorder + store ${recorderOnly}/s); ` +
      'together they share the two cores with each other and with the broker.';
  return `${target} **not met**. ${limit}`;
}

interface MachineCpu {
  busy: number;
  idle: number;
  ioWait: number;
}

/** Jiffies per state summed over all cores (Linux /proc/stat), or undefined elsewhere. */
function machineCpu(): number[] | undefined {
  try {
    return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return undefined;
  }
}

function machineCpuSince(before: number[] | undefined): MachineCpu | undefined {
  const after = machineCpu();
  if (!before || !after) return undefined;
  const [user, nice, system, idle, ioWait, irq, softIrq, steal] = after.map((jiffies, i) => jiffies - before[i]!);
  const total = user! + nice! + system! + idle! + ioWait! + irq! + softIrq! + steal!;
  return { busy: (total - idle! - ioWait!) / total, idle: (idle! + ioWait!) / total, ioWait: ioWait! / total };
}

/**
 * A yardstick for the figures above: this shared machine's speed varies by up to 2× from hour to hour, and
 * throughput follows it (CPU per event rises and falls with it on the same code).
 */
function hostSpeed(values: readonly string[]): number {
  const started = performance.now();
  for (const value of values) JSON.parse(value);
  return ((performance.now() - started) * 1000) / values.length;
}

function startRun(): { end(events: number): Run } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const machine = machineCpu();
  return {
    end(events) {
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      return {
        rate: Math.round(events / seconds),
        cpuMicros: (used.user + used.system) / events,
        mainThreadBusy: performance.eventLoopUtilization(loop).utilization,
        machine: machineCpuSince(machine),
      };
    },
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function writeSection(lines: string[]): void {
  // Another file for trial runs, so BENCHMARKS.md keeps the run we trust.
  const file = process.env['BENCH_RESULTS_FILE'] ?? 'BENCHMARKS.md';
  const start = '<!-- kafka-ingest:start -->';
  const end = '<!-- kafka-ingest:end -->';
  const section = `${start}\n## Kafka ingestion\n\n${lines.join('\n')}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const at = text.indexOf(start);
  const next = at >= 0 ? text.slice(0, at) + section + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  console.log(`figures written to ${file}`);
}

function kafkaVersion(): string {
  const jar = sh('ls .services/kafka/libs 2>/dev/null | grep "^kafka_2.13-"');
  return jar.replace(/^kafka_2\.13-(.*)\.jar$/, '$1') || 'unknown';
}

function sh(command: string): string {
  try {
    return execSync(command, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}
