import { deleteReason, type DesiredItem, type Drift, evolveReconcile, type PlanReason, previewSync, refKey, type SyncState } from '@provsync/domain';
import { SqliteSyncLease } from '@provsync/event-store';
import { loadConfig, type ProvsyncConfig, requireSkolverket } from '../config/config.js';
import { reconcileOnce, type ReconcileOutcome } from '../reconcile/reconcile-once.js';
import { readProgressPrinter, reconcileSummary, reconcileText } from '../reconcile/reconcile-report.js';
import { readSyncState } from '../sync/read-sync-state.js';
import { openSyncRuntime, syncLeaseFor, whileLeading } from '../sync/sync-runtime.js';
import { openCoreContext } from './context.js';
import { progressPrinter } from './progress-printer.js';
import { planReport, planText } from './run-plan.js';
import { EXIT_ANOTHER_SYNCING } from './run-sync.js';

const USAGE = 'usage: provsync reconcile [--apply] [--json]';

/**
 * `provsync reconcile [--apply] [--json]`: reads what Skolverket holds and compares it with the desired state,
 * then says what the sync sends because of it, in `plan`'s shape. Without --apply nothing is recorded or written.
 * With --apply what was read is recorded (equal objects become acknowledged, the rest pending) and the sync runs
 * until idle: only the differences and leftovers are written.
 */
export async function runReconcile(args: string[], config: ProvsyncConfig = loadConfig()): Promise<number> {
  if (args.some((a) => a !== '--apply' && a !== '--json')) {
    console.error(USAGE);
    return 2;
  }
  const apply = args.includes('--apply');
  const settings = requireSkolverket(config);
  const lease = apply ? syncLeaseFor(config.store) : undefined;
  const single = lease instanceof SqliteSyncLease ? lease.tryAcquire() : undefined;
  if (lease instanceof SqliteSyncLease && !single) {
    process.stderr.write('provsync: another process is syncing this store; reconcile --apply records into the sync, so run it once that one has stopped\n');
    return EXIT_ANOTHER_SYNCING;
  }
  const context = await openCoreContext(config);
  const runtime = await openSyncRuntime(context.store, settings, {
    onProgress: progressPrinter(),
    pollIntervalMs: config.sync.intervalMs,
    deleteThreshold: config.deleteThreshold,
  });
  const shutdown = new AbortController();
  const stop = () => shutdown.abort(new Error('stopping'));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    await runtime.host.catchUp();
    const desired = runtime.host.liveDesired();
    const progress = readProgressPrinter(desired.size);
    // What the sync will know once the run is recorded, on a copy of its state: the plan is worked out on it.
    const { state: after } = await readSyncState(context.store);
    const read = async (record: (events: Parameters<typeof evolveReconcile>[1][]) => Promise<void>, signal: AbortSignal) => {
      const outcome = await reconcileOnce(runtime.client, desired, {
        record: async (events) => {
          for (const event of events) evolveReconcile(after, event);
          await record(events);
        },
        signal,
        onProgress: progress.show,
      });
      progress.done();
      return outcome;
    };
    let report: string | undefined;
    const describe = (outcome: ReconcileOutcome) => (report = render(outcome, after, desired, (id) => runtime.host.current?.explain(id), config, args.includes('--json')));
    if (!apply) describe(await read(async () => undefined, shutdown.signal));
    else {
      await whileLeading(single ? undefined : lease, settings.organisationNumber, shutdown.signal, async (lost) => {
        const sync = single || !lease ? runtime.sync : await runtime.lead(lost);
        describe(await read((events) => sync.recordReconcile(events), lost));
        await sync.runUntilIdle(() => shutdown.signal.aborted);
      }, {
        waiting: () => process.stderr.write('provsync: another process is syncing this organiser; waiting for the sync lease\n'),
        leading: () => undefined,
        lost: (reason) => process.stderr.write(`provsync: stopped (${reason}); waiting for the sync lease again\n`),
      });
    }
    if (report === undefined) return 1;
    console.log(report);
    return 0;
  } finally {
    await runtime.close();
    await context.close();
    await single?.release();
  }
}

/** What the sync sends after this reconcile, as `plan` shows it, with what the reconcile found beside it. */
function render(
  outcome: ReconcileOutcome,
  state: SyncState,
  desired: ReadonlyMap<string, DesiredItem>,
  explain: (id: string) => Parameters<typeof deleteReason>[0],
  config: ProvsyncConfig,
  json: boolean,
): string {
  const found = new Map<string, Drift>(outcome.drifted.map((o) => [refKey(o), o.drift]));
  const preview = previewSync(state, desired, new Date(), { deleteThreshold: config.deleteThreshold });
  const report = planReport(preview, (send): PlanReason => {
    if (send.resend) return { kind: 'resend' };
    const drift = found.get(refKey(send as { type: 'person'; id: string }));
    if (drift) return { kind: 'drift', found: drift };
    if (send.operation === 'create') return { kind: 'new-in-sis' };
    if (send.operation === 'update') return { kind: 'changed' };
    return deleteReason(explain(send.id));
  });
  if (json) return JSON.stringify({ ...report, reconcile: reconcileSummary(outcome) });
  return `${reconcileText(outcome)}\n${planText(report, true)}`;
}
