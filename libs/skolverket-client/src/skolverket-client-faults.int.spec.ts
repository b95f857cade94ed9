import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PayloadTooLargeError, ServiceUnavailableError, SkolverketClient } from './index.js';
import { grSchoolUnitId, personJobResult, startTestSimulator, testPupil, type SimulatorFixture } from '../../../test/support/simulator-fixture.js';

describe('SkolverketClient when Skolverket is unavailable', () => {
  let env: SimulatorFixture;
  let draws = 0;

  before(async () => {
    // Every other request is answered 503: 0 falls under the share, 0.99 does not.
    env = await startTestSimulator({ faults: { unavailableShare: 0.5 }, random: () => (draws++ % 2 === 0 ? 0 : 0.99) });
  });
  after(() => env?.stop());

  it('retries a 503 with backoff and returns the answer that follows', async () => {
    const client = new SkolverketClient(env.config);
    try {
      assert.deepEqual(await client.lookup('person', [randomUUID()]), []);
      assert.equal(client.stats().serviceUnavailable503, 1);
      assert.equal(client.stats().readCalls, 2);
    } finally {
      await client.close();
    }
  });

  it('gives up after the configured number of retries with a ServiceUnavailableError', async () => {
    env.sim.setFaults({ unavailableShare: 1 });
    const client = new SkolverketClient(env.config, { maxUnavailableRetries: 2 });
    try {
      await assert.rejects(client.lookup('person', [randomUUID()]), (error: unknown) => {
        assert.ok(error instanceof ServiceUnavailableError);
        assert.equal(error.code, 'SKOLVERKET_UNAVAILABLE');
        assert.match(error.message, /POST \/persons\/lookup answered 503/);
        return true;
      });
      assert.equal(client.stats().serviceUnavailable503, 3);
    } finally {
      env.sim.setFaults({ unavailableShare: 0 });
      await client.close();
    }
  });
});

describe('SkolverketClient with a batch over the size limit', () => {
  let env: SimulatorFixture;

  before(async () => {
    env = await startTestSimulator({ maxBodyBytes: 2000 });
  });
  after(() => env?.stop());

  it('surfaces a 413 as PayloadTooLargeError so the caller can split the batch', async () => {
    const client = new SkolverketClient(env.config);
    try {
      const unitId = await grSchoolUnitId(client, env.sim.organisationNumber);
      const persons = Array.from({ length: 10 }, (_, i) => testPupil(unitId, i + 1));
      await assert.rejects(client.submitUpserts('person', persons), (error: unknown) => {
        assert.ok(error instanceof PayloadTooLargeError);
        assert.equal(error.code, 'SKOLVERKET_PAYLOAD_TOO_LARGE');
        assert.ok(!persons.some((p) => error.message.includes(p.civicNo.value)), 'no personnummer in the message');
        return true;
      });
      assert.equal(client.stats().payloadTooLarge413, 1);
      const { jobId } = await client.submitUpserts('person', persons.slice(0, 1));
      assert.equal((await personJobResult(client, jobId)).responses[0]?.response.status, 'Success');
    } finally {
      await client.close();
    }
  });
});

describe('SkolverketClient of an organiser in a TLS federation', () => {
  const entityId = 'https://sis.provsync.example/federation-entity';
  let env: SimulatorFixture;

  before(async () => {
    env = await startTestSimulator({ federationEntityIds: [entityId] });
  });
  after(() => env?.stop());

  it('obtains its token by entity id', async () => {
    const client = new SkolverketClient({ ...env.config, federationEntityId: entityId });
    try {
      assert.deepEqual(await client.lookup('person', [randomUUID()]), []);
      assert.equal(client.stats().tokenRequests, 1);
    } finally {
      await client.close();
    }
  });
});
