import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type CliResult, runNodeScript } from './provsync-harness.js';

/** The build under test's entry point (bin/provsync.js runs dist/, which another build may be rewriting). */
const MAIN = fileURLToPath(new URL('../../apps/provsync/src/main.js', import.meta.url));

/** Writes a launcher for the build under test (a file: worker threads inherit node's flags such as --input-type). */
export function auditLauncher(dir: string): string {
  const file = join(dir, 'provsync-under-test.mjs');
  writeFileSync(file, `const { main } = await import(${JSON.stringify(pathToFileURL(MAIN).href)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return file;
}

/** Runs the CLI of the build under test as a child process. */
export function runCli(launcher: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runNodeScript(launcher, args, env);
}
