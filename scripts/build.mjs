// Compiles with tsc, then rewrites the @provsync/* path aliases to relative imports.
//   node scripts/build.mjs                 the whole monorepo into dist/ (cleaned first)
//   node scripts/build.mjs <tsconfig.json> one project, into the outDir its tsconfig names (not cleaned)
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const project = process.argv[2] ?? 'tsconfig.json';
const run = (bin, args) => execFileSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
if (project === 'tsconfig.json') rmSync('dist', { recursive: true, force: true });
try {
  run('scripts/check-layers.mjs', []);
  run('node_modules/typescript/bin/tsc', ['-p', project]);
  run('node_modules/tsc-alias/dist/bin/index.js', ['-p', project, '--resolve-full-paths']);
} catch {
  process.exit(1);
}
