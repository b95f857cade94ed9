import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { student } from './support/fixtures.js';
import { startTestSim, type TestSim } from './support/client.js';

let t: TestSim;
before(async () => {
  t = await startTestSim();
});
after(() => t.stop());

describe('faults by configuration', () => {
  it('answers TemporaryError for the configured share of objects, and stores them once switched off', async () => {
    t.sim.setFaults({ temporaryErrorShare: 1 });
    const p = student();
    const [temporary] = await t.client.bulk('POST', '/persons/bulk', [p]);
    assert.equal(temporary.response.status, 'TemporaryError');
    assert.equal(temporary.response.errors[0].id, '5023');
    assert.equal((await t.client.api('GET', `/persons/${p.id}`)).status, 404);
    t.sim.setFaults({ temporaryErrorShare: 0 });
    const [stored] = await t.client.bulk('POST', '/persons/bulk', [p]);
    assert.equal(stored.response.status, 'Success');
  });

  it('draws the shares from its random source: a share of 0.5 fails the objects that draw below it', async () => {
    const draws = [0.1, 0.9, 0.4, 0.6];
    const seeded = await startTestSim({ faults: { temporaryErrorShare: 0.5 }, random: () => draws.shift() ?? 0.99 });
    try {
      const answers = await seeded.client.bulk('POST', '/persons/bulk', [student(), student(), student(), student()]);
      assert.deepEqual(answers.map((a) => a.response.status), ['TemporaryError', 'Success', 'TemporaryError', 'Success']);
    } finally {
      await seeded.stop();
    }
  });

  it('answers 503 for the configured share of requests on the open-data and Provisioning APIs', async () => {
    t.sim.setFaults({ unavailableShare: 1 });
    const provisioning = await t.client.api('GET', '/persons');
    assert.equal(provisioning.status, 503);
    assert.equal(provisioning.json[0].id, '5022');
    const openData = await t.client.openData('/programmes');
    assert.equal(openData.status, 503);
    assert.equal(openData.json.code, 503);
    t.sim.setFaults({ unavailableShare: 0 });
    assert.equal((await t.client.api('GET', '/persons')).status, 200);
    assert.equal((await t.client.openData('/programmes')).status, 200);
  });

  it('adds the configured latency to every listener', async () => {
    await t.client.token();
    t.sim.setFaults({ latencyMs: 250 });
    try {
      for (const answer of [
        await t.client.api('GET', '/alive'),
        await t.client.openData('/alive'),
        await t.client.send('GET', t.sim.jwksUrl),
      ]) {
        assert.equal(answer.status, 200);
        assert.ok(answer.durationMs >= 250, `${answer.durationMs} ms`);
      }
    } finally {
      t.sim.setFaults({ latencyMs: 0 });
    }
  });

  it('processes a job only after the configured delay: Pending and not completed until then', async () => {
    const slow = await startTestSim({ jobDelayMs: 400 });
    try {
      const accepted = await slow.client.api('POST', '/persons/bulk', { json: { data: [student()] } });
      const early = await slow.client.api('GET', `/persons/bulk/jobs/${accepted.json.jobId}`);
      assert.equal(early.json.responses[0].response.status, 'Pending');
      assert.equal((await slow.client.api('GET', `/persons/bulk/jobs/${accepted.json.jobId}/isCompleted`)).json, false);
      const done = await slow.client.job('persons', accepted.json.jobId);
      assert.equal(done.responses[0].response.status, 'Success');
    } finally {
      await slow.stop();
    }
  });

  it('refuses fault values out of range', () => {
    assert.throws(() => t.sim.setFaults({ unavailableShare: 2 }), /between 0 and 1/);
    assert.throws(() => t.sim.setFaults({ latencyMs: -1 }), /milliseconds/);
  });
});
