import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SkolverketClient } from './index.js';
import { grSchoolUnitId, personJobResult, startTestSimulator, testPupil, type SimulatorFixture } from '../../../test/support/simulator-fixture.js';

describe('SkolverketClient against the simulator', () => {
  let env: SimulatorFixture;
  let client: SkolverketClient;

  before(async () => {
    env = await startTestSimulator();
    client = new SkolverketClient(env.config);
  });
  after(async () => {
    await client?.close();
    await env?.stop();
  });

  it('obtains and verifies a token over mTLS and calls the Provisioning API with it', async () => {
    assert.deepEqual(await client.lookup('person', [randomUUID()]), []);
    assert.equal(await client.alive(), true);
    assert.equal(client.stats().tokenRequests, 1);
  });

  it('loads the organiser, its school units, programmes and test activities from open data', async () => {
    const now = new Date();
    const reference = await client.loadReferenceData(env.sim.organisationNumber, now);
    assert.equal(reference.organiser.organisationNumber, env.sim.organisationNumber);
    assert.ok(reference.schoolUnits.length > 0);
    assert.ok(reference.programmes.length > 0);
    assert.ok(reference.testActivities.length > 0);
    assert.equal(reference.fetchedAt, now.toISOString());
  });

  it('answers an unknown organisation number with undefined', async () => {
    assert.equal(await client.organisationByNumber('2129999999'), undefined);
  });

  it('upserts a valid Person as a bulk job that ends in Success', async () => {
    const person = testPupil(await grSchoolUnitId(client, env.sim.organisationNumber), 101);
    const { jobId } = await client.submitUpserts('person', [person]);
    const result = await personJobResult(client, jobId);
    assert.equal(result.responses.length, 1);
    assert.equal(result.responses[0]?.id, person.id);
    assert.equal(result.responses[0]?.response.status, 'Success');
    assert.equal((await client.jobResult('person', jobId, { onlyErrors: true })).responses.length, 0);
    assert.equal((await client.get('person', person.id))?.id, person.id);
    assert.deepEqual((await client.lookup('person', [person.id])).map((p) => p.id), [person.id]);
  });

  it('deletes a stored Person as a bulk job', async () => {
    const person = testPupil(await grSchoolUnitId(client, env.sim.organisationNumber), 102);
    await personJobResult(client, (await client.submitUpserts('person', [person])).jobId);
    const { jobId } = await client.submitDeletes('person', [person.id]);
    assert.equal((await personJobResult(client, jobId)).responses[0]?.response.status, 'Success');
    assert.equal(await client.get('person', person.id), undefined);
  });

  it('lists every stored person through the pages', async () => {
    const unitId = await grSchoolUnitId(client, env.sim.organisationNumber);
    const persons = Array.from({ length: 120 }, (_, i) => testPupil(unitId, 200 + i));
    await personJobResult(client, (await client.submitUpserts('person', persons)).jobId);
    const listed = new Set((await client.list('person')).map((p) => p.id));
    for (const person of persons) assert.ok(listed.has(person.id));
    assert.ok(client.stats().readCalls >= 2, 'more than one page was read');
  });

  it('counts calls by kind', () => {
    const stats = client.stats();
    assert.ok(stats.writeCalls >= 3);
    assert.ok(stats.statusCalls >= 3);
    assert.ok(stats.openDataCalls >= 3);
  });
});
