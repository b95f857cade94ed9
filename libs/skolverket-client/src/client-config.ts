/** Where Skolverket's services are and which credentials provsync presents to them. */
export interface SkolverketClientConfig {
  /** The authorisation server's full grant URL, e.g. `https://nutid-auth.sunet.se/transaction`. */
  authUrl: string;
  /** Provisioning API base URL, e.g. `https://api.skolverket.se/provtjanst/provisioning/v1`. */
  provisioningUrl: string;
  /** Open-data API base URL, e.g. `https://api.skolverket.se/provtjanst/open-data/v1`. */
  openDataUrl: string;
  /** The authorisation server's JWKS, e.g. `https://nutid-auth.sunet.se/.well-known/jwks.json`. */
  jwksUrl: string;
  /** The organiser's client certificate (PEM). */
  clientCert: string;
  /** The client certificate's private key (PEM). */
  clientKey: string;
  /** An extra CA (PEM) trusted in addition to Node's default roots. */
  ca?: string;
  /** Organisers in a TLS federation identify themselves by entity id instead of the certificate thumbprint. */
  federationEntityId?: string;
  /** Expected JWT issuer; defaults to the authorisation server's origin. */
  issuer?: string;
}

import type { BreakerSettings } from './retry-policy.js';

/** Seams for tests and tuning; production code passes none of these. */
export interface ClientTuning {
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Retries after a 503 before giving up. */
  maxUnavailableRetries?: number;
  /** Retries after a 429 before giving up. */
  maxRateLimitedRetries?: number;
  /** Fraction of a token's lifetime after which it is renewed. */
  tokenRefreshFraction?: number;
  /** When the circuit breaker opens and probes again. */
  breaker?: BreakerSettings;
}
