import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliResult } from './provsync-harness.js';

const MAIN = fileURLToPath(new URL('./crashing-sync.main.js', import.meta.url));

/** Runs `provsync sync …` through the test entry point that kills the process at `crashAt`. */
export function syncCrashingAt(crashAt: 'after-submit' | 'after-accept', args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN, 'sync', ...args], { env: { ...env, PROVSYNC_FAULT_CRASH_AT: crashAt }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}
