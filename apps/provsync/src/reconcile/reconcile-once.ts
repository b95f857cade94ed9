import { randomUUID } from 'node:crypto';
import { compareHoldings, type DesiredItem, type HeldObject, type HoldingsComparison, type ReconcileEvent, refKey } from '@provsync/domain';
import { type HoldingsCalls, readHoldings, type ReadProgress } from './read-holdings.js';

export interface ReconcileOptions {
  /** Records the run's events (the sync's stream); a dry run records nothing. */
  record?: (events: ReconcileEvent[]) => Promise<void>;
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
}

export interface ReconcileOutcome extends HoldingsComparison {
  runId: string;
  /** Read calls made (list pages and lookups). */
  calls: number;
}

/**
 * One reconcile: reads what Skolverket holds, records it as it goes (a run is complete, and changes what the
 * sync sends, only once every type was read to its end), and compares it with the desired state.
 */
export async function reconcileOnce(
  calls: HoldingsCalls,
  desired: ReadonlyMap<string, DesiredItem>,
  options: ReconcileOptions = {},
): Promise<ReconcileOutcome> {
  const { record = async () => undefined, now = () => new Date(), signal } = options;
  const runId = randomUUID();
  const held = new Map<string, HeldObject>();
  let readCalls = 0;
  await record([{ type: 'ReconcileStarted', data: { runId, at: now().toISOString() } }]);
  const wanted = (type: HeldObject['refs'][number]['type'], id: string) => desired.has(refKey({ type, id }));
  // Recorded in turn behind the reads, so that no read waits for a record: the person list, a page at a time
  // for ten times as long as any other, would otherwise lose a store append per page.
  let recorded = Promise.resolve();
  let failed: { error: unknown } | undefined;
  await readHoldings(calls, { runId, wanted, now, signal, onProgress: options.onProgress }, async (event) => {
    if (failed) throw failed.error;
    readCalls++;
    for (const item of event.data.held) held.set(refKey({ type: event.data.objectType, id: item.id }), item);
    // An empty page (nothing held of a type) says nothing the completion does not.
    if (!event.data.held.length) return;
    recorded = recorded.then(() => record([event]));
    recorded.catch((error: unknown) => (failed ??= { error }));
  }).finally(() => recorded.catch(() => undefined));
  await recorded;
  signal?.throwIfAborted();
  await record([{ type: 'ReconcileCompleted', data: { runId, at: now().toISOString() } }]);
  return { runId, calls: readCalls, ...compareHoldings(desired, held) };
}
