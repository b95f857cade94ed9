import type { Agent } from 'undici';
import {
  COLLECTION,
  type Activity,
  type AsynchronousResponse,
  type Duty,
  type Group,
  type ObjectType,
  type Person,
} from '@provsync/skolverket-api';
import type { ReferenceData } from '@provsync/domain';
import { emptyStats, type ClientStats } from './call-stats.js';
import type { ClientTuning, SkolverketClientConfig } from './client-config.js';
import { UnexpectedResponseError } from './errors.js';
import type { HttpAnswer } from './http-exchange.js';
import { loadReferenceData } from './load-reference-data.js';
import { createMtlsAgent } from './mtls-agent.js';
import { OpenDataClient } from './open-data-client.js';
import { ProvisioningTransport, type Availability } from './provisioning-transport.js';
import { TokenProvider } from './token-provider.js';

/** The Provisioning API object of each type. */
export interface ProvisioningObjectOf {
  person: Person;
  duty: Duty;
  group: Group;
  activity: Activity;
}

/** Per call: `signal` stops the call before it starts or cuts it off in flight (e.g. when the sync lease is lost). */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface SubmittedJob {
  jobId: string;
}

const PAGE_LIMIT = 100;

/**
 * Skolverket's Provisioning API (mTLS token, bulk jobs, reads) and open-data API, through one mTLS
 * connection pool. One instance per organiser: its pacing keeps the whole instance within Skolverket's limits.
 */
export class SkolverketClient {
  readonly openData: OpenDataClient;
  private readonly agent: Agent;
  private readonly counters: ClientStats = emptyStats();
  private readonly transport: ProvisioningTransport;
  private readonly tokens: TokenProvider;

  constructor(config: SkolverketClientConfig, tuning: ClientTuning = {}) {
    const now = tuning.now ?? Date.now;
    this.agent = createMtlsAgent(config);
    const tokens = (this.tokens = new TokenProvider(config, this.agent, {
      now,
      refreshFraction: tuning.tokenRefreshFraction ?? 0.8,
      onTokenRequest: () => this.counters.tokenRequests++,
    }));
    this.transport = new ProvisioningTransport(config.provisioningUrl, this.agent, tokens, this.counters, {
      now,
      random: Math.random,
      maxRateLimitedRetries: tuning.maxRateLimitedRetries ?? 8,
      maxUnavailableRetries: tuning.maxUnavailableRetries ?? 4,
      breaker: tuning.breaker,
    });
    this.openData = new OpenDataClient(config.openDataUrl, { dispatcher: this.agent, stats: this.counters });
  }

  /** Create or update (`updateIfExists=true`) as one asynchronous bulk job. */
  async submitUpserts<T extends ObjectType>(type: T, objects: ProvisioningObjectOf[T][], options: CallOptions = {}): Promise<SubmittedJob> {
    const call = `POST /${COLLECTION[type]}/bulk`;
    const path = `/${COLLECTION[type]}/bulk?updateIfExists=true`;
    return jobOf(call, await this.transport.send({ kind: 'write', call, method: 'POST', path, body: { data: objects }, signal: options.signal }));
  }

  /** Delete by the organiser's ids as one asynchronous bulk job. */
  async submitDeletes(type: ObjectType, ids: string[], options: CallOptions = {}): Promise<SubmittedJob> {
    const call = `POST /${COLLECTION[type]}/bulk/delete`;
    const path = `/${COLLECTION[type]}/bulk/delete`;
    return jobOf(call, await this.transport.send({ kind: 'write', call, method: 'POST', path, body: { data: ids }, signal: options.signal }));
  }

  async isJobCompleted(type: ObjectType, jobId: string): Promise<boolean> {
    const call = `GET /${COLLECTION[type]}/bulk/jobs/{id}/isCompleted`;
    const path = `/${COLLECTION[type]}/bulk/jobs/${encodeURIComponent(jobId)}/isCompleted`;
    const answer = await this.transport.send({ kind: 'status', call, method: 'GET', path });
    if (typeof answer.body === 'boolean') return answer.body;
    if (answer.body === 'true' || answer.body === 'false') return answer.body === 'true';
    throw new UnexpectedResponseError(call, answer.status, 'expected true or false');
  }

  /** One result per object of the job; with `onlyErrors`, only those Skolverket did not accept. */
  async jobResult(type: ObjectType, jobId: string, options: { onlyErrors?: boolean } & CallOptions = {}): Promise<AsynchronousResponse> {
    const call = `GET /${COLLECTION[type]}/bulk/jobs/{id}`;
    const query = options.onlyErrors ? '?showOnlyError=true' : '';
    const path = `/${COLLECTION[type]}/bulk/jobs/${encodeURIComponent(jobId)}${query}`;
    const answer = await this.transport.send({ kind: 'status', call, method: 'GET', path, signal: options.signal });
    const body = answer.body as AsynchronousResponse | undefined;
    if (!body || !Array.isArray(body.responses)) {
      throw new UnexpectedResponseError(call, answer.status, 'expected an AsynchronousResponse with responses[]');
    }
    return body;
  }

  /** Every stored object of a type, page by page (`pageToken` until null). */
  async *listPages<T extends ObjectType>(type: T, options: CallOptions = {}): AsyncGenerator<ProvisioningObjectOf[T][]> {
    const call = `GET /${COLLECTION[type]}`;
    let pageToken: string | null | undefined;
    do {
      const tokenQuery = pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : '';
      const path = `/${COLLECTION[type]}?limit=${PAGE_LIMIT}${tokenQuery}`;
      const answer = await this.transport.send({ kind: 'read', call, method: 'GET', path, signal: options.signal });
      const page = answer.body as { data?: unknown; pageToken?: string | null } | undefined;
      if (!page || !Array.isArray(page.data)) throw new UnexpectedResponseError(call, answer.status, 'expected { data: [] }');
      yield page.data as ProvisioningObjectOf[T][];
      pageToken = page.pageToken;
    } while (pageToken);
  }

  async list<T extends ObjectType>(type: T): Promise<ProvisioningObjectOf[T][]> {
    const all: ProvisioningObjectOf[T][] = [];
    for await (const page of this.listPages(type)) all.push(...page);
    return all;
  }

  /** One object by the organiser's id; undefined when Skolverket does not hold it. */
  async get<T extends ObjectType>(type: T, id: string): Promise<ProvisioningObjectOf[T] | undefined> {
    const call = `GET /${COLLECTION[type]}/{id}`;
    const path = `/${COLLECTION[type]}/${encodeURIComponent(id)}`;
    const answer = await this.transport.send({ kind: 'read', call, method: 'GET', path, acceptStatuses: [404] });
    return answer.status === 404 ? undefined : (answer.body as ProvisioningObjectOf[T]);
  }

  /** Many objects by the organiser's ids in one call; ids Skolverket does not hold are simply absent. */
  async lookup<T extends ObjectType>(type: T, ids: string[], options: CallOptions = {}): Promise<ProvisioningObjectOf[T][]> {
    const call = `POST /${COLLECTION[type]}/lookup`;
    const path = `/${COLLECTION[type]}/lookup`;
    const answer = await this.transport.send({ kind: 'read', call, method: 'POST', path, body: { ids }, signal: options.signal });
    if (!Array.isArray(answer.body)) throw new UnexpectedResponseError(call, answer.status, 'expected a JSON array');
    return answer.body as ProvisioningObjectOf[T][];
  }

  /** Whether the Provisioning API answers `GET /alive` with 200. */
  async alive(): Promise<boolean> {
    try {
      const answer = await this.transport.send({ kind: 'read', call: 'GET /alive', method: 'GET', path: '/alive' });
      return answer.status === 200;
    } catch {
      return false;
    }
  }

  organisationByNumber(organisationNumber: string, options: { expandSchoolUnits?: boolean } = {}) {
    return this.openData.organisationByNumber(organisationNumber, options);
  }

  programmes() {
    return this.openData.programmes();
  }

  testActivities() {
    return this.openData.testActivities();
  }

  loadReferenceData(organisationNumber: string, now: Date): Promise<ReferenceData> {
    return loadReferenceData(this.openData, organisationNumber, now);
  }

  /** Whether the circuit breaker lets calls through (it opens when Skolverket keeps answering 503 or not at all). */
  /**
   * Fetches the token and opens a connection to the Provisioning API (one read call, `GET /alive`), so that
   * neither the grant nor a TLS handshake sits in the way of the first write. Call it while doing other work.
   */
  async warmUp(): Promise<void> {
    await this.tokens.current();
    await this.transport.send({ kind: 'read', call: 'GET /alive', method: 'GET', path: '/alive' });
  }

  availability(): Availability {
    return this.transport.availability();
  }

  onAvailabilityChange(listener: (availability: Availability) => void): void {
    this.transport.onAvailabilityChange(listener);
  }

  stats(): ClientStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function jobOf(call: string, answer: HttpAnswer): SubmittedJob {
  const jobId = (answer.body as { jobId?: unknown } | undefined)?.jobId;
  if (typeof jobId === 'string' && jobId) return { jobId };
  const location = answer.headers.location;
  const fromLocation = (Array.isArray(location) ? location[0] : location)?.split('/').filter(Boolean).pop();
  if (fromLocation) return { jobId: fromLocation };
  throw new UnexpectedResponseError(call, answer.status, 'no jobId in the body and no Location header');
}
