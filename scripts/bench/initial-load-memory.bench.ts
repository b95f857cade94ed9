/**
 * Where the sync's memory goes at benchmark scale, stage by stage (run with --expose-gc):
 *   the recorded municipality → the desired-state projection and its live map → the worklist → the sync
 *   state once Skolverket acknowledged everything. Prints heap used and RSS after each stage (after a GC).
 * Times each stage too (GC excluded). BENCH_STORE=<sqlite file> reuses a store already holding the municipality (recorded here otherwise).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DesiredItem, evolveSync, initialSyncState, refKey, SyncWorklist } from '@provsync/domain';
import { openEventStore } from '@provsync/event-store';
import { BENCHMARK_SCALE, municipalityEvents } from '@provsync/sample-data';
import { SkolverketClient } from '@provsync/skolverket-client';
import { startSimulator } from '@provsync/skolverket-sim';
import { skolverketSettings } from '../../apps/provsync/src/config/config.js';
import { simulatorEnvironment } from '../../apps/provsync/src/config/simulator-environment.js';
import { DesiredStateHost } from '../../apps/provsync/src/desired-state/desired-state-host.js';
import { EventStoreSisChangeRecorder } from '../../apps/provsync/src/recording/event-store-sis-change-recorder.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const SCALE = process.env['BENCH_PUPILS'] ? { ...BENCHMARK_SCALE, pupils: Number(process.env['BENCH_PUPILS']) } : BENCHMARK_SCALE;
const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const dir = mkdtempSync(join(tmpdir(), 'provsync-bench-memory-'));
const storePath = process.env['BENCH_STORE'] ?? join(dir, 'provsync.db');
const sim = await startSimulator({ dataDir: join(dir, 'sim'), jobDelayMs: 0 });
const store = await openEventStore(`sqlite:${storePath}`);

if (!process.env['BENCH_STORE']) {
  const recorder = new EventStoreSisChangeRecorder(store);
  let page: object[] = [];
  const flush = async () => {
    await recorder.record(page.map((raw) => ({ raw, channel: 'file' as const, receivedAt: new Date().toISOString() })));
    page = [];
  };
  for (const event of municipalityEvents({ seed: 2026, today, ...SCALE })) {
    page.push(event);
    if (page.length === 1_500) await flush();
  }
  await flush();
  console.log(`recorded in ${storePath}`);
}

const client = new SkolverketClient(skolverketSettings(simulatorEnvironment(sim)));
const reference = await client.loadReferenceData(sim.organisationNumber, new Date());
await client.close();

let last = measure();
let lastAt = performance.now();
report('start (store open, reference read)');
const host = new DesiredStateHost(store, reference);
await host.catchUp();
report('projection built from the store');
const live = host.liveDesired();
report(`live desired map (${live.size} objects)`);
const state = initialSyncState();
const worklist = new SyncWorklist(live, state);
worklist.hasReady(Date.now());
report('worklist judged every object');

// Every object sent and acknowledged, 400 at a time, as the sync's events would say.
const keys = [...live.keys()];
for (let i = 0, n = 0; i < keys.length; i += 400, n++) {
  const chunk = keys.slice(i, i + 400).map((key) => live.get(key)!);
  const byType = new Map<DesiredItem['type'], DesiredItem[]>();
  for (const item of chunk) byType.set(item.type, [...(byType.get(item.type) ?? []), item]);
  for (const [objectType, items] of byType) {
    const batchId = `b${n}-${objectType}`;
    const batchItems = items.map(({ id, hash, refs }) => ({ id, hash, refs }));
    evolveSync(state, { type: 'BatchSubmissionStarted', data: { batchId, objectType, operation: 'upsert', items: batchItems, body: [], at: '' } });
    evolveSync(state, { type: 'JobResultsRecorded', data: { batchId, jobId: batchId, results: [], at: '' } });
    worklist.stateChanged(items.map((item) => refKey(item)));
  }
}
worklist.hasReady(Date.now());
report(`sync state: ${state.acknowledged.size} acknowledged`);

await store.close();
await sim.stop();

function measure() {
  gc!();
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, arrayBuffers, rss };
}

function report(stage: string) {
  const seconds = ((performance.now() - lastAt) / 1000).toFixed(1);
  const now = measure();
  const mb = (b: number) => (b / 2 ** 20).toFixed(0).padStart(5);
  const buffers = `${mb(now.arrayBuffers)} MB array buffers (+${mb(now.arrayBuffers - last.arrayBuffers)})`;
  console.log(`${mb(now.heapUsed)} MB heap (+${mb(now.heapUsed - last.heapUsed)}), ${buffers}, ${mb(now.rss)} MB RSS, ${seconds.padStart(5)} s  ${stage}`);
  last = now;
  lastAt = performance.now();
}
