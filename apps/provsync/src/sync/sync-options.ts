import type { DesiredItem, SyncEvent, SyncTuning } from '@provsync/domain';

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
}
