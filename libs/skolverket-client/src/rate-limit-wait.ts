type HeaderValue = string | string[] | undefined;

const DEFAULT_WAIT_MS = 1000;
const MAX_WAIT_MS = 60_000;

/**
 * How long to wait after a 429. Skolverket's `X-RateLimit-Reset` is documented as seconds until the quota
 * resets (`0.5` = half a second); an epoch value (seconds or ms) is accepted too, and `Retry-After` is the
 * fallback. The result is clamped to [0, 60 s] so a nonsense header cannot stall the sync.
 */
export function rateLimitWaitMs(headers: Record<string, HeaderValue>, nowMs: number): number {
  const reset = numberHeader(headers['x-ratelimit-reset']);
  if (reset !== undefined) return clamp(resetToWaitMs(reset, nowMs));
  const retryAfter = firstValue(headers['retry-after']);
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return clamp(seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return clamp(date - nowMs);
  }
  return DEFAULT_WAIT_MS;
}

function resetToWaitMs(reset: number, nowMs: number): number {
  if (reset > 1e12) return reset - nowMs;
  if (reset > 1e9) return reset * 1000 - nowMs;
  return reset * 1000;
}

function numberHeader(value: HeaderValue): number | undefined {
  const text = firstValue(value);
  if (text === undefined || text.trim() === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

function firstValue(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function clamp(ms: number): number {
  return Math.min(MAX_WAIT_MS, Math.max(0, Math.ceil(ms)));
}
