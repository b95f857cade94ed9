import type { JobEngine } from '../domain/jobs.js';
import type { RateLimiter } from '../domain/rate-limiter.js';
import type { Reference } from '../domain/reference.js';
import type { RequestLog } from '../domain/request-log.js';
import type { ObjectStore } from '../domain/store.js';
import type { Faults } from '../options.js';
import type { TokenAuthority } from '../tls/tokens.js';
import { sleep } from './kit.js';

/** What the three listeners share. */
export interface SimContext {
  reference: Reference;
  store: ObjectStore;
  jobs: JobEngine;
  tokens: TokenAuthority;
  limiter?: RateLimiter;
  log: RequestLog;
  /** Mutable: switched while running. */
  faults: Required<Faults>;
  random: () => number;
  settings: {
    tokenLifetimeSeconds: number;
    maxBodyBytes: number;
    federationEntityIds: readonly string[];
    introspection: boolean;
  };
  /** Known once the listeners have their ports. */
  urls: { authOrigin: string; authUrl: string; jwksUrl: string; openDataUrl: string; provisioningUrl: string };
}

export async function addLatency(ctx: SimContext): Promise<void> {
  if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
}

export function unavailableNow(ctx: SimContext): boolean {
  return ctx.faults.unavailableShare > 0 && ctx.random() < ctx.faults.unavailableShare;
}
