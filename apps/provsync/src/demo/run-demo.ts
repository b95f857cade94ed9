import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateMunicipality } from '@provsync/sample-data';
import { startSimulator } from '@provsync/skolverket-sim';
import { stockholmDate } from '../clock.js';
import { skolverketSettings } from '../config/config.js';
import { simulatorEnvironment } from '../config/simulator-environment.js';
import { openCoreContext } from '../cli/context.js';
import { ingestNdjson } from '../cli/ingest.command.js';
import { progressPrinter } from '../cli/progress-printer.js';
import { readStatus } from '../cli/status.command.js';
import { openSyncRuntime } from '../sync/sync-runtime.js';
import { syncReport } from './sync-report.js';

/**
 * `provsync demo`: the whole flow on the embedded default against the bundled simulator, with production
 * limits. Starts afresh each time (a new store under ./data/demo); the simulator keeps its TLS material.
 */
export async function runDemo(args: string[]): Promise<number> {
  const pupils = Number(option(args, '--pupils') ?? 2000);
  const dataDir = resolve(option(args, '--data-dir') ?? './data/demo');
  rmSync(join(dataDir, 'provsync.db'), { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(join(dataDir, `provsync.db${suffix}`), { force: true });
  mkdirSync(dataDir, { recursive: true });

  step('Starting the Skolverket simulator (production rate limits, 1 s job delay)');
  const sim = await startSimulator({ dataDir: join(dataDir, 'sim'), jobDelayMs: Number(option(args, '--job-delay-ms') ?? 1000) });
  Object.assign(process.env, { PROVSYNC_STORE: `sqlite:${join(dataDir, 'provsync.db')}`, ...simulatorEnvironment(sim) });
  const context = await openCoreContext();
  try {
    step(`Generating a sample municipality (3 schools, ${pupils} pupils)`);
    const municipality = generateMunicipality({ seed: 2026, today: stockholmDate(new Date()), pupils });
    const file = join(dataDir, 'municipality.ndjson');
    writeFileSync(file, municipality.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const { counts, expected } = municipality.summary;
    console.log(`  ${counts.events} SIS events: ${counts.pupils} pupils, ${counts.staff} staff, ${counts.groups} groups, ${counts.activities} activities → ${file}`);

    step('Ingesting into the event store');
    const ingested = await ingestNdjson(context, file, (line) => console.error(`  ${line}`));
    console.log(`  recorded ${ingested.recorded}, rejected ${ingested.rejected}, duplicates ${ingested.duplicate}`);

    step('Syncing to Skolverket (Person → Duty → Group → Activity)');
    const runtime = await openSyncRuntime(context.store, skolverketSettings(), {
      onProgress: progressPrinter((line) => console.log(`  ${line}`)),
      pollIntervalMs: 250,
    });
    const started = Date.now();
    await runtime.sync.runUntilIdle();
    const elapsed = (Date.now() - started) / 1000;
    const calls = runtime.client.stats();
    await runtime.close();

    step(`Report (sync took ${elapsed.toFixed(1)} s)`);
    const report = await syncReport(context.store);
    const { report: status } = await readStatus(context.store);
    console.log('  type        expected      sent  accepted  warnings  errors  at Skolverket');
    let allAccepted = true;
    for (const [type, plural] of [['person', 'persons'], ['duty', 'duties'], ['group', 'groups'], ['activity', 'activities']] as const) {
      const r = report.byType[type];
      const held = status.entities[type].acknowledged;
      allAccepted &&= held === expected[plural] && status.entities[type].parked === 0 && status.entities[type].pending === 0;
      console.log(`  ${type.padEnd(9)} ${pad(expected[plural], 9)} ${pad(r.sent, 9)} ${pad(r.accepted, 9)} ${pad(r.warnings, 9)} ${pad(r.errors, 7)} ${pad(held, 14)}`);
    }
    for (const m of report.messages) console.log(`  ${m.status} ×${m.count} on ${m.type}: ${m.message}`);
    console.log(`  Skolverket calls: ${JSON.stringify(calls)}`);
    console.log(allAccepted ? '\n✓ Every expected object was accepted by Skolverket.' : '\n✗ Not every expected object was accepted: see above, and `provsync explain <id>`.');
    return allAccepted ? 0 : 1;
  } finally {
    await context.close();
    await sim.stop();
  }
}

const step = (text: string) => console.log(`\n▶ ${text}`);
const pad = (n: number, width: number) => String(n).padStart(width);
function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
