import type { Agent, Dispatcher } from 'undici';
import type { OpenDataActivity, OpenDataOrganisation, OpenDataProgramme } from '@provsync/skolverket-api';
import { countAnswer, countCall, emptyStats, type ClientStats } from './call-stats.js';
import { RateLimitedError, ServiceUnavailableError, SkolverketApiError, UnexpectedResponseError } from './errors.js';
import { exchange, type HttpAnswer } from './http-exchange.js';
import { createPlainAgent } from './mtls-agent.js';
import { rateLimitWaitMs } from './rate-limit-wait.js';
import { createBreaker, createRetryPolicy, DEFAULT_BREAKER } from './retry-policy.js';
import { readSkolverketMessages } from './skolverket-messages.js';

export interface OpenDataClientOptions {
  /** Extra trusted CA (PEM); ignored when a dispatcher is given. */
  ca?: string;
  /** Connection pool to use (the SkolverketClient passes its own); the client then does not close it. */
  dispatcher?: Dispatcher;
  /** Counters to add to (the SkolverketClient passes its own). */
  stats?: ClientStats;
}

/** Skolverket's open-data API: school units, programmes and national-test activities. No authentication. */
export class OpenDataClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownAgent?: Agent;
  private readonly counters: ClientStats;
  private readonly retryPolicy = createRetryPolicy({ maxRateLimitedRetries: 5, maxUnavailableRetries: 4 }, createBreaker(DEFAULT_BREAKER));

  constructor(
    private readonly baseUrl: string,
    options: OpenDataClientOptions = {},
  ) {
    if (options.dispatcher) this.dispatcher = options.dispatcher;
    else this.dispatcher = this.ownAgent = createPlainAgent(options.ca);
    this.counters = options.stats ?? emptyStats();
  }

  /** The organiser with its school units (`expandSchoolUnits`); undefined when Skolverket does not know it. */
  async organisationByNumber(
    organisationNumber: string,
    options: { expandSchoolUnits?: boolean } = {},
  ): Promise<OpenDataOrganisation | undefined> {
    const query = options.expandSchoolUnits ? '?expandSchoolUnits=true' : '';
    const path = `/organisations/code/${encodeURIComponent(organisationNumber)}${query}`;
    const answer = await this.get('GET /organisations/code/{code}', path, [404]);
    if (answer.status === 404) return undefined;
    return objectBody<OpenDataOrganisation>('GET /organisations/code/{code}', answer);
  }

  async programmes(): Promise<OpenDataProgramme[]> {
    return arrayBody<OpenDataProgramme>('GET /programmes', await this.get('GET /programmes', '/programmes'));
  }

  /** National-test activities (`GET /activities`), the parents of provisioned activities. */
  async testActivities(): Promise<OpenDataActivity[]> {
    return arrayBody<OpenDataActivity>('GET /activities', await this.get('GET /activities', '/activities'));
  }

  async alive(): Promise<boolean> {
    try {
      return (await this.get('GET /alive', '/alive')).status === 200;
    } catch {
      return false;
    }
  }

  stats(): ClientStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    await this.ownAgent?.close();
  }

  private get(call: string, path: string, acceptStatuses: number[] = []): Promise<HttpAnswer> {
    return this.retryPolicy.execute(async () => {
      countCall(this.counters, 'openData');
      const url = new URL(this.baseUrl.replace(/\/+$/, '') + path);
      const answer = await exchange(this.dispatcher, { call, method: 'GET', url });
      countAnswer(this.counters, answer.status);
      const messages = () => readSkolverketMessages(answer.body);
      if (answer.status === 429) {
        throw new RateLimitedError(call, messages(), rateLimitWaitMs(answer.headers, Date.now()) + Math.random() * 100);
      }
      if (answer.status === 503) throw new ServiceUnavailableError(call, messages());
      if (answer.status >= 400 && !acceptStatuses.includes(answer.status)) {
        throw new SkolverketApiError(call, answer.status, messages());
      }
      return answer;
    });
  }
}

function arrayBody<T>(call: string, answer: HttpAnswer): T[] {
  if (!Array.isArray(answer.body)) throw new UnexpectedResponseError(call, answer.status, 'expected a JSON array');
  return answer.body as T[];
}

function objectBody<T>(call: string, answer: HttpAnswer): T {
  if (typeof answer.body !== 'object' || answer.body === null || Array.isArray(answer.body)) {
    throw new UnexpectedResponseError(call, answer.status, 'expected a JSON object');
  }
  return answer.body as T;
}
