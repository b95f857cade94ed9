/**
 * Where the recorder's time goes, without Kafka: CPU µs/event (process.cpuUsage, all threads) and wall
 * events/s for each stage on the benchmark's person events, batches of 1,500.
 *   node .build/provsync-kafka/scripts/bench/kafka-ingest-stages.bench.js
 */
import { parseSisInput } from '@provsync/domain';
import { EventStoreSisChangeRecorder } from '../../apps/provsync/src/recording/event-store-sis-change-recorder.js';
import { personChanges } from '../../apps/provsync/testing/kafka/sis-change-messages.js';
import { openTestStore, tempStoreFile } from '../../apps/provsync/testing/kafka/test-store.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 60_000);
const BATCH = 1500;

const values = personChanges(EVENTS / 5, 5).map((c) => Buffer.from(c.value));
const receivedAt = new Date().toISOString();
const inputs = values.map((raw, i) => ({
  raw, channel: 'kafka' as const, headers: {}, kafka: { topic: 'bench', partition: 0, offset: String(i) }, receivedAt,
}));

await measure('parseSisInput only', async () => {
  for (const input of inputs) parseSisInput(input.raw, input.headers);
});

await measure('recorder + SQLite store', async () => {
  const temp = tempStoreFile();
  const store = openTestStore(temp.file);
  const recorder = new EventStoreSisChangeRecorder(store);
  for (let i = 0; i < inputs.length; i += BATCH) await recorder.record(inputs.slice(i, i + BATCH));
  await store.close();
  temp.remove();
});

await measure('recorder + SQLite store, 2 batches in flight', async () => {
  const temp = tempStoreFile();
  const store = openTestStore(temp.file);
  const recorder = new EventStoreSisChangeRecorder(store);
  const half = Math.ceil(inputs.length / 2);
  const lane = async (from: number, to: number) => {
    for (let i = from; i < to; i += BATCH) await recorder.record(inputs.slice(i, Math.min(i + BATCH, to)));
  };
  await Promise.all([lane(0, half), lane(half, inputs.length)]);
  await store.close();
  temp.remove();
});

async function measure(what: string, run: () => Promise<void>): Promise<void> {
  await run(); // warm-up
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuMicros = (used.user + used.system) / inputs.length;
  console.log(`${what}: ${Math.round(inputs.length / wall)} events/s, CPU ${cpuMicros.toFixed(1)} µs/event (user ${(used.user / inputs.length).toFixed(1)}, system ${(used.system / inputs.length).toFixed(1)})`);
}
