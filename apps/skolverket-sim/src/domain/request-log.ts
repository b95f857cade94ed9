export interface RequestLogEntry {
  /** Which of the simulator's listeners answered. */
  api: 'auth' | 'open-data' | 'provisioning';
  method: string;
  /** Path and query as requested. */
  path: string;
  status: number;
  /** Bytes of the request body. */
  bytes: number;
  responseBytes: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /** The ids in a bulk body, so tests can tell exactly what was sent. */
  objectIds?: string[];
}

/** The simulator's request log: kept only while introspection is switched on. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(readonly enabled: boolean) {}

  add(entry: RequestLogEntry): void {
    if (this.enabled) this.entries.push(entry);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
