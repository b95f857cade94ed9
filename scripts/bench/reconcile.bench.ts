/**
 * Reconcile benchmark (issue 13): Skolverket holds a large organiser (BENCHMARK_SCALE, loaded by one provsync
 * store); a fresh store ingests the same SIS export and runs `provsync reconcile --apply`. Measures its read calls
 * (list pages and person lookups), 429s, the elapsed time against the read-budget lower bound (calls at 10/s),
 * what it wrote (nothing is expected: nothing changed), its CPU time and peak RSS. Simulator with production limits
 * in this process; provsync as child processes. Writes its own section of BENCHMARKS.md (or of BENCH_OUTPUT).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCHMARK_SCALE, municipalityEvents, summarizeMunicipality } from '@provsync/sample-data';
import { type RequestLogEntry, startSimulator } from '@provsync/skolverket-sim';
import { simulatorEnvironment } from '../../apps/provsync/src/config/simulator-environment.js';
import { maxCallsInAnyWindow } from './call-windows.js';

const SCALE = process.env['BENCH_PUPILS'] ? { ...BENCHMARK_SCALE, pupils: Number(process.env['BENCH_PUPILS']) } : BENCHMARK_SCALE;
// BENCH_PROVSYNC_BIN runs another build's CLI (e.g. one compiled into .build/ while others use dist/).
const BIN = resolve(process.env['BENCH_PROVSYNC_BIN'] ?? 'bin/provsync.js');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const dir = mkdtempSync(join(tmpdir(), 'provsync-bench-reconcile-'));
const options = { seed: 2026, today: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date()), ...SCALE };
const summary = summarizeMunicipality(options);
const sim = await startSimulator({ dataDir: join(dir, 'sim'), jobDelayMs: 200, introspection: true });
const env = (store: string) => ({ ...process.env, ...simulatorEnvironment(sim), PROVSYNC_STORE: `sqlite:${join(dir, store)}` });

const file = join(dir, 'municipality.ndjson');
const out = createWriteStream(file);
for (const event of municipalityEvents(options)) if (!out.write(JSON.stringify(event) + '\n')) await once(out, 'drain');
out.end();
await once(out, 'finish');
console.log(`${summary.counts.events} SIS events: ${JSON.stringify(summary.expected)}`);

// Skolverket holds the organiser: loaded by another store, through the API.
let started = Date.now();
await run(['ingest', file], env('elsewhere.db'));
await run(['sync', '--until-idle'], env('elsewhere.db'));
console.log(`loaded Skolverket in ${((Date.now() - started) / 1000).toFixed(0)} s`);

// A fresh store with the same export adopts it.
await run(['ingest', file], env('fresh.db'));
sim.introspection!.clearRequests();
started = Date.now();
const measured = await run(['reconcile', '--apply', '--json'], env('fresh.db'));
const elapsedSeconds = (Date.now() - started) / 1000;
const log = sim.introspection!.requests().filter((r) => r.api === 'provisioning');
const report = JSON.parse(measured.stdout) as { reconcile: { readCalls: number }; objects: unknown[] };
await sim.stop();
rmSync(dir, { recursive: true, force: true });

const figures = readFigures(log);
const lowerBoundSeconds = figures.readCalls / 10;
const result = { ...figures, lowerBoundSeconds, elapsedSeconds, reportedReadCalls: report.reconcile.readCalls, toSend: report.objects.length, cpuSeconds: measured.cpuSeconds, peakRssMb: measured.peakRssMb };
console.log(JSON.stringify(result));
writeSection(result);

function readFigures(entries: RequestLogEntry[]) {
  const isRead = (r: RequestLogEntry) => (r.method === 'GET' && !r.path.includes('/bulk/jobs/')) || (r.method === 'POST' && r.path.endsWith('/lookup'));
  const reads = entries.filter((r) => isRead(r) && !r.path.endsWith('/alive'));
  const times = reads.map((r) => Date.parse(r.time));
  const lastAnswered = Math.max(...reads.map((r) => Date.parse(r.time) + r.durationMs));
  return {
    readCalls: reads.length,
    listCalls: reads.filter((r) => r.method === 'GET').length,
    lookupCalls: reads.filter((r) => r.method === 'POST').length,
    otherCalls: entries.length - reads.length - entries.filter((r) => r.path.endsWith('/alive')).length,
    tooMany429: entries.filter((r) => r.status === 429).length,
    busiestReadWindow: maxCallsInAnyWindow(times, 1_000),
    readingSeconds: (lastAnswered - Math.min(...times)) / 1000,
  };
}

/** Runs the CLI; its stdout, and its CPU time and peak RSS sampled from /proc while it runs. */
async function run(args: string[], childEnv: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  let cpuTicks = 0;
  let peakRssMb = 0;
  const sample = setInterval(() => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakRssMb = Math.max(peakRssMb, Math.round(kb / 1024));
    } catch {
      clearInterval(sample);
    }
  }, 100);
  const [code] = await once(child, 'exit');
  clearInterval(sample);
  if (code !== 0) throw new Error(`provsync ${args.join(' ')} exited with ${code}`);
  return { stdout, cpuSeconds: cpuTicks / TICKS_PER_SECOND, peakRssMb };
}

function writeSection(f: typeof result) {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const e = summary.expected;
  const ratio = (s: number) => (s / f.lowerBoundSeconds).toFixed(3);
  const section = `<!-- reconcile:start -->
## Reconcile: adopting an organiser Skolverket already holds

Measured ${new Date().toISOString().slice(0, 10)} with \`scripts/bench/reconcile.bench.ts\`, Node ${process.version}.
Machine: ${cpus().length} cores, ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB memory; load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} when it finished (other work on the machine skews the figures).
Simulator in the benchmark process with production limits (10 reads/s); Skolverket holds ${SCALE.pupils.toLocaleString('en')} pupils' organiser (${e.persons} persons,
${e.duties} duties, ${e.groups} groups, ${e.activities} activities), loaded through the API by another store; a fresh SQLite store ingests the same
export and runs \`provsync reconcile --apply --json\` (a child process).

| measure | figure |
|---|---|
| read calls: list pages + person lookups (1,000 ids each) | ${f.readCalls} = ${f.listCalls} + ${f.lookupCalls} (the command counted ${f.reportedReadCalls}) |
| other Provisioning calls (writes, job status) | **${f.otherCalls}** |
| objects sent (nothing changed) | **${f.toSend}** |
| 429 answers | **${f.tooMany429}** |
| most read calls in any one-second window | ${f.busiestReadWindow} |
| lower bound: ${f.readCalls} read calls at 10/s | ${f.lowerBoundSeconds.toFixed(1)} s |
| reading: first read call → last read answered | **${f.readingSeconds.toFixed(1)} s = ${ratio(f.readingSeconds)} × the lower bound** |
| elapsed, \`provsync reconcile --apply\` start → exit (projection built from the store included) | ${f.elapsedSeconds.toFixed(1)} s = ${ratio(f.elapsedSeconds)} × the lower bound |
| CPU time of the \`reconcile\` process (user + system, from /proc) | ${f.cpuSeconds.toFixed(1)} s |
| peak RSS of the \`reconcile\` process | ${f.peakRssMb} MB |

Targets: reading ≤ 1.10 × the lower bound ${f.readingSeconds <= 1.1 * f.lowerBoundSeconds ? 'met' : '**not met**'}, 0 × 429 ${f.tooMany429 === 0 ? 'met' : '**not met**'}.
Not measured here: the write path's rate while a reconcile runs beside it (\`serve\`); reads and writes have separate budgets in the client's pacer and at Skolverket.
<!-- reconcile:end -->`;
  const path = process.env['BENCH_OUTPUT'] ?? 'BENCHMARKS.md';
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const pattern = /<!-- reconcile:start -->[\s\S]*<!-- reconcile:end -->/;
  writeFileSync(path, pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`);
  console.log(section);
}
