import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SkolverketClient } from './index.js';
import { grSchoolUnitId, personJobResult, startTestSimulator, testPupil, type SimulatorFixture } from '../../../test/support/simulator-fixture.js';

describe('SkolverketClient within Skolverket rate limits', () => {
  let env: SimulatorFixture;

  before(async () => {
    env = await startTestSimulator();
  });
  after(() => env?.stop());

  it('paces six quick writes so that all are accepted', async () => {
    const client = new SkolverketClient(env.config);
    try {
      const unitId = await grSchoolUnitId(client, env.sim.organisationNumber);
      const jobs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => client.submitUpserts('person', [testPupil(unitId, n)])));
      assert.equal(new Set(jobs.map((j) => j.jobId)).size, 6);
      for (const { jobId } of jobs) assert.equal((await personJobResult(client, jobId)).responses[0]?.response.status, 'Success');
    } finally {
      await client.close();
    }
  });

  it('waits out 429 answers when two instances share one certificate, until all six writes are accepted', async () => {
    // Each instance paces itself to 5 writes/s; together they exceed Skolverket's per-client limit.
    const clients = [new SkolverketClient(env.config), new SkolverketClient(env.config)] as const;
    try {
      const unitId = await grSchoolUnitId(clients[0], env.sim.organisationNumber);
      const jobs = await Promise.all(
        [11, 12, 13, 14, 15, 16].map((n) => clients[n % 2]!.submitUpserts('person', [testPupil(unitId, n)])),
      );
      assert.equal(new Set(jobs.map((j) => j.jobId)).size, 6);
      const tooMany = clients[0].stats().tooManyRequests429 + clients[1].stats().tooManyRequests429;
      assert.ok(tooMany > 0, 'the simulator answered 429 at least once');
      for (const { jobId } of jobs) assert.equal((await personJobResult(clients[0], jobId)).responses[0]?.response.status, 'Success');
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});

describe('SkolverketClient with short-lived tokens', () => {
  let env: SimulatorFixture;

  // exp counts whole seconds from a floored iat, so a 3 s token lives 2 to 3 s: the first call never meets
  // an expired token on a loaded machine, and 3.1 s later the token is past its exp whatever the rounding.
  before(async () => {
    env = await startTestSimulator({ tokenLifetimeSeconds: 3 });
  });
  after(() => env?.stop());

  it('renews the token before it expires, without the caller noticing', async () => {
    const client = new SkolverketClient(env.config);
    try {
      await client.lookup('person', [randomUUID()]);
      await sleep(3100);
      assert.deepEqual(await client.lookup('person', [randomUUID()]), []);
      assert.equal(client.stats().tokenRequests, 2);
      assert.equal(client.stats().tokenRejected403, 0);
    } finally {
      await client.close();
    }
  });

  it('fetches a new token and retries once when the API refuses an expired one', async () => {
    // Renewing only after 1,000 lifetimes makes the client send an expired token however slow the machine
    // (with twice the lifetime, a slow first call could push the second past the renewal and hide the 403).
    const client = new SkolverketClient(env.config, { tokenRefreshFraction: 1000 });
    try {
      await client.lookup('person', [randomUUID()]);
      await sleep(3100);
      assert.deepEqual(await client.lookup('person', [randomUUID()]), []);
      assert.equal(client.stats().tokenRejected403, 1);
      assert.equal(client.stats().tokenRequests, 2);
    } finally {
      await client.close();
    }
  });
});
