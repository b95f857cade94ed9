import {
  circuitBreaker,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  handleType,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { RateLimitedError, ServiceUnavailableError, SkolverketConnectionError } from './errors.js';

export interface RetryLimits {
  maxRateLimitedRetries: number;
  maxUnavailableRetries: number;
}

export interface BreakerSettings {
  /** Consecutive 503s or connection failures that open the circuit. */
  consecutiveFailures: number;
  /** First wait before a probing call while open; doubles up to `maxHalfOpenAfterMs`. */
  halfOpenAfterMs: number;
  maxHalfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { consecutiveFailures: 8, halfOpenAfterMs: 2_000, maxHalfOpenAfterMs: 60_000 };

/** 503 and "no answer at all" both say Skolverket cannot take calls now. */
const isUnavailable = (error: Error) => error instanceof ServiceUnavailableError || error instanceof SkolverketConnectionError;

/**
 * A circuit breaker shared by every call of one client: after `consecutiveFailures` 503s or connection
 * failures in a row it fails calls at once (BrokenCircuitError) instead of hammering a Skolverket that is
 * down, and lets one probing call through after a growing pause.
 */
export function createBreaker(settings: BreakerSettings): CircuitBreakerPolicy {
  return circuitBreaker(handleWhen(isUnavailable), {
    halfOpenAfter: new ExponentialBackoff({ initialDelay: settings.halfOpenAfterMs, maxDelay: settings.maxHalfOpenAfterMs }),
    breaker: new ConsecutiveBreaker(settings.consecutiveFailures),
  });
}

/**
 * 429: wait as long as Skolverket says (the error carries it, jitter included), then try again.
 * 503 or no answer: exponential backoff with jitter, a bounded number of times, through the breaker.
 * Anything else is not retried here.
 */
export function createRetryPolicy(limits: RetryLimits, breaker: CircuitBreakerPolicy) {
  const onRateLimited = retry(handleType(RateLimitedError), {
    maxAttempts: limits.maxRateLimitedRetries,
    backoff: new DelegateBackoff((context: { result: { error: Error } | { value: unknown } }) =>
      'error' in context.result && context.result.error instanceof RateLimitedError
        ? context.result.error.retryAfterMs
        : 1000,
    ),
  });
  const onUnavailable = retry(handleWhen(isUnavailable), {
    maxAttempts: limits.maxUnavailableRetries,
    backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 10_000 }),
  });
  return wrap(onUnavailable, breaker, onRateLimited);
}
