import { DelegateBackoff, ExponentialBackoff, handleType, retry, wrap } from 'cockatiel';
import { RateLimitedError, ServiceUnavailableError } from './errors.js';

export interface RetryLimits {
  maxRateLimitedRetries: number;
  maxUnavailableRetries: number;
}

/**
 * 429: wait as long as Skolverket says (the error carries it, jitter included), then try again.
 * 503: exponential backoff with jitter, a bounded number of times. Anything else is not retried here.
 */
export function createRetryPolicy(limits: RetryLimits) {
  const onRateLimited = retry(handleType(RateLimitedError), {
    maxAttempts: limits.maxRateLimitedRetries,
    backoff: new DelegateBackoff((context: { result: { error: Error } | { value: unknown } }) =>
      'error' in context.result && context.result.error instanceof RateLimitedError
        ? context.result.error.retryAfterMs
        : 1000,
    ),
  });
  const onUnavailable = retry(handleType(ServiceUnavailableError), {
    maxAttempts: limits.maxUnavailableRetries,
    backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 10_000 }),
  });
  return wrap(onUnavailable, onRateLimited);
}
