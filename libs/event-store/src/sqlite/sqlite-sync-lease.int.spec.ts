import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteSyncLease } from './sqlite-sync-lease.js';

const MODULE = new URL('./sqlite-sync-lease.js', import.meta.url).href;

/** Another process that takes the lease on `store` and holds it until killed. */
async function holderProcess(store: string) {
  const script = `import { SqliteSyncLease } from ${JSON.stringify(MODULE)};
    const held = new SqliteSyncLease(${JSON.stringify(store)}).tryAcquire();
    console.log(held ? 'acquired' : 'busy');
    setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [first] = (await once(child.stdout!, 'data')) as [Buffer];
  assert.equal(first.toString().trim(), 'acquired');
  return child;
}

describe('SqliteSyncLease: one syncing process per store file', () => {
  it('refuses a second process while the first lives, names the holder, and is free again once it is SIGKILLed', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'sqlite-lease-')), 'provsync.db');
    const child = await holderProcess(store);
    const lease = new SqliteSyncLease(store);
    assert.equal(lease.tryAcquire(), undefined);
    assert.deepEqual({ ...lease.holder(), since: undefined }, { pid: child.pid, host: hostname(), since: undefined });

    child.kill('SIGKILL');
    await once(child, 'exit');
    const held = lease.tryAcquire();
    assert.ok(held, 'the dead holder left no stale lease');
    assert.equal(lease.holder()?.pid, process.pid);
    assert.equal(held.lost.aborted, false);
    await held.release();
    assert.equal(held.lost.aborted, true);
    assert.equal(lease.holder(), undefined);
  });

  it('acquire waits while another process holds it and gives up with the signal', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'sqlite-lease-')), 'provsync.db');
    const child = await holderProcess(store);
    try {
      const stop = new AbortController();
      const waiting = new SqliteSyncLease(store).acquire('5560000000', stop.signal);
      setTimeout(() => stop.abort(new Error('given up')), 1500);
      await assert.rejects(waiting, /given up/);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('one process takes it once: a second tryAcquire in the same process is refused too', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'sqlite-lease-')), 'provsync.db');
    const lease = new SqliteSyncLease(store);
    const held = lease.tryAcquire();
    assert.ok(held);
    assert.equal(new SqliteSyncLease(store).tryAcquire(), undefined);
    await held.release();
    const again = lease.tryAcquire();
    assert.ok(again);
    await again.release();
  });
});
