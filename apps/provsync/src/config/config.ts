import { readFileSync } from 'node:fs';
import type { SkolverketClientConfig } from '@provsync/skolverket-client';
import { z } from 'zod';
import { DEFAULT_DELETE_THRESHOLD, type DeleteThreshold, parseDeleteThreshold } from '@provsync/domain';
import { kafkaEnvironment, type KafkaSettings, kafkaSettings } from './kafka-config.js';
import { logEnvironment, type LogSettings, logSettings } from '../observability/log-settings.js';

export type { KafkaSettings } from './kafka-config.js';

/** A bad or missing setting: the process stops with this one line and exit code 78 (EX_CONFIG). */
export class ConfigError extends Error {
  readonly code = 'PROVSYNC_CONFIG';
}

/** The whole of provsync's configuration, read and validated once at start-up, then passed down. */
export interface ProvsyncConfig {
  /** sqlite:<file>, postgres://… or kurrentdb:// / esdb:// (+discover) URL. */
  store: string;
  http: { port: number; host: string };
  /** The connection to Skolverket, or the variable that is missing; only commands that call Skolverket need it. */
  skolverket: SkolverketSettings | { missing: string };
  sync: SyncSettings;
  /** When deletes wait for an operator's decision (PROVSYNC_DELETE_THRESHOLD): the mass-change guard. */
  deleteThreshold: DeleteThreshold;
  /** Absent when KAFKA_BROKERS is unset: no Kafka ingestion. */
  kafka?: KafkaSettings;
  /** How `serve` logs (LOG_FORMAT, LOG_LEVEL). */
  log: LogSettings;
}

/** The client's settings, with the organiser it acts for. */
export interface SkolverketSettings extends Omit<SkolverketClientConfig, 'federationEntityId'> {
  /** Ten digits, no hyphen. */
  organisationNumber: string;
}

export interface SyncSettings {
  /** How often a sync with nothing to do looks again for new SIS changes: `provsync sync`'s wait and serve's loop. */
  intervalMs: number;
  /** How often `serve` reconciles with what Skolverket holds (PROVSYNC_RECONCILE_INTERVAL); 0: never. */
  reconcileIntervalMs: number;
}

export const DEFAULT_STORE = 'sqlite:./data/provsync.db';

const httpsUrl = (name: string) =>
  z.url({ error: `${name} must be an https:// URL` }).refine((v) => v.startsWith('https://'), `${name} must be an https:// URL`);

const pemFile = (name: string) =>
  z.string().transform((path, ctx) => {
    try {
      const pem = readFileSync(path, 'utf8');
      if (!pem.includes('-----BEGIN')) throw new Error('not PEM');
      return pem;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must name a readable PEM file (${path})` });
      return z.NEVER;
    }
  });

const wholeMs = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of milliseconds` })
    .int(`${name} must be a whole number of milliseconds`)
    .positive(`${name} must be above 0`)
    .default(fallback);

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `6h`, `30m`, `90s`, `500ms`, or `0` (off): a bare number would leave its unit to guess. */
const duration = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const match = /^(\d+)\s*(ms|s|m|h)?$/.exec(text.trim());
      if (match && (match[2] || match[1] === '0')) return Number(match[1]) * DURATION_UNIT_MS[match[2] ?? 'ms']!;
      ctx.addIssue({ code: 'custom', message: `${name} must be a duration such as 6h, 30m, 90s or 500ms, or 0 to turn it off (got "${text}")` });
      return z.NEVER;
    });

/** `500,10%` (the default), `500`, `10%` or `off`. */
const deleteThreshold = (name: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return DEFAULT_DELETE_THRESHOLD;
      try {
        return parseDeleteThreshold(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${name} ${(error as Error).message}` });
        return z.NEVER;
      }
    });

const environment = z.object({
  PROVSYNC_STORE: z
    .string()
    .default(DEFAULT_STORE)
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/|kurrentdb(\+discover)?:\/\/|esdb(\+discover)?:\/\/)/.test(v), {
      message: 'PROVSYNC_STORE must be sqlite:<file>, postgres://…, kurrentdb://… or esdb://…',
    }),
  SKOLVERKET_AUTH_URL: httpsUrl('SKOLVERKET_AUTH_URL').default('https://nutid-auth.sunet.se/transaction'),
  SKOLVERKET_PROVISIONING_URL: httpsUrl('SKOLVERKET_PROVISIONING_URL').default('https://api.skolverket.se/provtjanst/provisioning/v1'),
  SKOLVERKET_OPEN_DATA_URL: httpsUrl('SKOLVERKET_OPEN_DATA_URL').default('https://api.skolverket.se/provtjanst/open-data/v1'),
  SKOLVERKET_JWKS_URL: httpsUrl('SKOLVERKET_JWKS_URL').optional(),
  PROVSYNC_CLIENT_CERT: pemFile('PROVSYNC_CLIENT_CERT').optional(),
  PROVSYNC_CLIENT_KEY: pemFile('PROVSYNC_CLIENT_KEY').optional(),
  PROVSYNC_CA: pemFile('PROVSYNC_CA').optional(),
  PROVSYNC_ORGANISATION_NUMBER: z
    .string()
    .regex(/^\d{6}-?\d{4}$/, 'PROVSYNC_ORGANISATION_NUMBER must be a 10-digit organisation number')
    .optional(),
  PROVSYNC_HTTP_PORT: z.coerce
    .number({ error: 'PROVSYNC_HTTP_PORT must be a port number' })
    .int('PROVSYNC_HTTP_PORT must be a port number')
    .min(0, 'PROVSYNC_HTTP_PORT must be 0–65535')
    .max(65535, 'PROVSYNC_HTTP_PORT must be 0–65535')
    .default(8080),
  PROVSYNC_HTTP_HOST: z.string().default('127.0.0.1'),
  PROVSYNC_SYNC_INTERVAL_MS: wholeMs('PROVSYNC_SYNC_INTERVAL_MS', 200),
  PROVSYNC_DELETE_THRESHOLD: deleteThreshold('PROVSYNC_DELETE_THRESHOLD'),
  PROVSYNC_RECONCILE_INTERVAL: duration('PROVSYNC_RECONCILE_INTERVAL', '6h'),
  ...kafkaEnvironment,
  ...logEnvironment,
});

type Environment = z.output<typeof environment>;

/** Every variable provsync reads: README.md's configuration table lists exactly these. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(environment.shape);

/**
 * Reads every variable provsync knows (README.md, "Configuration") from `env` once. A blank value counts as unset.
 * Throws a ConfigError whose one-line message names the first variable that is wrong.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProvsyncConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = environment.safeParse(set);
  if (!result.success) throw configError(result.error.issues[0]!);
  const e = result.data;
  return {
    store: e.PROVSYNC_STORE,
    http: { port: e.PROVSYNC_HTTP_PORT, host: e.PROVSYNC_HTTP_HOST },
    skolverket: skolverketFrom(e),
    sync: { intervalMs: e.PROVSYNC_SYNC_INTERVAL_MS, reconcileIntervalMs: e.PROVSYNC_RECONCILE_INTERVAL },
    kafka: kafkaSettings(e),
    log: logSettings(e),
    deleteThreshold: e.PROVSYNC_DELETE_THRESHOLD,
  };
}

/** The Skolverket connection, for the commands that call Skolverket; a ConfigError naming what is missing otherwise. */
export function requireSkolverket(config: ProvsyncConfig): SkolverketSettings {
  if ('missing' in config.skolverket) throw new ConfigError(config.skolverket.missing);
  return config.skolverket;
}

const REQUIRED_FOR_SKOLVERKET = [
  ['PROVSYNC_CLIENT_CERT', 'the path of the client certificate (PEM file)'],
  ['PROVSYNC_CLIENT_KEY', 'the path of the client key (PEM file)'],
  ['PROVSYNC_ORGANISATION_NUMBER', "the organiser's 10-digit organisation number"],
] as const;

function skolverketFrom(e: Environment): ProvsyncConfig['skolverket'] {
  const missing = REQUIRED_FOR_SKOLVERKET.find(([name]) => e[name] === undefined);
  if (missing) return { missing: `${missing[0]} is required to reach Skolverket: ${missing[1]}` };
  return {
    authUrl: e.SKOLVERKET_AUTH_URL,
    provisioningUrl: e.SKOLVERKET_PROVISIONING_URL.replace(/\/$/, ''),
    openDataUrl: e.SKOLVERKET_OPEN_DATA_URL.replace(/\/$/, ''),
    // The auth server's JWKS sits at its origin's well-known path unless told otherwise.
    jwksUrl: e.SKOLVERKET_JWKS_URL ?? new URL('/.well-known/jwks.json', e.SKOLVERKET_AUTH_URL).toString(),
    clientCert: e.PROVSYNC_CLIENT_CERT!,
    clientKey: e.PROVSYNC_CLIENT_KEY!,
    ...(e.PROVSYNC_CA ? { ca: e.PROVSYNC_CA } : {}),
    organisationNumber: e.PROVSYNC_ORGANISATION_NUMBER!.replace('-', ''),
  };
}

function configError(issue: z.core.$ZodIssue): ConfigError {
  const [name, ...inside] = issue.path.map(String);
  const message = issue.message.replace(/\s*\n\s*/g, ' ');
  if (!name || message.startsWith(name)) return new ConfigError(message);
  return new ConfigError(inside.length && !message.startsWith(inside[0]!) ? `${name}: ${inside.join('.')}: ${message}` : `${name}: ${message}`);
}

/** The Skolverket connection alone, from `env` (for tests and benches that point a client at the simulator). */
export const skolverketSettings = (env: NodeJS.ProcessEnv = process.env): SkolverketSettings => requireSkolverket(loadConfig(env));