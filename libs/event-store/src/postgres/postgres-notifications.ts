import pg from 'pg';

/** The one channel every provsync store notifies on; the payload is the schema, so stores in one database tell apart. */
export const CHANNEL = 'provsync_events';
const RECONNECT_MS = 1000;

/**
 * Wakes this process's subscriptions when any process commits events to the schema: one LISTEN connection per
 * store, opened by the first subscriber and reconnected after a failure. A notification only wakes; the
 * subscriptions read the events themselves and poll as well, so one lost while reconnecting costs a poll's delay.
 */
export class PostgresNotifications {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly connectionString: string, private readonly schema: string) {}

  /** Adds a listener; returns the function that removes it. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.client && !this.connecting && !this.retry) this.connecting = this.connect();
    return () => this.listeners.delete(listener);
  }

  /** Tells this process's listeners at once, without waiting for the notification's round trip. */
  notifyLocal(): void {
    for (const listener of this.listeners) listener();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    clearTimeout(this.retry);
    await this.connecting;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'provsync-listen' });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.payload === this.schema) this.notifyLocal();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      // Whatever was committed while no connection listened is picked up by the woken readers.
      this.notifyLocal();
    } catch {
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    } finally {
      this.connecting = undefined;
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed && this.listeners.size > 0) this.connecting = this.connect();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
