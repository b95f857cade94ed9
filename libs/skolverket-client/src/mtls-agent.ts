import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { SkolverketClientConfig } from './client-config.js';

/** Node's default roots plus the configured extra CA: setting `ca` alone would replace the defaults. */
export function trustedCas(extraCaPem?: string): string[] {
  return extraCaPem ? [...rootCertificates, extraCaPem] : [...rootCertificates];
}

/** One connection pool for all three services; it presents the client certificate wherever asked. */
export function createMtlsAgent(config: Pick<SkolverketClientConfig, 'clientCert' | 'clientKey' | 'ca'>): Agent {
  return new Agent({
    connect: { cert: config.clientCert, key: config.clientKey, ca: trustedCas(config.ca) },
    headersTimeout: 60_000,
    bodyTimeout: 120_000,
  });
}

/** An agent for the open data API, which needs no client certificate but may sit behind the extra CA. */
export function createPlainAgent(extraCaPem?: string): Agent {
  return new Agent({ connect: { ca: trustedCas(extraCaPem) }, headersTimeout: 60_000, bodyTimeout: 120_000 });
}
