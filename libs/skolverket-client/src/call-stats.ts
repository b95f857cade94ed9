/** Counts of HTTP calls made and of the answers that mean "slow down" or "split", for benchmarks and status. */
export interface ClientStats {
  /** Bulk writes (upsert, delete) to the Provisioning API, each attempt counted. */
  writeCalls: number;
  /** Job status calls (isCompleted, job result). */
  statusCalls: number;
  /** Reads (list pages, get, lookup, alive). */
  readCalls: number;
  openDataCalls: number;
  tokenRequests: number;
  tooManyRequests429: number;
  payloadTooLarge413: number;
  serviceUnavailable503: number;
  /** 403 "invalid token" answers that made the client fetch a new token. */
  tokenRejected403: number;
  /** Times the circuit breaker opened because Skolverket kept answering 503 or not at all. */
  breakerOpened: number;
}

export type CallKind = 'write' | 'status' | 'read' | 'openData';

export function emptyStats(): ClientStats {
  return {
    writeCalls: 0,
    statusCalls: 0,
    readCalls: 0,
    openDataCalls: 0,
    tokenRequests: 0,
    tooManyRequests429: 0,
    payloadTooLarge413: 0,
    serviceUnavailable503: 0,
    tokenRejected403: 0,
    breakerOpened: 0,
  };
}

export function countCall(stats: ClientStats, kind: CallKind): void {
  if (kind === 'write') stats.writeCalls++;
  else if (kind === 'status') stats.statusCalls++;
  else if (kind === 'read') stats.readCalls++;
  else stats.openDataCalls++;
}

export function countAnswer(stats: ClientStats, status: number): void {
  if (status === 429) stats.tooManyRequests429++;
  else if (status === 413) stats.payloadTooLarge413++;
  else if (status === 503) stats.serviceUnavailable503++;
}
