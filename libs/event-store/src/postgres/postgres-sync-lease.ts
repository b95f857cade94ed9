import pg from 'pg';
import type { HeldSyncLease, SyncLease } from '../sync-lease.js';
import { describePostgresError } from './postgres-errors.js';
import { LOCK_NAMESPACE } from './postgres-migrations.js';
import { type PostgresLocation, parsePostgresUrl } from './postgres-url.js';

/** How often a waiting process tries to take the lease, and a holder checks it still has it. */
const TRY_EVERY_MS = 1000;
const CHECK_EVERY_MS = 1000;
/** A check that takes longer than this counts as a lost lease: the server may be about to drop the session. */
const CHECK_TIMEOUT_MS = 3000;
/**
 * The server drops a silent session's connection (and so its lock) after idle + interval × count seconds of
 * unanswered keepalives: 5 + 2 × 3 = 11 s. The holder's own checks notice a broken link within
 * CHECK_EVERY_MS + CHECK_TIMEOUT_MS = 4 s, well before another process can take over.
 */
const SERVER_KEEPALIVE = '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3';

/**
 * The sync lease on the PostgreSQL store: a session-level advisory lock on (schema, organiser), held on a
 * connection of its own for as long as the lease is held. A holder that dies (SIGKILL included) loses its
 * connection and with it the lock, at once when its process ends, within about 11 s when its machine goes silent.
 */
export class PostgresSyncLease implements SyncLease {
  private readonly location: PostgresLocation;

  constructor(url: string) {
    this.location = parsePostgresUrl(url);
  }

  async acquire(organiser: string, signal?: AbortSignal): Promise<HeldSyncLease> {
    const key = `${this.location.schema}:${organiser}`;
    for (;;) {
      signal?.throwIfAborted();
      const client = new pg.Client({
        connectionString: this.location.connectionString,
        application_name: 'provsync-sync-lease',
        keepAlive: true,
        options: SERVER_KEEPALIVE,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        for (;;) {
          signal?.throwIfAborted();
          const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS held', [LOCK_NAMESPACE.lease, key]);
          if (rows[0]!.held) return holding(client, key);
          await sleep(TRY_EVERY_MS, signal);
        }
      } catch (error) {
        await client.end().catch(() => undefined);
        if (signal?.aborted) throw signal.reason;
        // The server is away: try again later, as a waiting process would anyway.
        if (!isConnectionError(error)) throw describePostgresError(this.location, `could not take the sync lease for ${organiser}`, error);
        await sleep(TRY_EVERY_MS, signal);
      }
    }
  }
}

function holding(client: pg.Client, key: string): HeldSyncLease {
  const controller = new AbortController();
  let released = false;
  const lose = (reason: string) => {
    if (controller.signal.aborted) return;
    controller.abort(new Error(`the sync lease was lost: ${reason}`));
    clearInterval(timer);
    client.end().catch(() => undefined);
  };
  client.on('error', () => lose('its connection failed'));
  client.on('end', () => {
    if (!released) lose('its connection ended');
  });
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    const late = setTimeout(() => lose(`a check took longer than ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
    client
      .query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
           AND classid = $1 AND objid = hashtext($2)::oid AND objsubid = 2) AS held`,
        [LOCK_NAMESPACE.lease, key],
      )
      .then(({ rows }) => {
        if (!rows[0]!.held) lose('the lock is no longer held');
      })
      .catch(() => lose('a check failed'))
      .finally(() => {
        clearTimeout(late);
        checking = false;
      });
  }, CHECK_EVERY_MS);
  timer.unref();
  return {
    lost: controller.signal,
    async release() {
      released = true;
      clearInterval(timer);
      if (!controller.signal.aborted) controller.abort(new Error('the sync lease was released'));
      // Ending the session releases the lock; no unlock round trip to fail half-way.
      await client.end().catch(() => undefined);
    },
  };
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|57P0|08)/.test(code) || /Connection terminated/i.test(String((error as Error)?.message));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
