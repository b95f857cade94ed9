import type { SyncEvent } from '@provsync/domain';
import { loadConfig, type ProvsyncConfig, requireSkolverket } from '../config/config.js';
import type { ProvisioningCalls } from '../sync/provisioning-calls.js';
import { SqliteSyncLease } from '@provsync/event-store';
import { openReadModelStorage } from '@provsync/read-models';
import { openSyncRuntime, syncLeaseFor, whileLeading } from '../sync/sync-runtime.js';
import { openCoreContext } from './context.js';
import { progressPrinter } from './progress-printer.js';
import { sayWhatIsHeld } from './run-holds.js';

/** EX_TEMPFAIL: another process syncs this embedded store; try again when it has stopped. */
export const EXIT_ANOTHER_SYNCING = 75;

/** Seams for tests that run the real command (e.g. one that crashes at a chosen point): none in production. */
export interface SyncHooks {
  wrapCalls?: (calls: ProvisioningCalls) => ProvisioningCalls;
  onProgress?: (event: SyncEvent) => void;
}

export async function runSync(args: string[], config: ProvsyncConfig = loadConfig(), hooks: SyncHooks = {}): Promise<number> {
  const untilIdle = args.includes('--until-idle');
  const settings = requireSkolverket(config);
  const lease = syncLeaseFor(config.store);
  // The embedded store syncs from one process: a second one says so and leaves rather than waiting unseen.
  const single = lease instanceof SqliteSyncLease ? lease.tryAcquire() : undefined;
  if (lease instanceof SqliteSyncLease && !single) {
    const holder = lease.holder();
    const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.since}` : 'another process';
    process.stderr.write(`provsync: ${who} is syncing this store; the embedded SQLite store syncs from one process at a time (stop it, or use PostgreSQL for several instances)\n`);
    return EXIT_ANOTHER_SYNCING;
  }
  const context = await openCoreContext(config);
  const printer = progressPrinter();
  const onProgress = (event: SyncEvent) => {
    printer(event);
    hooks.onProgress?.(event);
  };
  const runtime = await openSyncRuntime(context.store, settings, {
    onProgress,
    pollIntervalMs: config.sync.intervalMs,
    wrapCalls: hooks.wrapCalls,
    readModels: await openReadModelStorage(config.store),
    deleteThreshold: config.deleteThreshold,
  });
  const shutdown = new AbortController();
  const stop = () => shutdown.abort(new Error('stopping'));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const stopping = () => shutdown.signal.aborted;
  try {
    // Several processes on PostgreSQL: this one waits for the lease, and syncs only while it holds it.
    await whileLeading(single ? undefined : lease, settings.organisationNumber, shutdown.signal, async (lost) => {
      const sync = single || !lease ? runtime.sync : await runtime.lead(lost);
      if (untilIdle) await sync.runUntilIdle(stopping);
      else await sync.run(stopping);
    }, {
      waiting: () => process.stderr.write('provsync: another process is syncing this organiser; waiting for the sync lease\n'),
      leading: () => undefined,
      lost: (reason) => process.stderr.write(`provsync: stopped syncing (${reason}); waiting for the sync lease again\n`),
    });
    if (untilIdle && !stopping()) await sayWhatIsHeld(context.store);
    return 0;
  } finally {
    await runtime.close();
    await context.close();
    await single?.release();
  }
}
