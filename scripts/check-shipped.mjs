// Fails when a shipped build holds test support: specs, or anything compiled from a testing/ or test/ folder
// (tsc compiles every file the shipped sources import, whatever tsconfig.build.json's include says).
//   node scripts/check-shipped.mjs [DIR]     (DIR defaults to dist; build.mjs runs it after the shipped build)
import { readdirSync } from 'node:fs';

const dir = process.argv[2] ?? 'dist';
const TEST_SUPPORT = /(\.spec\.js$|(^|\/)(testing|test)\/)/;
const leaked = readdirSync(dir, { recursive: true }).map(String).filter((path) => TEST_SUPPORT.test(path));
if (leaked.length) {
  console.error(`The shipped build (${dir}/) holds test support; something in apps/*/src or libs/*/src imports it (${leaked.length} files):\n  ${leaked.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
