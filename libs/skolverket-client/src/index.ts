export type { SkolverketClientConfig, ClientTuning } from './client-config.js';
export { SkolverketClient, type CallOptions, type ProvisioningObjectOf, type SubmittedJob } from './skolverket-client.js';
export { OpenDataClient, type OpenDataClientOptions } from './open-data-client.js';
export { loadReferenceData } from './load-reference-data.js';
export type { ClientStats } from './call-stats.js';
export type { Availability } from './provisioning-transport.js';
export { SKOLVERKET_ANSWERS, type SkolverketAnswer } from './http-exchange.js';
export type { BreakerSettings } from './retry-policy.js';
export { BrokenCircuitError } from 'cockatiel';
export { certificateS256 } from './grant-request.js';
export {
  SkolverketError,
  SkolverketApiError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  TokenRejectedError,
  AuthorizationFailedError,
  TokenVerificationError,
  SkolverketConnectionError,
  UnexpectedResponseError,
  OrganisationNotFoundError,
  type SkolverketMessage,
} from './errors.js';
