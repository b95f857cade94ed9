import { fileURLToPath } from 'node:url';
import { type CliResult, runNodeScript } from './provsync-harness.js';

const MAIN = fileURLToPath(new URL('./crashing-sync.main.js', import.meta.url));

/** Runs `provsync sync …` through the test entry point that kills the process at `crashAt`. */
export function syncCrashingAt(crashAt: 'after-submit' | 'after-accept', args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runNodeScript(MAIN, ['sync', ...args], { ...env, PROVSYNC_FAULT_CRASH_AT: crashAt });
}
