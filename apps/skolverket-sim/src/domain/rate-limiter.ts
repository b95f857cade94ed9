export type CallClass = 'write' | 'read';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until a call is free again (0 when none is in the window). */
  resetSeconds: number;
}

/**
 * Per-client limits as in production: a sliding one-second window per client and class of call, so that any
 * six writes within one second meet a 429, however they fall on the clock. Refused calls use no quota.
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly limits: Record<CallClass, number>,
    private readonly windowMs = 1000,
  ) {}

  take(client: string, callClass: CallClass, nowMs: number): RateDecision {
    const limit = this.limits[callClass];
    const windowKey = `${callClass}\u0000${client}`;
    const calls = (this.windows.get(windowKey) ?? []).filter((t) => t > nowMs - this.windowMs);
    const allowed = calls.length < limit;
    if (allowed) calls.push(nowMs);
    this.windows.set(windowKey, calls);
    const oldest = calls[0];
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - calls.length),
      resetSeconds: oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000)),
    };
  }
}
