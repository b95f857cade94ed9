import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COLLECTION, OBJECT_TYPES } from '@provsync/skolverket-api';
import { JobEngine } from './domain/jobs.js';
import { RateLimiter } from './domain/rate-limiter.js';
import { Reference } from './domain/reference.js';
import { RequestLog } from './domain/request-log.js';
import { defaultSeed, loadSeedFile } from './domain/seed.js';
import { ObjectStore, type StoreSnapshot } from './domain/store.js';
import { authHandler } from './http/auth-server.js';
import type { SimContext } from './http/context.js';
import { applyFaults, storedObjects } from './http/introspection.js';
import { listen, type Listener } from './http/kit.js';
import { openDataHandler } from './http/open-data-server.js';
import { provisioningHandler } from './http/provisioning-server.js';
import { DEFAULTS, OPEN_DATA_PATH, PROVISIONING_PATH, type RunningSimulator, type SimulatorOptions } from './options.js';
import { ensureTlsMaterial } from './tls/tls-material.js';
import { TokenAuthority } from './tls/tokens.js';

const STATE_FILE = 'state.json';

/** Starts the authorisation server, the open-data API and the Provisioning API on loopback. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const seed = options.seedFile ? loadSeedFile(options.seedFile) : defaultSeed(new Date());
  const reference = new Reference(seed);
  const organiser = reference.organisationByNumber(seed.clientOrganisationNumber)!;
  const tls = await ensureTlsMaterial(dataDir, { number: organiser.organisationNumber, name: organiser.displayName });
  const tokens = await TokenAuthority.open(dataDir);

  const store = new ObjectStore();
  const statePath = join(dataDir, STATE_FILE);
  if (options.persistState && existsSync(statePath)) store.restore(readState(statePath));

  const random = options.random ?? Math.random;
  const rateLimit = options.rateLimit === undefined ? DEFAULTS.rateLimit : options.rateLimit;
  const ctx: SimContext = {
    reference,
    store,
    tokens,
    random,
    jobs: undefined as unknown as JobEngine,
    limiter: rateLimit ? new RateLimiter({ write: rateLimit.writesPerSecond, read: rateLimit.readsPerSecond }) : undefined,
    log: new RequestLog(options.introspection === true),
    faults: { temporaryErrorShare: 0, unavailableShare: 0, latencyMs: 0 },
    settings: {
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULTS.tokenLifetimeSeconds,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
      federationEntityIds: options.federationEntityIds ?? [],
      introspection: options.introspection === true,
    },
    urls: { authOrigin: '', authUrl: '', jwksUrl: '', openDataUrl: '', provisioningUrl: '' },
  };
  const faultProblem = applyFaults(ctx, options.faults ?? {});
  if (faultProblem) throw new Error(`Invalid simulator faults: ${faultProblem}`);
  ctx.jobs = new JobEngine({
    store,
    reference,
    delayMs: options.jobDelayMs ?? DEFAULTS.jobDelayMs,
    temporaryErrorShare: () => ctx.faults.temporaryErrorShare,
    random,
    clock: () => new Date(),
    locationOf: (type, id) => `${ctx.urls.provisioningUrl}/${COLLECTION[type]}/${id}`,
  });

  const serverTls = { key: tls.serverKey, cert: tls.serverCert, ca: tls.ca };
  const listeners: Listener[] = [];
  try {
    const auth = await listen({ ...serverTls, requestCert: true, rejectUnauthorized: false }, options.authPort ?? 0, authHandler(ctx));
    listeners.push(auth);
    const openData = await listen(serverTls, options.openDataPort ?? 0, openDataHandler(ctx));
    listeners.push(openData);
    const provisioning = await listen({ ...serverTls, requestCert: true, rejectUnauthorized: false }, options.provisioningPort ?? 0, provisioningHandler(ctx));
    listeners.push(provisioning);
    const origin = (port: number) => `https://127.0.0.1:${port}`;
    ctx.urls = {
      authOrigin: origin(auth.port),
      authUrl: `${origin(auth.port)}/transaction`,
      jwksUrl: `${origin(auth.port)}/.well-known/jwks.json`,
      openDataUrl: origin(openData.port) + OPEN_DATA_PATH,
      provisioningUrl: origin(provisioning.port) + PROVISIONING_PATH,
    };
  } catch (error) {
    ctx.jobs.stop();
    await Promise.all(listeners.map((l) => l.close()));
    throw new Error(`The simulator could not listen: ${(error as Error).message}`);
  }

  let stopped = false;
  return {
    authUrl: ctx.urls.authUrl,
    jwksUrl: ctx.urls.jwksUrl,
    openDataUrl: ctx.urls.openDataUrl,
    provisioningUrl: ctx.urls.provisioningUrl,
    ca: tls.caPath,
    clientCert: tls.clientCertPath,
    clientKey: tls.clientKeyPath,
    organisationNumber: organiser.organisationNumber,
    ...(ctx.settings.introspection
      ? {
          introspection: {
            objects: (type) => storedObjects(ctx, type) ?? [],
            requests: () => ctx.log.list(),
            clearRequests: () => ctx.log.clear(),
            clearObjects: () => store.clear(),
          },
        }
      : {}),
    setFaults(faults) {
      const problem = applyFaults(ctx, faults);
      if (problem) throw new Error(`Invalid simulator faults: ${problem}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ctx.jobs.stop();
      await Promise.all(listeners.map((l) => l.close()));
      if (options.persistState) writeState(statePath, store.snapshot());
    },
  };
}

function readState(path: string): StoreSnapshot {
  try {
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as StoreSnapshot;
    if (snapshot.version !== 1 || !OBJECT_TYPES.every((t) => Array.isArray(snapshot.objects?.[t]))) throw new Error('unknown format');
    return snapshot;
  } catch (error) {
    throw new Error(`The simulator state ${path} cannot be read (${(error as Error).message}); delete it to begin empty`);
  }
}

function writeState(path: string, snapshot: StoreSnapshot): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(tmp, path);
}
