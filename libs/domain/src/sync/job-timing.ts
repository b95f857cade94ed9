/**
 * When to ask Skolverket about a job so that, in the common case, one status call finds it finished.
 * It learns the job delay from Skolverket's own stamps in finished results (`meta.modified − meta.created`,
 * one server clock, so no clock skew), keeps the longest of the recent ones, and adds a margin.
 */
export class JobTiming {
  private readonly recent: number[] = [];

  constructor(
    private readonly initialDelayMs = 1_000,
    private readonly marginMs = 150,
    private readonly remember = 20,
  ) {}

  /** A finished job: Skolverket created it at `createdMs` and finished its objects by `finishedMs`. */
  observe(createdMs: number, finishedMs: number): void {
    const delay = finishedMs - createdMs;
    if (!Number.isFinite(delay) || delay < 0) return;
    this.recent.push(delay);
    if (this.recent.length > this.remember) this.recent.shift();
  }

  /** The job delay to plan with now. */
  expectedDelayMs(): number {
    return this.recent.length ? Math.max(...this.recent) : this.initialDelayMs;
  }

  /** When to ask first about a job Skolverket accepted at `acceptedMs` (caller's clock). */
  firstPollAt(acceptedMs: number): number {
    return acceptedMs + this.expectedDelayMs() + this.marginMs;
  }

  /** When to ask again about a job still pending after `polls` status calls. */
  nextPollAt(acceptedMs: number, nowMs: number, polls: number): number {
    const backoff = Math.min(10_000, 100 * 2 ** Math.max(0, polls - 1));
    return Math.max(nowMs + backoff, this.firstPollAt(acceptedMs));
  }
}
