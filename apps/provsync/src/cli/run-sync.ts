import type { SyncEvent } from '@provsync/domain';
import { loadConfig, type ProvsyncConfig, requireSkolverket } from '../config/config.js';
import type { ProvisioningCalls } from '../sync/provisioning-calls.js';
import { openSyncRuntime } from '../sync/sync-runtime.js';
import { openCoreContext } from './context.js';
import { progressPrinter } from './progress-printer.js';

/** Seams for tests that run the real command (e.g. one that crashes at a chosen point): none in production. */
export interface SyncHooks {
  wrapCalls?: (calls: ProvisioningCalls) => ProvisioningCalls;
  onProgress?: (event: SyncEvent) => void;
}

export async function runSync(args: string[], config: ProvsyncConfig = loadConfig(), hooks: SyncHooks = {}): Promise<number> {
  const untilIdle = args.includes('--until-idle');
  const settings = requireSkolverket(config);
  const context = await openCoreContext(config);
  const printer = progressPrinter();
  const onProgress = (event: SyncEvent) => {
    printer(event);
    hooks.onProgress?.(event);
  };
  const runtime = await openSyncRuntime(context.store, settings, { onProgress, pollIntervalMs: config.sync.intervalMs, wrapCalls: hooks.wrapCalls });
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
