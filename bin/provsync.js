#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/apps/provsync/src/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('provsync is not built yet: run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
