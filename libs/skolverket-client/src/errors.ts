/**
 * Errors of the Skolverket client. Each has a stable `code` and a message that names the call, the HTTP
 * status and what Skolverket said. Values from request bodies (and Skolverket's echoed attribute values,
 * which can hold a personnummer) are never copied into them.
 */

/** One entry of Skolverket's error list, without the echoed values. */
export interface SkolverketMessage {
  id?: string;
  messageType?: string;
  message: string;
  parameterName?: string;
  attributeName?: string;
  resourceType?: string;
  resourceId?: string;
}

export abstract class SkolverketError extends Error {
  abstract readonly code: string;
  override readonly name: string = this.constructor.name;
}

/** Skolverket answered with an error status. `call` is the route template, e.g. `POST /persons/bulk`. */
export class SkolverketApiError extends SkolverketError {
  readonly code: string = 'SKOLVERKET_API_ERROR';
  constructor(
    readonly call: string,
    readonly status: number,
    readonly skolverketMessages: SkolverketMessage[],
    advice = '',
  ) {
    super(`${call} answered ${status}${describeMessages(skolverketMessages)}${advice ? `. ${advice}` : ''}`);
  }
}

/** 413: the batch is over Skolverket's 200 KB limit; split it and send the halves. */
export class PayloadTooLargeError extends SkolverketApiError {
  override readonly code = 'SKOLVERKET_PAYLOAD_TOO_LARGE';
  constructor(call: string, messages: SkolverketMessage[], readonly bodyBytes: number) {
    super(call, 413, messages, `The request body was ${bodyBytes} bytes; split the batch and send it in smaller parts`);
  }
}

/** 429 that persisted through every retry. */
export class RateLimitedError extends SkolverketApiError {
  override readonly code = 'SKOLVERKET_RATE_LIMITED';
  constructor(call: string, messages: SkolverketMessage[], readonly retryAfterMs: number) {
    super(call, 429, messages, 'Skolverket kept refusing calls over its rate limit; another client may share this certificate');
  }
}

/** 503 that persisted through every retry. */
export class ServiceUnavailableError extends SkolverketApiError {
  override readonly code = 'SKOLVERKET_UNAVAILABLE';
  constructor(call: string, messages: SkolverketMessage[]) {
    super(call, 503, messages, 'Skolverket is unavailable; try again later');
  }
}

/** The Provisioning API refused a freshly fetched, verified token as well. */
export class TokenRejectedError extends SkolverketApiError {
  override readonly code = 'SKOLVERKET_TOKEN_REJECTED';
  constructor(call: string, messages: SkolverketMessage[]) {
    super(
      call,
      403,
      messages,
      'A new token was fetched and refused too; check that the client certificate is registered for the Provisioning API',
    );
  }
}

/** The authorisation server refused the grant or answered something that is not a token. */
export class AuthorizationFailedError extends SkolverketError {
  readonly code = 'SKOLVERKET_AUTH_FAILED';
  constructor(readonly authUrl: string, readonly status: number | undefined, detail: string) {
    super(`Token request to ${authUrl} failed${status ? ` with ${status}` : ''}: ${detail}`);
  }
}

/** The token's signature, algorithm, issuer or validity period did not check out; it is not used. */
export class TokenVerificationError extends SkolverketError {
  readonly code = 'SKOLVERKET_TOKEN_INVALID';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`The token from the authorisation server failed verification: ${reason}. It was not used`, options);
  }
}

/** No HTTP answer at all: DNS, TCP, TLS (certificate, CA) or a timeout. */
export class SkolverketConnectionError extends SkolverketError {
  readonly code = 'SKOLVERKET_UNREACHABLE';
  constructor(call: string, origin: string, cause: unknown) {
    super(`${call} could not reach ${origin}: ${causeText(cause)}`, { cause });
  }
}

/** Skolverket answered 2xx with a body the client cannot use. */
export class UnexpectedResponseError extends SkolverketError {
  readonly code = 'SKOLVERKET_UNEXPECTED_RESPONSE';
  constructor(call: string, status: number, detail: string) {
    super(`${call} answered ${status} with an unexpected body: ${detail}`);
  }
}

/** The open-data API has no organiser with the configured organisation number. */
export class OrganisationNotFoundError extends SkolverketError {
  readonly code = 'SKOLVERKET_ORGANISATION_NOT_FOUND';
  constructor(readonly organisationNumber: string) {
    super(
      "Skolverket's open-data API does not know the organiser with the configured organisation number; " +
        'check the organisation number in the configuration',
    );
  }
}

function describeMessages(messages: SkolverketMessage[]): string {
  if (messages.length === 0) return '';
  const shown = messages.slice(0, 3).map((m) => {
    const where = m.parameterName ?? m.attributeName;
    return `${m.id ? `[${m.id}] ` : ''}${m.message}${where ? ` (${where})` : ''}`;
  });
  const more = messages.length > 3 ? ` (+${messages.length - 3} more)` : '';
  return `: ${shown.join('; ')}${more}`;
}

function causeText(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} ${cause.message}` : cause.message;
}
