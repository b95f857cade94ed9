// Runs as part of every build, so a broken layer fails the build:
// 1. the dependency rules (dependency-cruiser, scripts/dependency-rules.cjs): the pure core (libs/domain,
//    libs/sample-data) imports no framework or I/O, libs never import apps, shipped code (apps/*/src, libs/*/src)
//    never loads test support, directly or from an app's main.ts. scripts/dependency-known-violations.json
//    (empty today) may list a violation accepted for a while: a new one fails, and so does a listed one that
//    has gone, until it is taken out of the list.
// 2. the pure core never reads the clock: time arrives as a parameter. (Not a dependency, so checked here.)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const KNOWN = 'scripts/dependency-known-violations.json';
const cruise = spawnSync(
  process.execPath,
  ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--config', 'scripts/dependency-rules.cjs', '--output-type', 'json', 'apps', 'libs'],
  { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
);
if (cruise.error || (cruise.status !== 0 && !cruise.stdout)) {
  console.error(`The dependency check could not run: ${cruise.error?.message ?? cruise.stderr}`);
  process.exit(1);
}
const key = (v) => `${v.rule.name}: ${v.from} → ${v.to}`;
const found = JSON.parse(cruise.stdout).summary.violations.map(key);
const known = JSON.parse(readFileSync(KNOWN, 'utf8')).map(key);
const problems = [
  ...found.filter((v) => !known.includes(v)),
  ...known.filter((v) => !found.includes(v)).map((v) => `${v} is fixed: take it out of ${KNOWN}`),
];

const CLOCK = /\bDate\.now\(|new Date\(\s*\)/;
const SPEC = /\.spec\.ts$/;
function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}
for (const file of ['libs/domain/src', 'libs/sample-data/src'].flatMap((dir) => [...sources(dir)])) {
  if (!SPEC.test(file) && CLOCK.test(readFileSync(file, 'utf8'))) problems.push(`${file}: reads the clock (time must arrive as a parameter)`);
}

if (problems.length) {
  console.error(`Layer check failed (scripts/check-layers.mjs):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
