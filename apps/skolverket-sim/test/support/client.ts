import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/index.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  durationMs: number;
}

export interface SendOptions {
  json?: unknown;
  raw?: string | Buffer;
  /** A token to send; null sends none; undefined fetches (once) the simulator's own. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** A real HTTPS client for the simulator (undici Agent with the simulator's CA and client certificate). */
export class SimClient {
  readonly agent: Agent;
  private cachedToken?: string;

  constructor(
    readonly sim: RunningSimulator,
    tls: { ca?: string; cert?: string | null; key?: string | null } = {},
  ) {
    const cert = tls.cert === null ? undefined : readFileSync(tls.cert ?? sim.clientCert, 'utf8');
    const key = tls.key === null ? undefined : readFileSync(tls.key ?? sim.clientKey, 'utf8');
    this.agent = new Agent({ connect: { ca: readFileSync(tls.ca ?? sim.ca, 'utf8'), ...(cert ? { cert } : {}), ...(key ? { key } : {}) } });
  }

  /** The grant request provisioning-rules.md describes, for this client's certificate. */
  grantRequest(certPath = this.sim.clientCert): Record<string, unknown> {
    const der = new X509Certificate(readFileSync(certPath)).raw;
    return {
      access_token: [{ access: [{ type: 'provisioning-api', locations: [this.sim.provisioningUrl] }], flags: ['bearer'] }],
      client: { key: { proof: 'mtls', 'cert#S256': createHash('sha256').update(der).digest('base64') } },
    };
  }

  async token(): Promise<string> {
    if (!this.cachedToken) {
      const answer = await this.send('POST', this.sim.authUrl, { json: this.grantRequest(), token: null });
      if (answer.status !== 200) throw new Error(`no token: ${answer.status} ${answer.text}`);
      this.cachedToken = answer.json.access_token.value as string;
    }
    return this.cachedToken;
  }

  async send(method: string, url: string, options: SendOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    const isProvisioning = url.startsWith(this.sim.provisioningUrl);
    const token = options.token === undefined ? (isProvisioning ? await this.token() : undefined) : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | Buffer | undefined = options.raw;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const started = Date.now();
    const res = await request(url, { method: method as 'GET', headers, body, dispatcher: this.agent });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, text, json, durationMs: Date.now() - started };
  }

  /** A Provisioning API call, path relative to the base URL. */
  api(method: string, path: string, options?: SendOptions): Promise<Answer> {
    return this.send(method, this.sim.provisioningUrl + path, options);
  }

  openData(path: string): Promise<Answer> {
    return this.send('GET', this.sim.openDataUrl + path);
  }

  /** Sends a bulk call, waits for the job, returns its responses. */
  async bulk(method: 'POST' | 'PUT', path: string, data: unknown[]): Promise<any[]> {
    const accepted = await this.api(method, path, { json: { data } });
    if (accepted.status !== 202) throw new Error(`${method} ${path}: ${accepted.status} ${accepted.text}`);
    const collection = path.split('/')[1];
    return (await this.job(collection!, accepted.json.jobId)).responses;
  }

  async job(collection: string, jobId: string): Promise<any> {
    for (let i = 0; i < 500; i++) {
      const done = await this.api('GET', `/${collection}/bulk/jobs/${jobId}/isCompleted`);
      if (done.json === true) return (await this.api('GET', `/${collection}/bulk/jobs/${jobId}`)).json;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`job ${jobId} did not complete`);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export interface TestSim {
  sim: RunningSimulator;
  client: SimClient;
  dir: string;
  stop(): Promise<void>;
}

/** A simulator for tests: its own data folder, a short job delay, no rate limit unless asked for. */
export async function startTestSim(options: Partial<SimulatorOptions> = {}): Promise<TestSim> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'provsync-sim-'));
  const sim = await startSimulator({ jobDelayMs: 5, rateLimit: false, ...options, dataDir: dir });
  const client = new SimClient(sim);
  return {
    sim,
    client,
    dir,
    async stop() {
      await client.close();
      await sim.stop();
      if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
