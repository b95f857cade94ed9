/**
 * Soak: the sync's model-based test (test/support/sync-model.ts) for as long as SOAK_MINUTES (default 30),
 * then its figures: cases, rounds, crashes, faults met, objects re-sent. A failing case prints fast-check's
 * seed and path; replay it with SOAK_SEED=<seed> SOAK_PATH=<path> (or in the int spec, SYNC_MODEL_SEED/PATH).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { modelCase, type ModelStats, runModelCase } from '../../test/support/sync-model.js';

const minutes = Number(process.env['SOAK_MINUTES'] ?? 30);
const seed = Number(process.env['SOAK_SEED'] ?? Date.now() % 2 ** 31);
const tlsDir = mkdtempSync(join(tmpdir(), 'provsync-soak-tls-'));
const total = { cases: 0, rounds: 0, crashes: 0, sends: 0, resent: 0, status413: 0, status429: 0, status503: 0, status403: 0, temporaryErrors: 0 };
const started = Date.now();

function add(stats: ModelStats): void {
  total.cases++;
  total.rounds += stats.rounds;
  total.crashes += stats.crashes;
  total.sends += stats.sends;
  total.resent += stats.resent;
  for (const [kind, n] of Object.entries(stats.faults)) total[kind as keyof ModelStats['faults']] += n;
  if (total.cases % 10 === 0) console.log(`${((Date.now() - started) / 60_000).toFixed(1)} min: ${JSON.stringify(total)}`);
}

console.log(`sync model soak: ${minutes} min, seed ${seed}`);
const result = await fc.check(
  fc.asyncProperty(modelCase, async (c) => add(await runModelCase(c, tlsDir))),
  { seed, path: process.env['SOAK_PATH'], numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: minutes * 60_000, markInterruptAsFailure: false, endOnFailure: true },
);
const elapsed = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`after ${elapsed} min: ${JSON.stringify(total)}`);
if (result.failed) {
  console.error(fc.defaultReportMessage(result));
  console.error(result.errorInstance);
  console.error(`replay: SOAK_SEED=${result.seed} SOAK_PATH=${result.counterexamplePath} npm run soak:sync`);
  process.exit(1);
}
console.log(`passed: ${result.numRuns} cases, none broke the model`);
