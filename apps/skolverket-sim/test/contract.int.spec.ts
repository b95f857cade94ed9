import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OPENAPI_FILES } from '@provsync/skolverket-api';
import { activity, duty, group, staff, student, TEST_ACTIVITY, UNIT } from './support/fixtures.js';
import { startTestSim, type Answer, type SendOptions, type TestSim } from './support/client.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { repoFile } from './support/repo.js';

// Every request the tests send and every answer the simulator gives is checked against the official files.
const provisioning = new OpenApiContract(repoFile(OPENAPI_FILES.provisioning), '/provtjanst/provisioning/v1');
const openData = new OpenApiContract(repoFile(OPENAPI_FILES.openData), '/provtjanst/open-data/v1');

let t: TestSim;
before(async () => {
  t = await startTestSim();
});
after(() => t.stop());

async function call(contract: OpenApiContract, method: string, url: string, options: SendOptions = {}, requestIsValid = true): Promise<Answer> {
  if (requestIsValid) assert.deepEqual(contract.validateRequest(method, url, options.json), [], `request ${method} ${url}`);
  const answer = await t.client.send(method, url, options);
  assert.deepEqual(contract.validateResponse(method, url, answer), [], `answer to ${method} ${url}: ${answer.text.slice(0, 500)}`);
  return answer;
}
const api = (method: string, path: string, options?: SendOptions, requestIsValid?: boolean) =>
  call(provisioning, method, t.sim.provisioningUrl + path, options, requestIsValid);
const od = (path: string, requestIsValid?: boolean) => call(openData, 'GET', t.sim.openDataUrl + path, {}, requestIsValid);

async function completed(collection: string, accepted: Answer): Promise<any> {
  assert.equal(accepted.status, 202, accepted.text);
  assert.match(String(accepted.headers.location), new RegExp(`/${collection}/bulk/jobs/${accepted.json.jobId}$`));
  for (;;) {
    const done = await api('GET', `/${collection}/bulk/jobs/${accepted.json.jobId}/isCompleted`);
    if (done.json === true) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return (await api('GET', `/${collection}/bulk/jobs/${accepted.json.jobId}`)).json;
}

describe('the contract checker', () => {
  it('finds what breaks the files: a wrong shape, a missing required attribute, an undeclared status, a bad header', () => {
    const url = 'https://127.0.0.1:1/provtjanst/provisioning/v1/persons/3fa85f64-5717-4562-b3fc-2c963f66afa6';
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}): Answer => ({
      status,
      json,
      text: JSON.stringify(json),
      headers: { 'content-type': 'application/json', ...headers },
      durationMs: 0,
    });
    assert.notDeepEqual(provisioning.validateResponse('GET', url, answer(200, { id: 'x', givenName: 'A' })), []);
    assert.notDeepEqual(provisioning.validateResponse('GET', url, answer(404, [{ id: '4001', statusCode: 404, message: 'm' }])), []);
    const alive = url.replace(/\/persons\/.*$/, '/alive');
    assert.deepEqual(provisioning.validateResponse('GET', alive, answer(418, [])), ['status 418 is not declared for alive']);
    const logEntry = { id: '5021', statusCode: 429, message: 'm', severityLevel: 'Error', timeOfOccurance: new Date().toISOString() };
    assert.deepEqual(provisioning.validateResponse('GET', url, answer(429, [logEntry], { 'x-ratelimit-reset': '1' })), []);
    assert.notDeepEqual(provisioning.validateResponse('GET', url, answer(429, [logEntry], { 'x-ratelimit-reset': 'soon' })), []);
    assert.notDeepEqual(provisioning.validateRequest('POST', url.replace(/\/[^/]+$/, '/bulk'), { data: [{ id: 'x' }] }), []);
    provisioning.exercised.clear();
  });
});

describe('open-data API against provisioning-data-api.yaml', () => {
  it('answers every path with the documented shapes, including 400 and 404', async () => {
    assert.equal((await od('/alive')).status, 200);
    const org = await od('/organisations/code/2120000001?expandSchoolUnits=true');
    assert.equal(org.json.schoolUnits.length, 3);
    assert.equal((await od(`/organisations/${org.json.id}`)).json.organisationNumber, '2120000001');
    assert.equal((await od('/organisations/code/9999999999')).status, 404);
    assert.equal((await od('/organisations/not-a-uuid', false)).status, 400);
    assert.equal((await od(`/schoolUnits/${UNIT.sodra}`)).json.schoolUnitCode, '10000002');
    assert.equal((await od('/schoolUnits/code/10000003')).json.id, UNIT.gymnasiet);
    assert.equal((await od(`/schoolUnits/${randomUUID()}`)).status, 404);
    const programmes = await od('/programmes');
    assert.ok(programmes.json.length >= 6);
    const nanat = await od('/programmes/code/NANAT');
    assert.equal((await od(`/programmes/${nanat.json.id}`)).json.educationCode, 'NANAT');
    assert.equal((await od('/programmes/code/NOPE')).status, 404);
    assert.ok((await od('/activities')).json.some((a: any) => a.displayName === 'ENGENG05'));
    assert.equal((await od(`/activities/${TEST_ACTIVITY.matmat01a}`)).json.displayName, 'MATMAT01a');
    assert.equal((await od('/activities/x', false)).status, 400);
    assert.deepEqual(openData.unexercised(), []);
  });
});

describe('Provisioning API against dnp-provisioning-api.yaml', () => {
  it('answers every path with the documented shapes', async () => {
    assert.equal((await api('GET', '/alive')).status, 200);
    const teacher = staff();
    const pupil = student();
    const people = await completed('persons', await api('POST', '/persons/bulk?updateIfExists=false', { json: { data: [teacher, pupil] } }));
    assert.deepEqual(people.responses.map((r: any) => r.response.status), ['Success', 'Success']);
    const updated = await completed('persons', await api('PUT', '/persons/bulk', { json: { data: [{ ...pupil, givenName: 'Ny' }] } }));
    assert.equal(updated.responses[0].response.status, 'Success');

    const teacherDuty = duty(teacher.id);
    await completed('duties', await api('POST', '/duties/bulk', { json: { data: [teacherDuty] } }));
    await completed('duties', await api('PUT', '/duties/bulk', { json: { data: [{ ...teacherDuty, dutyRole: 'Förstelärare' }] } }));
    const klass = group([pupil.id, randomUUID()]);
    const warned = await completed('groups', await api('POST', '/groups/bulk?updateIfExists=true', { json: { data: [klass] } }));
    assert.equal(warned.responses[0].response.status, 'Warning');
    await completed('groups', await api('PUT', '/groups/bulk', { json: { data: [group([pupil.id], { id: klass.id })] } }));
    const act = activity(klass.id, [teacherDuty.id]);
    await completed('activities', await api('POST', '/activities/bulk', { json: { data: [act] } }));
    await completed('activities', await api('PUT', '/activities/bulk', { json: { data: [{ ...act, displayName: 'Ma 6A' }] } }));

    for (const [collection, id] of [['persons', pupil.id], ['duties', teacherDuty.id], ['groups', klass.id], ['activities', act.id]] as const) {
      const page = await api('GET', `/${collection}?limit=1`);
      assert.equal(page.json.data.length, 1);
      assert.equal((await api('GET', `/${collection}/${id}`)).json.id, id);
      assert.equal((await api('POST', `/${collection}/lookup`, { json: { ids: [id] } })).json.length, 1);
      assert.equal((await api('GET', `/${collection}/${randomUUID()}`)).status, 404);
      assert.equal((await api('GET', `/${collection}/nope`, {}, false)).status, 400);
    }
    const byCivicNo = await api('POST', '/persons/lookup', { json: { civicNos: [pupil.civicNo.value], eduPersonPrincipalNames: [teacher.eduPersonPrincipalNames[0]] } });
    assert.equal(byCivicNo.json.length, 2);
    const list = await api('GET', '/persons?limit=1');
    assert.equal((await api('GET', `/persons?limit=1&pageToken=${list.json.pageToken}`)).json.data.length, 1);
    assert.equal((await api('GET', '/persons?limit=0', {}, false)).status, 400);

    const refused = await completed('persons', await api('POST', '/persons/bulk/delete', { json: { data: [pupil.id] } }));
    assert.equal(refused.responses[0].response.status, 'Error');
    const onlyErrors = await api('GET', `/persons/bulk/jobs/${refused.jobId}?showOnlyError=true`);
    assert.equal(onlyErrors.json.responses.length, 1);
    for (const [collection, id] of [['activities', act.id], ['groups', klass.id], ['duties', teacherDuty.id], ['persons', pupil.id]] as const) {
      const deleted = await completed(collection, await api('POST', `/${collection}/bulk/delete`, { json: { data: [id] } }));
      assert.equal(deleted.responses[0].response.status, 'Success', JSON.stringify(deleted));
    }
    for (const collection of ['persons', 'duties', 'groups', 'activities']) {
      assert.equal((await api('GET', `/${collection}/bulk/jobs/${randomUUID()}`)).status, 404);
      assert.equal((await api('GET', `/${collection}/bulk/jobs/${randomUUID()}/isCompleted`)).status, 404);
    }
    assert.deepEqual(provisioning.unexercised(), []);
  });

  it('documents its refusals: 400 on a bad parameter or body, 403 on a bad token, 413 on a large body', async () => {
    const bad = await api('POST', '/persons/bulk?updateIfExists=maybe', { json: { data: [] } }, false);
    assert.equal(bad.status, 400);
    assert.equal(bad.json[0].parameterName, 'updateIfExists');
    assert.equal((await api('POST', '/groups/bulk', { raw: '{"data": [', headers: { 'content-type': 'application/json' } }, false)).status, 400);
    assert.equal((await api('POST', '/duties/bulk', { json: { data: [{ id: 'x' }] } }, false)).status, 400);
    assert.equal((await api('POST', '/activities/lookup', { json: { ids: ['nope'] } }, false)).status, 400);
    const forbidden = await api('GET', '/persons', { token: 'not.a.token' });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.json[0].id, '5002');
    const large = await api('POST', '/persons/bulk', { raw: `{"data":[],"pad":"${'x'.repeat(210_000)}"}` }, false);
    assert.equal(large.status, 413);
  });

  it('documents 429 and 503 answers with the rate-limit headers', async () => {
    const limited = await startTestSim({ rateLimit: { writesPerSecond: 1, readsPerSecond: 1 } });
    try {
      const url = `${limited.sim.provisioningUrl}/persons`;
      const answers = [await limited.client.send('GET', url), await limited.client.send('GET', url)];
      assert.deepEqual(answers.map((a) => a.status), [200, 429]);
      for (const answer of answers) assert.deepEqual(provisioning.validateResponse('GET', url, answer), []);
      limited.sim.setFaults({ unavailableShare: 1 });
      await new Promise((r) => setTimeout(r, 1100));
      const unavailable = await limited.client.send('GET', url);
      assert.equal(unavailable.status, 503);
      assert.deepEqual(provisioning.validateResponse('GET', url, unavailable), []);
    } finally {
      await limited.stop();
    }
  });
});
