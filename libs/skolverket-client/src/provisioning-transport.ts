import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { CallPacer } from './call-pacer.js';
import { countAnswer, countCall, type ClientStats } from './call-stats.js';
import {
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  SkolverketApiError,
  TokenRejectedError,
} from './errors.js';
import { exchange, type HttpAnswer } from './http-exchange.js';
import { rateLimitWaitMs } from './rate-limit-wait.js';
import { CircuitState, type CircuitBreakerPolicy } from 'cockatiel';
import { createBreaker, createRetryPolicy, DEFAULT_BREAKER, type BreakerSettings, type RetryLimits } from './retry-policy.js';
import { readSkolverketMessages, saysTokenInvalid } from './skolverket-messages.js';
import type { TokenProvider } from './token-provider.js';

/** Skolverket's limits since 2026-01-19: writes and job-status calls together 5/s, reads 10/s, per client. */
export const WRITE_AND_STATUS_CALLS_PER_SECOND = 5;
export const READ_CALLS_PER_SECOND = 10;
const RATE_LIMIT_JITTER_MS = 100;

export type ProvisioningCallKind = 'write' | 'status' | 'read';

export interface ProvisioningRequest {
  kind: ProvisioningCallKind;
  /** Route template, e.g. `POST /persons/bulk`. */
  call: string;
  method: Dispatcher.HttpMethod;
  /** Path below the Provisioning base URL, with query. */
  path: string;
  body?: unknown;
  /** Statuses that are answers rather than errors (e.g. 404 for `get`). */
  acceptStatuses?: number[];
  /** Once aborted, no further attempt starts and one in flight is cut off; the reason is thrown. */
  signal?: AbortSignal;
}

export interface TransportOptions extends RetryLimits {
  now: () => number;
  random: () => number;
  breaker?: BreakerSettings;
}

/** Whether the circuit breaker lets calls through; `reason` is the last failure that opened it. */
export type Availability = { available: true } | { available: false; since: string; reason: string };

/**
 * Every Provisioning API call goes through here: pacing shared by the whole client, the bearer token,
 * retries on 429/503, one token renewal on a 403 "invalid token", and typed errors for the rest.
 */
/** A token refused within this long of being obtained was refused for what it is, not for its age. */
const FRESH_TOKEN_MS = 2_000;

export class ProvisioningTransport {
  private readonly writePacer: CallPacer;
  private readonly readPacer: CallPacer;
  private readonly retryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private lastUnavailableReason = '';
  private availabilityNow: Availability = { available: true };
  private readonly availabilityListeners: Array<(availability: Availability) => void> = [];

  constructor(
    private readonly baseUrl: string,
    private readonly dispatcher: Dispatcher,
    private readonly tokens: TokenProvider,
    private readonly stats: ClientStats,
    private readonly options: TransportOptions,
  ) {
    const clock = { now: options.now, sleep: (ms: number) => sleep(ms) };
    this.writePacer = new CallPacer(WRITE_AND_STATUS_CALLS_PER_SECOND, 1000, clock);
    this.readPacer = new CallPacer(READ_CALLS_PER_SECOND, 1000, clock);
    this.breaker = createBreaker(options.breaker ?? DEFAULT_BREAKER);
    this.breaker.onFailure(({ reason }) => {
      if ('error' in reason) this.lastUnavailableReason = reason.error.message;
    });
    this.breaker.onStateChange((state) => this.breakerMoved(state));
    this.retryPolicy = createRetryPolicy(options, this.breaker);
  }

  availability(): Availability {
    return this.availabilityNow;
  }

  /** Told each time the breaker opens (Skolverket unavailable) or closes again. */
  onAvailabilityChange(listener: (availability: Availability) => void): void {
    this.availabilityListeners.push(listener);
  }

  private breakerMoved(state: CircuitState): void {
    // Half-open is a probe, not yet a recovery: only a closed breaker says Skolverket is back.
    if (state === CircuitState.HalfOpen) return;
    const available = state === CircuitState.Closed;
    if (available === this.availabilityNow.available) return;
    this.stats.breakerOpened += available ? 0 : 1;
    this.availabilityNow = available
      ? { available: true }
      : { available: false, since: new Date(this.options.now()).toISOString(), reason: this.lastUnavailableReason };
    for (const listener of this.availabilityListeners) listener(this.availabilityNow);
  }

  async send(req: ProvisioningRequest): Promise<HttpAnswer> {
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const first = await this.retryPolicy.execute(() => this.attempt(req, payload));
    if (!isInvalidToken(first.answer)) return this.checked(req, first.answer, payload);
    this.stats.tokenRejected403++;
    this.tokens.invalidate(first.jwt);
    let second = await this.retryPolicy.execute(() => this.attempt(req, payload));
    // The renewed token may have aged while 429/503 retries waited, or another call may have replaced it
    // already: only a refusal of the fresh token held now is final.
    if (isInvalidToken(second.answer) && (this.tokens.ageMs(second.jwt) ?? Infinity) > FRESH_TOKEN_MS) {
      this.tokens.invalidate(second.jwt);
      second = await this.retryPolicy.execute(() => this.attempt(req, payload));
    }
    if (isInvalidToken(second.answer)) {
      throw new TokenRejectedError(req.call, readSkolverketMessages(second.answer.body));
    }
    return this.checked(req, second.answer, payload);
  }

  private async attempt(req: ProvisioningRequest, payload: string | undefined) {
    const pacer = req.kind === 'read' ? this.readPacer : this.writePacer;
    // Token first, so a slot is not held while a token is fetched.
    req.signal?.throwIfAborted();
    await this.tokens.current();
    const release = await pacer.acquire();
    let answer: HttpAnswer;
    let jwt: string;
    try {
      req.signal?.throwIfAborted();
      jwt = await this.tokens.current();
      countCall(this.stats, req.kind);
      answer = await exchange(this.dispatcher, {
        call: req.call,
        method: req.method,
        url: new URL(this.baseUrl.replace(/\/+$/, '') + req.path),
        headers: { authorization: `Bearer ${jwt}` },
        body: payload,
        // The server counted the call before it answered: the window starts no later than the headers.
        onHeaders: (_status, headers) => release(remainingOf(headers)),
        signal: req.signal,
      });
    } finally {
      release();
    }
    countAnswer(this.stats, answer.status);
    if (answer.status === 429) {
      const waitMs = rateLimitWaitMs(answer.headers, this.options.now()) + this.options.random() * RATE_LIMIT_JITTER_MS;
      pacer.pauseUntil(this.options.now() + waitMs);
      throw new RateLimitedError(req.call, readSkolverketMessages(answer.body), waitMs);
    }
    if (answer.status === 503) throw new ServiceUnavailableError(req.call, readSkolverketMessages(answer.body));
    return { answer, jwt };
  }

  private checked(req: ProvisioningRequest, answer: HttpAnswer, payload: string | undefined): HttpAnswer {
    if (answer.status < 400 || req.acceptStatuses?.includes(answer.status)) return answer;
    const messages = readSkolverketMessages(answer.body);
    if (answer.status === 413) throw new PayloadTooLargeError(req.call, messages, Buffer.byteLength(payload ?? ''));
    throw new SkolverketApiError(req.call, answer.status, messages);
  }
}

function remainingOf(headers: HttpAnswer['headers']): number | undefined {
  const raw = headers['x-ratelimit-remaining'];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw === undefined || !Number.isFinite(value) ? undefined : value;
}

function isInvalidToken(answer: HttpAnswer): boolean {
  if (answer.status === 401) return true;
  return answer.status === 403 && saysTokenInvalid(readSkolverketMessages(answer.body));
}
