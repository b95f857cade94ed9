/** How long an object Skolverket answered TemporaryError for waits before it is sent again. */
export interface RetryPolicy {
  /** The wait after the first TemporaryError; it doubles with each one in a row. */
  firstMs: number;
  /** The longest wait. */
  capMs: number;
}

export const RETRY_POLICY: RetryPolicy = { firstMs: 1_000, capMs: 60_000 };

/**
 * When to send an object again after its `count`th TemporaryError in a row, answered at `answeredAtMs`: exponential
 * backoff with "equal jitter" (half the wait fixed, half spread), so objects refused together do not all come back
 * in the same call. The jitter is drawn from the key and the count, not from a random source: the decider stays
 * pure, and a replay or a dry run gives the same time.
 */
export function retryAt(key: string, count: number, answeredAtMs: number, policy: RetryPolicy = RETRY_POLICY): number {
  const wait = Math.min(policy.capMs, policy.firstMs * 2 ** Math.max(0, count - 1));
  return answeredAtMs + wait / 2 + Math.floor((spread(`${key}#${count}`) * wait) / 2);
}

/** A number in [0, 1) from a string (FNV-1a). */
function spread(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}
