/**
 * Audit index benchmark (issue 11): fills a store with the sample municipality (BENCH_PUPILS, default 150,000) and
 * the open-data reference data from the simulator, then measures
 *   - `provsync replay` of the audit index: events/s, on SQLite and on PostgreSQL (its own schema, dropped after);
 *   - `provsync history <pupil>` as a child process once the index has caught up: wall time, start-up included.
 * The sync's own events are not included: a sync of 150,000 pupils takes about ten minutes at Skolverket's limits.
 * BENCH_STORES=sqlite,postgres (the default) chooses the stores. Writes its own section of BENCHMARKS.md (or BENCH_OUTPUT).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { copyStore, type EventStore, openEventStore } from '@provsync/event-store';
import { replayModel } from '@provsync/read-models';
import { openReadModelStorage } from '@provsync/read-models';
import { BENCHMARK_SCALE, municipalityEvents, SAMPLE_ORGANISER } from '@provsync/sample-data';
import { loadReferenceData, OpenDataClient } from '@provsync/skolverket-client';
import { startSimulator } from '@provsync/skolverket-sim';
import { AuditIndexModel } from '../../apps/provsync/src/audit/audit-index.model.js';
import { ReferenceDataStore } from '../../apps/provsync/src/desired-state/reference-data-store.js';
import { EventStoreSisChangeRecorder } from '../../apps/provsync/src/recording/event-store-sis-change-recorder.js';

const PUPILS = Number(process.env['BENCH_PUPILS'] ?? 150_000);
const STORES = (process.env['BENCH_STORES'] ?? 'sqlite,postgres').split(',').filter(Boolean);
const PG_URL = process.env['PROVSYNC_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MAIN = resolve(new URL('../../apps/provsync/src/main.js', import.meta.url).pathname);
const BATCH = 1_000;

const dir = mkdtempSync(join(tmpdir(), 'provsync-bench-replay-'));
const sqliteUrl = `sqlite:${join(dir, 'provsync.db')}`;
const options = { ...BENCHMARK_SCALE, seed: 2026, today: stockholmToday(), pupils: PUPILS };

interface Figures {
  store: string;
  events: number;
  replaySeconds: number;
  historyMs: number[];
  historyEntries: number;
}
const results: Figures[] = [];
let pupilId = '';

const schema = `bench_replay_${randomBytes(4).toString('hex')}`;
const pgUrl = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
try {
  const events = await fillSqlite();
  // Copied before any measurement: history's access records would otherwise reach one store and not the other.
  if (STORES.includes('postgres')) {
    const source = await openEventStore(sqliteUrl);
    const target = await openEventStore(pgUrl);
    const started = Date.now();
    await copyStore(source, target, { pageSize: 5_000 });
    console.log(`copied to PostgreSQL in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await source.close();
    await target.close();
  }
  for (const kind of STORES) {
    if (kind === 'sqlite') results.push(await measure('SQLite', sqliteUrl, events));
    else if (kind === 'postgres') results.push(await measure('PostgreSQL', pgUrl, events));
    else throw new Error(`BENCH_STORES: unknown store ${kind}`);
  }
  writeSection(results);
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (STORES.includes('postgres')) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

/** The municipality recorded as `provsync ingest` would, a batch at a time, after the reference data the sync reads first. */
async function fillSqlite(): Promise<number> {
  const store = await openEventStore(sqliteUrl);
  const sim = await startSimulator({ dataDir: join(dir, 'sim'), jobDelayMs: 0 });
  try {
    const openData = new OpenDataClient(sim.openDataUrl, { ca: readFileSync(sim.ca, 'utf8') });
    await new ReferenceDataStore(store).remember(await loadReferenceData(openData, SAMPLE_ORGANISER.organisationNumber, new Date()));
    await openData.close();
    const recorder = new EventStoreSisChangeRecorder(store);
    const started = Date.now();
    let batch: { raw: object; channel: 'file'; receivedAt: string; file: { name: string; line: number } }[] = [];
    let line = 0;
    for (const event of municipalityEvents(options)) {
      batch.push({ raw: event, channel: 'file', receivedAt: new Date().toISOString(), file: { name: 'municipality.ndjson', line: ++line } });
      if (event.type === 'se.ss12000.person.upserted' && !pupilId && (event.data as { enrolments?: unknown[] }).enrolments?.length) pupilId = event.subject;
      if (batch.length === BATCH) {
        await recorder.record(batch);
        batch = [];
      }
    }
    if (batch.length) await recorder.record(batch);
    const count = await store.count();
    console.log(`${line} SIS events recorded (${count} in the store) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return count;
  } finally {
    await sim.stop();
    await store.close();
  }
}

async function measure(name: string, url: string, events: number): Promise<Figures> {
  const store: EventStore = await openEventStore(url);
  const storage = await openReadModelStorage(url);
  let replaySeconds: number;
  try {
    const started = process.hrtime.bigint();
    await replayModel(store, storage, new AuditIndexModel(store));
    replaySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await storage.close();
    await store.close();
  }
  console.log(`${name}: replay of ${events} events in ${replaySeconds.toFixed(1)} s = ${Math.round(events / replaySeconds)} events/s`);
  // `provsync history` as a child process, three times: each answer records an access the next one catches up.
  const historyMs: number[] = [];
  let historyEntries = 0;
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [launcher(), 'history', pupilId, '--json'], {
      env: { ...process.env, PROVSYNC_STORE: url },
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    historyMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (child.status !== 0) throw new Error(`provsync history exited with ${child.status}: ${child.stderr}`);
    historyEntries = (JSON.parse(child.stdout) as { entries: unknown[] }).entries.length;
  }
  console.log(`${name}: history of one pupil (${historyEntries} entries) in ${historyMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  return { store: name, events, replaySeconds, historyMs, historyEntries };
}

/** bin/provsync.js runs dist/; this runs the benchmark's own build the same way. */
function launcher(): string {
  const file = join(dir, 'provsync.mjs');
  writeFileSync(file, `const { main } = await import(${JSON.stringify(pathToFileURL(MAIN).href)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return file;
}

function writeSection(figures: Figures[]) {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const rows = figures
    .map((f) => {
      const rate = f.events / f.replaySeconds;
      return `| ${f.store} | ${f.events.toLocaleString('en')} | ${f.replaySeconds.toFixed(1)} s | **${Math.round(rate).toLocaleString('en')}** ${rate >= 100_000 ? 'met' : '**not met**'} | ${f.historyMs.map((ms) => ms.toFixed(0)).join(' / ')} ms (${f.historyEntries} entries) ${Math.max(...f.historyMs) < 1_000 ? 'met' : '**not met**'} |`;
    })
    .join('\n');
  const section = `<!-- audit-replay:start -->
## Audit index: replay and history

Measured ${new Date().toISOString().slice(0, 10)} with \`BENCH_PUPILS=${PUPILS} bash scripts/bench/replay.sh\` (part of \`npm run bench\`; \`scripts/bench/replay.bench.ts\`), Node ${process.version}.
Machine: ${cpus().length} cores, ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB memory; load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} when it finished (the machine is shared: other work skews the figures).
The store holds the sample municipality of ${PUPILS.toLocaleString('en')} pupils recorded as \`provsync ingest\` records it, and the
open-data reference data read from the simulator (so the desired-state projection runs beside the index); no sync events
(a sync at this scale takes about ten minutes at Skolverket's limits). PostgreSQL: the same events copied with \`copyStore\` into a schema of its own.
Replay: \`replayModel\` of the audit index from the first event into a fresh generation, then taking over.
History: \`provsync history <pupil> --json\` as a child process, three runs (start-up, catching up the previous run's access record, the query, recording the access).

| store | events | replay | replay events/s (target ≥ 100,000) | history, three runs (target < 1 s) |
|---|---|---|---|---|
${rows}

What bounds replay (profile of a 10,000-pupil replay on SQLite, \`node --cpu-prof\`, 2026-12-04): about 1 ms of one core per
event, of which roughly a third is SQLite writing the rows (4-5 rows and 3-4 lookup terms per event, each an index insert;
then COMMIT and WAL checkpoints), an eighth garbage collection, and the rest the audit model's own work (field diffs, whom a
change concerns) and the desired-state projection run change by change with a comparison of every touched object's body.
100,000 events/s would leave 10 µs per event: less than the eight or so index inserts of an event take, and less than the projection
alone costs per change (\`sync\` rebuilds it at roughly 20,000 events/s). Reaching it would take a different design, not
tuning: no per-change projection during a replay (desired-state entries computed per object, not per change), far fewer rows
per event, and pages projected in parallel. Tuning so far: rows read and written cached per run (an empty generation answered
without reads), 2,000 events per replay commit (409 -> about 2,000 events/s at 10,000 pupils on SQLite; 339 -> 498 on PostgreSQL).
<!-- audit-replay:end -->`;
  const path = process.env['BENCH_OUTPUT'] ?? 'BENCHMARKS.md';
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const pattern = /<!-- audit-replay:start -->[\s\S]*<!-- audit-replay:end -->/;
  writeFileSync(path, pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`);
  console.log(section);
}

function stockholmToday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}
