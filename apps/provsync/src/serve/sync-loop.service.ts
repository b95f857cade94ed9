import { Logger } from '@nestjs/common';
import type { SyncLease } from '@provsync/event-store';
import { DRIFT_KINDS, metrics } from '../observability/metrics.js';
import { reconcileOnce } from '../reconcile/reconcile-once.js';
import type { SkolverketSync } from '../sync/skolverket-sync.js';
import { type SyncRuntime, whileLeading } from '../sync/sync-runtime.js';

const REFERENCE_REFRESH_MS = 6 * 60 * 60 * 1000;
const LEASE_RETRY_MS = 1000;

/**
 * Runs sync rounds until stopped, and only while this instance holds the organiser's sync lease (other
 * instances on the store keep ingesting and wait to take over); a failed round is logged (no personal data)
 * and retried next interval.
 */
export class SyncLoop {
  private readonly logger = new Logger('SyncLoop');
  private readonly shutdown = new AbortController();
  private running?: Promise<void>;
  lastError?: { at: string; message: string };
  lastRoundAt?: string;
  /** Whether this instance is the sync leader now. */
  leading = false;
  /** The sync this instance runs while it leads. */
  private leader?: SkolverketSync;

  constructor(
    private readonly runtime: SyncRuntime,
    private readonly intervalMs: number,
    private readonly lease?: { lease: SyncLease; organiser: string },
    /** How often the leader reconciles with what Skolverket holds (0: never); the first one an interval after it leads. */
    private readonly reconcileIntervalMs = 0,
  ) {}

  start(): void {
    this.running = this.lead();
  }

  /** Leads whenever it can until stopped; a failure to take the lease (the store refusing) is logged and tried again. */
  private async lead(): Promise<void> {
    const { lease, organiser = '' } = this.lease ?? {};
    while (!this.shutdown.signal.aborted) {
      try {
        await whileLeading(lease, organiser, this.shutdown.signal, (lost) => this.rounds(lost), {
          waiting: () => this.logger.warn('another instance is syncing this organiser; this one ingests only and takes over if that one stops'),
          leading: () => {
            this.leading = true;
            if (lease) this.logger.log('this instance is now the sync leader');
          },
          lost: (reason) => {
            this.leading = false;
            this.logger.warn(`stopped syncing: ${reason}; waiting to take the lease again`);
          },
        });
      } catch (error) {
        this.lastError = { at: new Date().toISOString(), message: `sync lease: ${(error as Error).message}` };
        this.logger.error(this.lastError.message);
        await new Promise((resolve) => setTimeout(resolve, LEASE_RETRY_MS));
      }
    }
  }

  async stop(): Promise<void> {
    this.shutdown.abort(new Error('stopping'));
    await this.running;
    await this.runtime.close();
  }

  private async rounds(lost: AbortSignal): Promise<void> {
    let sync: SkolverketSync | undefined;
    let referenceReadAt = Date.now();
    let reconcileAt = Date.now() + this.reconcileIntervalMs;
    let reconciling: Promise<void> | undefined;
    while (!this.shutdown.signal.aborted && !lost.aborted) {
      try {
        if (Date.now() - referenceReadAt > REFERENCE_REFRESH_MS) {
          await this.runtime.refreshReference();
          referenceReadAt = Date.now();
        }
        // Read in the round, so a store that fails at takeover is tried again next interval like any round.
        sync ??= this.leader = await this.runtime.lead(lost);
        if (this.reconcileIntervalMs > 0 && !reconciling && Date.now() >= reconcileAt) {
          reconciling = this.reconcile(sync, lost).finally(() => {
            reconciling = undefined;
            reconcileAt = Date.now() + this.reconcileIntervalMs;
          });
        }
        await sync.tick();
        this.lastRoundAt = new Date().toISOString();
        this.lastError = undefined;
      } catch (error) {
        if (lost.aborted) break;
        const code = (error as { code?: string }).code;
        this.lastError = { at: new Date().toISOString(), message: `${code ?? 'ERROR'}: ${(error as Error).message}` };
        this.logger.error(`sync round failed: ${this.lastError.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
    await reconciling;
    await sync?.settle();
    this.leader = undefined;
  }

  /** While this instance leads: the live desired state and what the sync has recorded (for the metrics). */
  syncView() {
    return this.leader && { desired: this.runtime.host.liveDesired(), state: this.leader.state };
  }

  /**
   * Reads what Skolverket holds beside the sync rounds (reads have their own budget at Skolverket, so the writes
   * keep their pace); once complete, the sync sends what it found different, missing or left over.
   */
  private async reconcile(sync: SkolverketSync, lost: AbortSignal): Promise<void> {
    try {
      const outcome = await reconcileOnce(this.runtime.client, this.runtime.host.liveDesired(), {
        record: (events) => sync.recordReconcile(events),
        signal: lost,
      });
      for (const [type, counts] of Object.entries(outcome.byType)) for (const kind of DRIFT_KINDS) metrics.reconcileDrift(type, kind, counts[kind]);
      const found = (['missing', 'different', 'leftover'] as const).map(
        (drift) => `${drift} ${Object.values(outcome.byType).reduce((n, t) => n + t[drift], 0)}`,
      );
      this.logger.log(`reconcile read Skolverket in ${outcome.calls} read calls: ${found.join(', ')}`);
    } catch (error) {
      if (lost.aborted) return;
      const code = (error as { code?: string }).code;
      this.lastError = { at: new Date().toISOString(), message: `reconcile: ${code ?? 'ERROR'}: ${(error as Error).message}` };
      this.logger.error(this.lastError.message);
    }
  }
}
