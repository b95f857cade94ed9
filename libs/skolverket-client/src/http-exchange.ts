import { channel } from 'node:diagnostics_channel';
import { request, type Dispatcher } from 'undici';
import { SkolverketConnectionError } from './errors.js';

/** Each exchange's route template and HTTP status ('no_answer' when none came), for whoever subscribes (metrics). */
export interface SkolverketAnswer {
  call: string;
  status: number | 'no_answer';
}
export const SKOLVERKET_ANSWERS = 'provsync:skolverket-answer';
const answers = channel(SKOLVERKET_ANSWERS);

export type AnswerHeaders = Record<string, string | string[] | undefined>;

export interface HttpAnswer {
  status: number;
  headers: AnswerHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
}

export interface HttpExchange {
  /** Route template for messages, e.g. `POST /persons/bulk`; never a URL holding personal data. */
  call: string;
  method: Dispatcher.HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  /** Serialised JSON body. */
  body?: string;
  /** Called the moment the answer's status line and headers are in, before its body is read. */
  onHeaders?: (status: number, headers: AnswerHeaders) => void;
  /** Cuts the request off, even mid-flight; the signal's reason is thrown as it is (not as a connection error). */
  signal?: AbortSignal;
}

/** One HTTP request and its whole answer; failures without an answer become SkolverketConnectionError. */
export async function exchange(dispatcher: Dispatcher, ex: HttpExchange): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...ex.headers };
  if (ex.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const answer = await request(ex.url, { method: ex.method, headers, body: ex.body, dispatcher, signal: ex.signal });
    if (answers.hasSubscribers) answers.publish({ call: ex.call, status: answer.statusCode } satisfies SkolverketAnswer);
    ex.onHeaders?.(answer.statusCode, answer.headers);
    const text = await answer.body.text();
    return { status: answer.statusCode, headers: answer.headers, body: parseBody(text) };
  } catch (error) {
    // Not a connection failure: no retry, and the circuit breaker does not count it.
    if (ex.signal?.aborted) throw ex.signal.reason;
    if (answers.hasSubscribers) answers.publish({ call: ex.call, status: 'no_answer' } satisfies SkolverketAnswer);
    throw new SkolverketConnectionError(ex.call, ex.url.origin, error);
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
