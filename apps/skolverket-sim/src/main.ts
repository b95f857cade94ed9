import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { SimulatorOptions } from './options.js';

const HELP = `provsync sim — Skolverket simulator (authorisation server, open-data API, Provisioning API v1.3.2)

Usage: provsync sim [options]

  --data-dir DIR               TLS material (and state with --persist) go here (default ./data/sim)
  --auth-port N                port of the authorisation server (default: any free port)
  --open-data-port N           port of the open-data API (default: any free port)
  --provisioning-port N        port of the Provisioning API (default: any free port)
  --job-delay-ms N             delay before a bulk job is processed (default 1000)
  --token-lifetime N           token lifetime in seconds (default 3600)
  --no-rate-limit              no 5/s write and 10/s read limits
  --max-body-bytes N           request body limit (default 204800)
  --temporary-error-share X    share 0..1 of objects answering TemporaryError (default 0)
  --unavailable-share X        share 0..1 of requests answering 503 (default 0)
  --latency-ms N               latency added to every answer (default 0)
  --introspection              request log and __sim endpoints
  --seed FILE                  JSON seed replacing the default organisers, school units, programmes, activities
  --federation-entity-id ID    TLS-federation entity id accepted as client.key (repeatable)
  --persist                    keep stored objects across restarts (DIR/state.json)
  --help                       this text

Once listening it prints one JSON line:
  {"authUrl","jwksUrl","openDataUrl","provisioningUrl","ca","clientCert","clientKey","organisationNumber"}
and runs until SIGINT or SIGTERM.`;

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return value;
}

function share(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= 0 && value <= 1)) throw new Error(`--${name} must be a number from 0 to 1, not "${raw}"`);
  return value;
}

/** Parses the command line into simulator options; undefined for --help. Throws with the offending option. */
export function parseSimArgs(argv: string[]): SimulatorOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'data-dir': { type: 'string', default: './data/sim' },
      'auth-port': { type: 'string' },
      'open-data-port': { type: 'string' },
      'provisioning-port': { type: 'string' },
      'job-delay-ms': { type: 'string' },
      'token-lifetime': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      'max-body-bytes': { type: 'string' },
      'temporary-error-share': { type: 'string' },
      'unavailable-share': { type: 'string' },
      'latency-ms': { type: 'string' },
      introspection: { type: 'boolean' },
      seed: { type: 'string' },
      'federation-entity-id': { type: 'string', multiple: true },
      persist: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return undefined;
  const faults = {
    temporaryErrorShare: share('temporary-error-share', values['temporary-error-share']),
    unavailableShare: share('unavailable-share', values['unavailable-share']),
    latencyMs: integer('latency-ms', values['latency-ms'], 0, 600_000),
  };
  return {
    dataDir: values['data-dir']!,
    authPort: integer('auth-port', values['auth-port'], 0, 65535),
    openDataPort: integer('open-data-port', values['open-data-port'], 0, 65535),
    provisioningPort: integer('provisioning-port', values['provisioning-port'], 0, 65535),
    jobDelayMs: integer('job-delay-ms', values['job-delay-ms'], 0, 3_600_000),
    tokenLifetimeSeconds: integer('token-lifetime', values['token-lifetime'], 1, 31_536_000),
    maxBodyBytes: integer('max-body-bytes', values['max-body-bytes'], 1, 64 * 1024 * 1024),
    ...(values['no-rate-limit'] ? { rateLimit: false as const } : {}),
    faults: Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined)),
    introspection: values.introspection === true,
    persistState: values.persist === true,
    ...(values.seed ? { seedFile: values.seed } : {}),
    ...(values['federation-entity-id'] ? { federationEntityIds: values['federation-entity-id'] } : {}),
  };
}

/**
 * `provsync sim`: starts the simulator, prints its JSON line, and resolves once SIGINT or SIGTERM has
 * stopped it. Bad options reject with a message naming the option.
 */
export async function runSimCommand(argv: string[]): Promise<void> {
  const options = parseSimArgs(argv);
  if (!options) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  // Loaded only now, so that --help and option errors answer at once.
  const { startSimulator } = await import('./simulator.js');
  const sim = await startSimulator(options);
  const line = {
    authUrl: sim.authUrl,
    jwksUrl: sim.jwksUrl,
    openDataUrl: sim.openDataUrl,
    provisioningUrl: sim.provisioningUrl,
    ca: sim.ca,
    clientCert: sim.clientCert,
    clientKey: sim.clientKey,
    organisationNumber: sim.organisationNumber,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  await new Promise<void>((resolve, reject) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      sim.stop().then(resolve, reject);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

const isEntry = (() => {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();
if (isEntry) {
  runSimCommand(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`provsync sim: ${(error as Error).message}\n`);
    process.exitCode = 2;
  });
}
