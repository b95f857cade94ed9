import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { LOCK_NAMESPACE } from './postgres-migrations.js';
import { PostgresSyncLease } from './postgres-sync-lease.js';
import { TestSchemas, testPostgresUrl } from '../../testing/test-postgres.js';

const HOLDER = fileURLToPath(new URL('../../testing/lease-holder.main.js', import.meta.url));
/** The bound on a takeover after the holder is killed. */
const TAKEOVER_MS = 15_000;

const schemas = new TestSchemas();
after(() => schemas.dropAll());

/** Backend pids of the sessions holding the organiser's lease, as PostgreSQL sees them. */
async function holders(url: string, organiser: string): Promise<number[]> {
  const key = `${new URL(url).searchParams.get('schema')}:${organiser}`;
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = hashtext($2)::oid AND objsubid = 2`,
      [LOCK_NAMESPACE.lease, key],
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

class Contender {
  readonly child: ChildProcess;
  readonly acquired: Promise<void>;
  private output = '';
  readonly exited: Promise<void>;

  constructor(url: string, organiser: string) {
    this.child = spawn(process.execPath, [HOLDER, url, organiser], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.acquired = new Promise((resolve, reject) => {
      this.child.stdout!.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes('acquired')) resolve();
      });
      void this.exited.then(() => reject(new Error(`contender exited: ${this.output.trim()}`)));
    });
    this.acquired.catch(() => undefined);
  }

  get holds(): boolean {
    return this.output.includes('acquired');
  }

  get lost(): boolean {
    return this.output.includes('lost');
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

describe('PostgresSyncLease', () => {
  it('gives an organiser\'s lease to one of three processes; when it is SIGKILLed another takes over within 15 s', { timeout: 60_000 }, async () => {
    const url = schemas.freshUrl();
    const contenders = [0, 1, 2].map(() => new Contender(url, '2120000142'));
    try {
      const first = await Promise.race(contenders.map((c) => c.acquired.then(() => c)));
      // The others keep trying meanwhile; give them a few tries' time, then exactly one may hold it.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.deepEqual(contenders.filter((c) => c.holds), [first]);
      assert.equal((await holders(url, '2120000142')).length, 1);

      await first.kill();
      const killedAt = Date.now();
      const rest = contenders.filter((c) => c !== first);
      const second = await Promise.race([
        ...rest.map((c) => c.acquired.then(() => c)),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no takeover within ${TAKEOVER_MS} ms`)), TAKEOVER_MS)),
      ]);
      const tookOverMs = Date.now() - killedAt;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.deepEqual(rest.filter((c) => c.holds), [second], 'one process holds it after the takeover');
      assert.equal((await holders(url, '2120000142')).length, 1);
      assert.ok(tookOverMs <= TAKEOVER_MS);
    } finally {
      await Promise.all(contenders.map((c) => c.kill()));
    }
  });

  it('keeps organisers apart, and stores apart: each has its own lease', async () => {
    const url = schemas.freshUrl();
    const lease = new PostgresSyncLease(url);
    const a = await lease.acquire('2120000142');
    const b = await lease.acquire('2120000143');
    const other = await new PostgresSyncLease(schemas.freshUrl()).acquire('2120000142');
    assert.equal((await holders(url, '2120000142')).length, 1);
    await Promise.all([a.release(), b.release(), other.release()]);
  });

  it('tells the holder at once when its session is gone, and a waiting acquire then gets the lease', async () => {
    const url = schemas.freshUrl();
    const lease = new PostgresSyncLease(url);
    const held = await lease.acquire('2120000142');
    const waiting = new AbortController();
    let secondHeld = false;
    const second = lease.acquire('2120000142', waiting.signal).then((l) => {
      secondHeld = true;
      return l;
    });
    const lost = new Promise<unknown>((resolve) => held.lost.addEventListener('abort', () => resolve(held.lost.reason)));
    const [pid] = await holders(url, '2120000142');
    assert.equal(secondHeld, false, 'the second waits while the first holds it');
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    assert.match(String(await lost), /sync lease was lost/);
    const next = await second;
    assert.equal(next.lost.aborted, false);
    await next.release();
    await held.release();
  });

  it('stops waiting when its signal aborts', async () => {
    const url = schemas.freshUrl();
    const lease = new PostgresSyncLease(url);
    const held = await lease.acquire('2120000142');
    const waiting = new AbortController();
    const second = lease.acquire('2120000142', waiting.signal);
    waiting.abort(new Error('shutting down'));
    await assert.rejects(second, /shutting down/);
    await held.release();
  });
});
