// Runs the compiled tests with node's test runner (Node 20's runner takes no glob patterns, so the
// files are found here by their tier suffix):
//   node scripts/run-tests.mjs [--dir DIR] [unit|int|e2e ...]     (DIR defaults to .build/test, npm test's build)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dirFlag = args.indexOf('--dir');
const dir = dirFlag >= 0 ? args.splice(dirFlag, 2)[1] : '.build/test';
const tiers = args.length ? args : ['unit', 'int', 'e2e'];
const suffixes = tiers.map((tier) => `.${tier}.spec.js`);

function* walk(path) {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* walk(child);
    else if (entry.isFile()) yield child;
  }
}

const files = existsSync(dir) ? [...walk(dir)].filter((f) => suffixes.some((s) => f.endsWith(s))).sort() : [];
if (files.length === 0) {
  console.error(`no test files for tiers ${tiers.join(', ')} under ${dir}/`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
