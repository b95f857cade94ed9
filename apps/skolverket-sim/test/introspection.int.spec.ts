import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { group, student } from './support/fixtures.js';
import { startTestSim, type TestSim } from './support/client.js';

let t: TestSim;
before(async () => {
  t = await startTestSim({ introspection: true });
});
after(() => t.stop());

describe('introspection', () => {
  it('is off unless switched on', async () => {
    const off = await startTestSim();
    try {
      assert.equal(off.sim.introspection, undefined);
      assert.equal((await off.client.api('GET', '/__sim/requests')).status, 404);
      assert.equal((await off.client.api('GET', '/__sim/objects/persons')).status, 404);
    } finally {
      await off.stop();
    }
  });

  it('shows what is stored per type, over HTTPS and in-process', async () => {
    const pupil = student();
    await t.client.bulk('POST', '/persons/bulk', [pupil]);
    await t.client.bulk('POST', '/groups/bulk', [group([pupil.id])]);
    const persons = await t.client.api('GET', '/__sim/objects/persons', { token: null });
    assert.equal(persons.status, 200);
    assert.ok(persons.json.some((p: any) => p.id === pupil.id && p.civicNo.value === pupil.civicNo.value));
    assert.equal(t.sim.introspection!.objects('groups').length, 1);
    assert.deepEqual(t.sim.introspection!.objects('activities'), []);
    assert.equal((await t.client.api('GET', '/__sim/objects/teachers', { token: null })).status, 404);
  });

  it('logs each request with method, path, status, bytes, time and the ids of a bulk body', async () => {
    assert.equal((await t.client.api('DELETE', '/__sim/requests', { token: null })).status, 204);
    const [a, b] = [student(), student()];
    const accepted = await t.client.api('POST', '/persons/bulk?updateIfExists=true', { json: { data: [a, b] } });
    await t.client.openData('/programmes');
    const log = (await t.client.api('GET', '/__sim/requests', { token: null })).json;
    const bulk = log.find((e: any) => e.method === 'POST' && e.path.endsWith('/persons/bulk?updateIfExists=true'));
    assert.equal(bulk.status, 202);
    assert.equal(bulk.bytes, Buffer.byteLength(JSON.stringify({ data: [a, b] })));
    assert.deepEqual(bulk.objectIds, [a.id, b.id]);
    assert.ok(!Number.isNaN(Date.parse(bulk.time)));
    assert.ok(log.some((e: any) => e.api === 'open-data' && e.path.endsWith('/programmes')));
    assert.ok(!log.some((e: any) => e.path.includes('__sim')));
    assert.equal(t.sim.introspection!.requests().length, log.length);
    t.sim.introspection!.clearRequests();
    assert.deepEqual(t.sim.introspection!.requests(), []);
    assert.ok(accepted.json.jobId);
  });

  it('switches faults and forgets stored objects for tests in other processes', async () => {
    const faults = await t.client.api('PUT', '/__sim/faults', { token: null, json: { unavailableShare: 1 } });
    assert.equal(faults.json.unavailableShare, 1);
    assert.equal((await t.client.api('GET', '/persons')).status, 503);
    await t.client.api('PUT', '/__sim/faults', { token: null, json: { unavailableShare: 0 } });
    assert.equal((await t.client.api('PUT', '/__sim/faults', { token: null, json: { unavailableShare: 7 } })).status, 400);
    assert.equal((await t.client.api('DELETE', '/__sim/objects', { token: null })).status, 204);
    assert.deepEqual(t.sim.introspection!.objects('persons'), []);
  });
});
