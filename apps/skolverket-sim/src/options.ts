import type { RequestLogEntry } from './domain/request-log.js';

export type { RequestLogEntry } from './domain/request-log.js';

export interface Faults {
  /** Share (0..1) of objects in bulk jobs that end as `TemporaryError`. */
  temporaryErrorShare?: number;
  /** Share (0..1) of open-data and Provisioning requests answered `503`. */
  unavailableShare?: number;
  /** Added to every answer of every listener, in milliseconds. */
  latencyMs?: number;
}

export interface SimulatorOptions {
  /** TLS material and state go here; material found there is reused. */
  dataDir: string;
  /** 0 or undefined: any free port. */
  authPort?: number;
  openDataPort?: number;
  provisioningPort?: number;
  /** Delay before a bulk job is processed; default 1000. */
  jobDelayMs?: number;
  /** Lifetime of issued tokens; default 3600. */
  tokenLifetimeSeconds?: number;
  /** Default production: 5 writes and job-status calls, 10 reads per second per client. */
  rateLimit?: { writesPerSecond: number; readsPerSecond: number } | false;
  /** Default 204800 (200 KB). */
  maxBodyBytes?: number;
  faults?: Faults;
  /** The request log and the `__sim` endpoints; default false. */
  introspection?: boolean;
  /** A JSON seed replacing the default one (see README). */
  seedFile?: string;
  /** TLS-federation entity ids the authorisation server accepts as `client.key`. */
  federationEntityIds?: string[];
  /** Keep stored objects across restarts (dataDir/state.json, written on stop). Default false: each start is empty. */
  persistState?: boolean;
  /** Source of randomness for the fault shares (tests make it deterministic). Default Math.random. */
  random?: () => number;
}

export type ObjectCollection = 'persons' | 'duties' | 'groups' | 'activities';

export interface Introspection {
  objects(type: ObjectCollection): unknown[];
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Forgets every stored object. */
  clearObjects(): void;
}

export interface RunningSimulator {
  authUrl: string;
  jwksUrl: string;
  openDataUrl: string;
  provisioningUrl: string;
  /** Absolute paths of PEM files. */
  ca: string;
  clientCert: string;
  clientKey: string;
  organisationNumber: string;
  /** Present when introspection is switched on. */
  introspection?: Introspection;
  /** Switches faults while running (merged into the current ones). */
  setFaults(faults: Faults): void;
  stop(): Promise<void>;
}

export const DEFAULTS = {
  jobDelayMs: 1000,
  tokenLifetimeSeconds: 3600,
  rateLimit: { writesPerSecond: 5, readsPerSecond: 10 },
  maxBodyBytes: 204_800,
} as const;

export const OPEN_DATA_PATH = '/provtjanst/open-data/v1';
export const PROVISIONING_PATH = '/provtjanst/provisioning/v1';
