import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { LOCK_NAMESPACE } from '../libs/event-store/src/postgres/postgres-migrations.js';
import { TestSchemas, testPostgresUrl } from '../libs/event-store/testing/test-postgres.js';
import { type Harness, smallMunicipality, startHarness, writeNdjson } from './support/provsync-harness.js';
import { busiestSecond, eventually, freePort, Instance, killAll, runProvsync, WRITE_OR_STATUS } from './support/provsync-instances.js';

const LEADER = /this instance is now the sync leader/;
const STOPPED = /stopped syncing: the sync lease was lost/;

/** Ends the PostgreSQL session that holds the organiser's sync lease, as a failover or a network cut would. */
async function cutTheLeaseConnection(storeUrl: string, organiser: string): Promise<number> {
  const key = `${new URL(storeUrl).searchParams.get('schema')}:${organiser}`;
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS ended, pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = hashtext($2)::oid AND objsubid = 2`,
      [LOCK_NAMESPACE.lease, key],
    );
    return rows.length;
  } finally {
    await client.end();
  }
}

describe('a sync leader that loses its lease while alive', () => {
  const schemas = new TestSchemas();
  let harness: Harness | undefined;
  const instances: Instance[] = [];
  after(async () => {
    await killAll(instances);
    await harness?.stop();
    await schemas.dropAll();
  });

  it('stops calling Skolverket at once, the other instance takes over, and the two never send at the same time', async (t) => {
    harness = await startHarness({ jobDelayMs: 300, maxBodyBytes: 50_000 });
    const municipality = smallMunicipality(1500);
    const env = { ...harness.env, PROVSYNC_STORE: schemas.freshUrl() };
    assert.equal((await runProvsync(['ingest', writeNdjson(harness.dir, 'm.ndjson', municipality.events)], env)).code, 0);
    for (const name of ['a', 'b']) {
      const port = await freePort();
      const instance = new Instance(name, ['serve'], { ...env, PROVSYNC_HTTP_PORT: String(port) });
      instances.push(instance);
      await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok ? true : undefined), `instance ${name} to listen:\n${instance.output}`);
    }
    const sim = harness.sim.introspection!;
    const leader = await eventually(() => instances.find((i) => i.says(LEADER)), 'a sync leader');
    await eventually(() => (sim.requests().some((r) => WRITE_OR_STATUS(r) && r.status === 202) ? true : undefined), 'the leader to send');
    const expected = municipality.summary.expected;
    assert.ok(sim.objects('activities').length < expected.activities, 'cut before the sync was done');

    assert.equal(await cutTheLeaseConnection(env.PROVSYNC_STORE, harness.env['PROVSYNC_ORGANISATION_NUMBER']!), 1);
    const cutAt = Date.now();
    await eventually(() => (leader.says(STOPPED) ? true : undefined), `the leader to stop syncing:\n${leader.output}`, 15_000);
    const other = instances.find((i) => i !== leader)!;
    await eventually(() => (other.says(LEADER) ? true : undefined), 'the other instance to take over', 15_000);
    assert.ok(leader.running, 'the old leader goes on serving');

    await eventually(
      () => (sim.objects('persons').length === expected.persons && sim.objects('duties').length === expected.duties
        && sim.objects('groups').length === expected.groups && sim.objects('activities').length === expected.activities ? true : undefined),
      'Skolverket to hold the desired state',
      180_000,
    );
    const calls = sim.requests().filter(WRITE_OR_STATUS);
    assert.ok(busiestSecond(calls.map((r) => Date.parse(r.time))) <= 5, 'at most 5 write-or-status calls in any second');
    assert.deepEqual(calls.filter((r) => r.status === 429).map((r) => r.time), [], 'never rate-limited: never two senders at once');
    // The old leader took the lease no more: it went on ingesting without a second leadership.
    assert.equal(leader.output.match(new RegExp(LEADER, 'g'))?.length, 1);
    const status = JSON.parse((await runProvsync(['status', '--json'], env)).stdout);
    for (const type of ['person', 'duty', 'group', 'activity']) {
      assert.equal(status.entities[type].pending + status.entities[type].inFlight + status.entities[type].parked, 0, type);
    }
    t.diagnostic(`cut the lease ${Date.now() - cutAt} ms before the end; ${calls.length} write-or-status calls`);
  });
});
