// Compiles with tsc, then rewrites the @provsync/* path aliases to relative imports.
//   node scripts/build.mjs                  what ships (tsconfig.build.json: apps/*/src and libs/*/src without
//                                           specs) into dist/, cleaned first; bin/provsync.js runs it
//   node scripts/build.mjs tsconfig.json    everything, tests and test support too, into .build/test/ (cleaned
//                                           first): what npm test runs
//   node scripts/build.mjs <tsconfig.json>  one project, into the outDir its tsconfig names (not cleaned)
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const SHIPPED = 'tsconfig.build.json';
const CLEANED = { [SHIPPED]: 'dist', 'tsconfig.json': '.build/test' };

const project = process.argv[2] ?? SHIPPED;
const run = (bin, args) => execFileSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
if (CLEANED[project]) rmSync(CLEANED[project], { recursive: true, force: true });
try {
  run('scripts/check-layers.mjs', []);
  run('node_modules/typescript/bin/tsc', ['-p', project]);
  run('node_modules/tsc-alias/dist/bin/index.js', ['-p', project, '--resolve-full-paths']);
  if (project === SHIPPED) run('scripts/check-shipped.mjs', ['dist']);
} catch {
  process.exit(1);
}
