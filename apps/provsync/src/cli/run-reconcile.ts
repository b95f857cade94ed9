import { SqliteSyncLease } from '@provsync/event-store';
import { loadConfig, type ProvsyncConfig, requireSkolverket } from '../config/config.js';
import { reconcileOnce, type ReconcileOutcome } from '../reconcile/reconcile-once.js';
import { readProgressPrinter, reconcileJson, reconcileText } from '../reconcile/reconcile-report.js';
import { openSyncRuntime, syncLeaseFor, whileLeading } from '../sync/sync-runtime.js';
import { openCoreContext } from './context.js';
import { progressPrinter } from './progress-printer.js';
import { EXIT_ANOTHER_SYNCING } from './run-sync.js';

/**
 * `provsync reconcile [--apply] [--json]`: reads what Skolverket holds and compares it with the desired state.
 * Without --apply it only reports. With --apply it records what it read (equal objects become acknowledged,
 * the rest pending) and syncs until idle: only the differences and leftovers are written.
 */
export async function runReconcile(args: string[], config: ProvsyncConfig = loadConfig()): Promise<number> {
  const apply = args.includes('--apply');
  const json = args.includes('--json');
  const unknown = args.find((a) => a !== '--apply' && a !== '--json');
  if (unknown) {
    console.error(`provsync reconcile: unknown argument "${unknown}" (usage: provsync reconcile [--apply] [--json])`);
    return 2;
  }
  const settings = requireSkolverket(config);
  const lease = apply ? syncLeaseFor(config.store) : undefined;
  const single = lease instanceof SqliteSyncLease ? lease.tryAcquire() : undefined;
  if (lease instanceof SqliteSyncLease && !single) {
    process.stderr.write('provsync: another process is syncing this store; reconcile --apply records into the sync, so run it when that one has stopped\n');
    return EXIT_ANOTHER_SYNCING;
  }
  const context = await openCoreContext(config);
  const runtime = await openSyncRuntime(context.store, settings, { onProgress: progressPrinter(), pollIntervalMs: config.sync.intervalMs });
  const shutdown = new AbortController();
  const stop = () => shutdown.abort(new Error('stopping'));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    await runtime.host.catchUp();
    const desired = runtime.host.liveDesired();
    const progress = readProgressPrinter(desired.size);
    let outcome: ReconcileOutcome | undefined;
    if (!apply) {
      outcome = await reconcileOnce(runtime.client, desired, { signal: shutdown.signal, onProgress: progress.show });
    } else {
      await whileLeading(single ? undefined : lease, settings.organisationNumber, shutdown.signal, async (lost) => {
        const sync = single || !lease ? runtime.sync : await runtime.lead(lost);
        outcome = await reconcileOnce(runtime.client, desired, { record: (events) => sync.recordReconcile(events), signal: lost, onProgress: progress.show });
        progress.done();
        await sync.runUntilIdle(() => shutdown.signal.aborted);
      }, {
        waiting: () => process.stderr.write('provsync: another process is syncing this organiser; waiting for the sync lease\n'),
        leading: () => undefined,
        lost: (reason) => process.stderr.write(`provsync: stopped (${reason}); waiting for the sync lease again\n`),
      });
    }
    progress.done();
    if (!outcome) return 1;
    console.log(json ? JSON.stringify(reconcileJson(outcome, apply)) : reconcileText(outcome, apply));
    return 0;
  } finally {
    await runtime.close();
    await context.close();
    await single?.release();
  }
}
