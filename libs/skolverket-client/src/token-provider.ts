import type { Dispatcher } from 'undici';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { SkolverketClientConfig } from './client-config.js';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { AuthorizationFailedError, SkolverketConnectionError, TokenVerificationError } from './errors.js';
import { grantRequestBody } from './grant-request.js';
import { exchange } from './http-exchange.js';
import { readSkolverketMessages } from './skolverket-messages.js';
import { effectiveLifetimeSeconds, refreshDueAt } from './token-timing.js';

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** The authorisation server not answering, or answering 5xx, is worth a few more tries; a refusal is not. */
const authServerRetry = retry(
  handleWhen(
    (error) =>
      error instanceof SkolverketConnectionError || (error instanceof AuthorizationFailedError && (error.status ?? 0) >= 500),
  ),
  { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 5_000 }) },
);

interface HeldToken {
  jwt: string;
  obtainedAtMs: number;
  refreshAtMs: number;
}

export interface TokenProviderOptions {
  now: () => number;
  refreshFraction: number;
  onTokenRequest: () => void;
}

/**
 * Obtains the bearer token over mTLS, verifies it against the auth server's JWKS (ES256, issuer, exp, nbf)
 * and holds it until `refreshFraction` of its life has passed. Concurrent callers share one request.
 */
export class TokenProvider {
  private held?: HeldToken;
  private inFlight?: Promise<HeldToken>;
  private keySet?: KeySet;
  private readonly issuer: string;

  constructor(
    private readonly config: SkolverketClientConfig,
    private readonly dispatcher: Dispatcher,
    private readonly options: TokenProviderOptions,
  ) {
    this.issuer = config.issuer ?? new URL(config.authUrl).origin;
  }

  async current(): Promise<string> {
    if (this.held && this.options.now() < this.held.refreshAtMs) return this.held.jwt;
    this.inFlight ??= this.obtain().finally(() => {
      this.inFlight = undefined;
    });
    return (await this.inFlight).jwt;
  }

  /** How long ago `jwt` was obtained, if it is the token held now. */
  ageMs(jwt: string): number | undefined {
    return this.held?.jwt === jwt ? this.options.now() - this.held.obtainedAtMs : undefined;
  }

  /** Drops `jwt` (the API refused it) so the next `current()` fetches a new one. */
  invalidate(jwt: string): void {
    if (this.held?.jwt === jwt) this.held = undefined;
  }

  private async obtain(): Promise<HeldToken> {
    const requestedAt = this.options.now();
    const { jwt, expiresIn } = await authServerRetry.execute(() => this.requestToken());
    const payload = await this.verify(jwt);
    const lifetime = effectiveLifetimeSeconds(expiresIn, payload.exp as number, requestedAt);
    this.held = { jwt, obtainedAtMs: this.options.now(), refreshAtMs: refreshDueAt(requestedAt, lifetime, this.options.refreshFraction) };
    return this.held;
  }

  private async requestToken(): Promise<{ jwt: string; expiresIn?: number }> {
    const { authUrl, provisioningUrl, clientCert, federationEntityId } = this.config;
    this.options.onTokenRequest();
    const answer = await exchange(this.dispatcher, {
      call: 'POST token',
      method: 'POST',
      url: new URL(authUrl),
      body: JSON.stringify(grantRequestBody({ provisioningUrl, clientCertPem: clientCert, federationEntityId })),
    });
    if (answer.status < 200 || answer.status > 299) {
      throw new AuthorizationFailedError(authUrl, answer.status, describeAuthRefusal(answer.body));
    }
    const accessToken = readAccessToken(answer.body);
    if (typeof accessToken?.value !== 'string') {
      throw new AuthorizationFailedError(authUrl, answer.status, 'the answer holds no access_token.value');
    }
    const expiresIn = typeof accessToken.expires_in === 'number' ? accessToken.expires_in : undefined;
    return { jwt: accessToken.value, expiresIn };
  }

  private async verify(jwt: string, keysJustFetched = false): Promise<JWTPayload> {
    const keySet = keysJustFetched || !this.keySet ? await authServerRetry.execute(() => this.fetchKeySet()) : this.keySet;
    try {
      const { payload } = await jwtVerify(jwt, keySet, {
        algorithms: ['ES256'],
        issuer: this.issuer,
        requiredClaims: ['exp', 'nbf'],
        clockTolerance: 5,
      });
      return payload;
    } catch (error) {
      // The auth server may have rotated its key since we read the JWKS: read it once more.
      if (error instanceof joseErrors.JWKSNoMatchingKey && !keysJustFetched) return this.verify(jwt, true);
      throw new TokenVerificationError(verificationReason(error), { cause: error });
    }
  }

  private async fetchKeySet(): Promise<KeySet> {
    const { jwksUrl } = this.config;
    const answer = await exchange(this.dispatcher, { call: 'GET jwks', method: 'GET', url: new URL(jwksUrl) });
    if (answer.status !== 200) throw new AuthorizationFailedError(jwksUrl, answer.status, 'could not read the JWKS');
    try {
      this.keySet = createLocalJWKSet(answer.body as Parameters<typeof createLocalJWKSet>[0]);
    } catch {
      throw new AuthorizationFailedError(jwksUrl, answer.status, 'the answer is not a JSON Web Key Set');
    }
    return this.keySet;
  }
}

function readAccessToken(body: unknown): { value?: unknown; expires_in?: unknown } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const token = (body as { access_token?: unknown }).access_token;
  const first = Array.isArray(token) ? token[0] : token;
  return typeof first === 'object' && first !== null ? first : undefined;
}

/** GNAP errors (`{error: code | {code, description}}`), FastAPI's `{detail}`, or Skolverket-style messages. */
export function describeAuthRefusal(body: unknown): string {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const error = record.error;
  const parts: unknown[] =
    typeof error === 'object' && error !== null
      ? [(error as Record<string, unknown>).code, (error as Record<string, unknown>).description]
      : [error, record.error_description, typeof record.detail === 'string' ? record.detail : undefined];
  const said = parts.filter((p): p is string => typeof p === 'string' && p !== '').join(': ');
  if (said) return said.slice(0, 300);
  return readSkolverketMessages(body).map((m) => m.message).join('; ') || 'no explanation in the answer';
}

function verificationReason(error: unknown): string {
  if (error instanceof joseErrors.JOSEError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
