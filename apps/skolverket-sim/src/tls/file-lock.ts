import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `work` while holding a lock file, so that simulators started at once on the same data folder do not
 * write their TLS material over each other. A lock older than `staleMs` is taken to be left by a dead process.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, timeoutMs = 20_000, staleMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = lockAge(path);
      if (age !== undefined && age > staleMs) rmSync(path, { force: true });
      else if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${path}; remove it if no simulator is starting`);
      else await sleep(25);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}

function lockAge(path: string): number | undefined {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
