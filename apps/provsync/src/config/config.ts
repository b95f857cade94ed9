import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A bad or missing setting: the process stops with this one line. */
export class ConfigError extends Error {
  readonly code = 'PROVSYNC_CONFIG';
}

const url = (name: string) => z.url({ error: `${name} must be an https:// URL` }).refine((v) => v.startsWith('https://'), `${name} must be an https:// URL`);
const pemFile = (name: string) =>
  z.string({ error: `${name} is required: the path of a PEM file` }).transform((path, ctx) => {
    try {
      const pem = readFileSync(path, 'utf8');
      if (!pem.includes('-----BEGIN')) throw new Error('not PEM');
      return pem;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must name a readable PEM file (${path})` });
      return z.NEVER;
    }
  });

const storeSchema = z.object({
  PROVSYNC_STORE: z
    .string()
    .default('sqlite:./data/provsync.db')
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/|kurrentdb(\+discover)?:\/\/|esdb(\+discover)?:\/\/)/.test(v), {
      message: 'PROVSYNC_STORE must be sqlite:<file>, postgres://… or kurrentdb://…',
    }),
});

const skolverketSchema = z
  .object({
    SKOLVERKET_AUTH_URL: url('SKOLVERKET_AUTH_URL').default('https://nutid-auth.sunet.se/transaction'),
    SKOLVERKET_PROVISIONING_URL: url('SKOLVERKET_PROVISIONING_URL').default('https://api.skolverket.se/provtjanst/provisioning/v1'),
    SKOLVERKET_OPEN_DATA_URL: url('SKOLVERKET_OPEN_DATA_URL').default('https://api.skolverket.se/provtjanst/open-data/v1'),
    SKOLVERKET_JWKS_URL: url('SKOLVERKET_JWKS_URL').optional(),
    PROVSYNC_CLIENT_CERT: pemFile('PROVSYNC_CLIENT_CERT'),
    PROVSYNC_CLIENT_KEY: pemFile('PROVSYNC_CLIENT_KEY'),
    PROVSYNC_CA: pemFile('PROVSYNC_CA').optional(),
    PROVSYNC_ORGANISATION_NUMBER: z
      .string({ error: 'PROVSYNC_ORGANISATION_NUMBER is required: the organiser\'s 10-digit organisation number' })
      .regex(/^\d{6}-?\d{4}$/, 'PROVSYNC_ORGANISATION_NUMBER must be a 10-digit organisation number'),
  })
  .transform((env) => ({
    authUrl: env.SKOLVERKET_AUTH_URL,
    provisioningUrl: env.SKOLVERKET_PROVISIONING_URL.replace(/\/$/, ''),
    openDataUrl: env.SKOLVERKET_OPEN_DATA_URL.replace(/\/$/, ''),
    // The auth server's JWKS sits at its origin's well-known path unless told otherwise.
    jwksUrl: env.SKOLVERKET_JWKS_URL ?? new URL('/.well-known/jwks.json', env.SKOLVERKET_AUTH_URL).toString(),
    clientCert: env.PROVSYNC_CLIENT_CERT,
    clientKey: env.PROVSYNC_CLIENT_KEY,
    ca: env.PROVSYNC_CA,
    organisationNumber: env.PROVSYNC_ORGANISATION_NUMBER.replace('-', ''),
  }));

const httpSchema = z.object({
  PROVSYNC_HTTP_PORT: z.coerce
    .number({ error: 'PROVSYNC_HTTP_PORT must be a port number' })
    .int('PROVSYNC_HTTP_PORT must be a port number')
    .min(0, 'PROVSYNC_HTTP_PORT must be 0–65535')
    .max(65535, 'PROVSYNC_HTTP_PORT must be 0–65535')
    .default(8080),
  PROVSYNC_HTTP_HOST: z.string().min(1, 'PROVSYNC_HTTP_HOST must name an interface address').default('127.0.0.1'),
});

export type SkolverketSettings = z.output<typeof skolverketSchema>;

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue.path[0] ?? '');
  throw new ConfigError(issue.message.includes(name) && name ? issue.message : `${name || 'configuration'}: ${issue.message}`);
}

export const storeUrl = (env: NodeJS.ProcessEnv = process.env): string => parse(storeSchema, env).PROVSYNC_STORE;
export const skolverketSettings = (env: NodeJS.ProcessEnv = process.env): SkolverketSettings => parse(skolverketSchema, env);
export const httpListener = (env: NodeJS.ProcessEnv = process.env) => {
  const { PROVSYNC_HTTP_PORT: port, PROVSYNC_HTTP_HOST: host } = parse(httpSchema, env);
  return { port, host };
};
