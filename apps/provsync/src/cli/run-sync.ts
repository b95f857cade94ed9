import { skolverketSettings } from '../config/config.js';
import { openSyncRuntime } from '../sync/sync-runtime.js';
import { openCoreContext } from './context.js';
import { progressPrinter } from './progress-printer.js';

export async function runSync(args: string[]): Promise<number> {
  const untilIdle = args.includes('--until-idle');
  const settings = skolverketSettings();
  const context = await openCoreContext();
  const crashAt = process.env.PROVSYNC_FAULT_CRASH_AT as 'after-submit' | 'after-accept' | undefined;
  const runtime = await openSyncRuntime(context.store, settings, { onProgress: progressPrinter(), crashAt, pollIntervalMs: pollInterval() });
  let stopping = false;
  const stop = () => (stopping = true);
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    if (untilIdle) await runtime.sync.runUntilIdle(() => stopping);
    else await runtime.sync.run(() => stopping);
    return 0;
  } finally {
    await runtime.close();
    await context.close();
  }
}

const pollInterval = () => Number(process.env.PROVSYNC_SYNC_INTERVAL_MS ?? 200);
