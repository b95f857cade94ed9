// The pure core stays pure: libs/domain and libs/sample-data may import only these packages, and never read
// the clock. Runs as part of every build, so a framework or I/O import there fails the build.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PURE_LIBS = ['libs/domain/src', 'libs/sample-data/src'];
// node:test and node:assert serve the tests and their helpers; they do no I/O.
const ALLOWED = new Set(['zod', 'node:crypto', '@provsync/skolverket-api', '@provsync/domain', 'node:test', 'node:assert/strict', 'node:assert']);
const CLOCK = /\bDate\.now\(|new Date\(\s*\)/;

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const problems = [];
for (const file of PURE_LIBS.flatMap((dir) => [...sources(dir)])) {
  const text = readFileSync(file, 'utf8');
  const isTest = file.endsWith('.spec.ts');
  for (const [, name] of text.matchAll(/(?:from|import)\s*\(?\s*'([^'.][^']*)'/g)) {
    if (!ALLOWED.has(name)) problems.push(`${file}: imports ${name}`);
  }
  if (!isTest && CLOCK.test(text)) problems.push(`${file}: reads the clock (time must arrive as a parameter)`);
}
if (problems.length) {
  console.error(`The pure core must not import frameworks or I/O, nor read the clock:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
