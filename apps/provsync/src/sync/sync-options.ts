import type { DesiredItem, ReferenceDataLoss, SyncEvent, SyncInput, SyncTuning } from '@provsync/domain';

/** Where the desired state comes from: a live map kept up to date, and which keys changed since last asked. */
export interface DesiredSource {
  catchUp(): Promise<unknown>;
  liveDesired(): ReadonlyMap<string, DesiredItem>;
  takeChanged(): Set<string>;
}

export interface SyncOptions extends Partial<SyncTuning> {
  desired: DesiredSource;
  /** How often a running sync with nothing to do looks for new SIS changes (default 200 ms). */
  pollIntervalMs?: number;
  now?: () => Date;
  onProgress?: (event: SyncEvent) => void;
  /** What the open data lost since it was last read: the deletes that follow are held for an operator. */
  referenceLoss?: ReferenceDataLoss;
  /** Inputs from outside the sync while it runs (operators' hold decisions, a new loss of reference data). */
  outsideInputs?: (nowMs: number) => Promise<SyncInput[]>;
}

/**
 * `signal`: the sync may call Skolverket only until it aborts (the sync lease was lost, or shutdown). Then no
 * call starts, a call in flight is cut off, no outcome is decided or recorded, and the next step throws the reason.
 */
export type LeaderSyncOptions = SyncOptions & { signal?: AbortSignal };
