/**
 * Exactly one sync leader per organiser across processes: only the holder of an organiser's lease may call
 * Skolverket for it (the 5 calls/s budget is per client, and two senders would also race on acknowledgements).
 */
export interface SyncLease {
  /**
   * Resolves once this process holds the organiser's lease; waits as long as another holds it. Rejects with
   * the signal's reason when `signal` aborts first.
   */
  acquire(organiser: string, signal?: AbortSignal): Promise<HeldSyncLease>;
}

export interface HeldSyncLease {
  /**
   * Aborted the moment the lease can no longer be trusted (its connection broke, a check failed or was late).
   * The holder must stop calling Skolverket at once and acquire again before it resumes.
   */
  readonly lost: AbortSignal;
  /** Gives the lease up, so another process takes it over at once. */
  release(): Promise<void>;
}
