import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { activity, duty, group, staff, student, UNIT } from './support/fixtures.js';
import { startTestSim, type TestSim } from './support/client.js';

let t: TestSim;
before(async () => {
  t = await startTestSim();
});
after(() => t.stop());

const statuses = (responses: any[]) => responses.map((r) => r.response.status);

describe('Provisioning API over HTTPS', () => {
  it('takes a whole load in dependency order and shows it back', async () => {
    const teacher = staff();
    const pupils = [student(), student(), student({ enrolments: [{ enroledAt: { id: UNIT.gymnasiet }, schoolType: 'GY', educationCode: 'NANAT' }] })];
    assert.deepEqual(statuses(await t.client.bulk('POST', '/persons/bulk', [teacher, ...pupils])), ['Success', 'Success', 'Success', 'Success']);
    const teacherDuty = duty(teacher.id);
    assert.deepEqual(statuses(await t.client.bulk('POST', '/duties/bulk', [teacherDuty])), ['Success']);
    const klass = group(pupils.slice(0, 2).map((p) => p.id));
    assert.deepEqual(statuses(await t.client.bulk('POST', '/groups/bulk', [klass])), ['Success']);
    const act = activity(klass.id, [teacherDuty.id]);
    assert.deepEqual(statuses(await t.client.bulk('POST', '/activities/bulk', [act])), ['Success']);

    const shown = await t.client.api('GET', `/persons/${pupils[2]!.id}`);
    assert.equal(shown.json.enrolments[0].educationCode, 'NANAT');
    assert.equal(shown.json.provisioningStatus, true);
    assert.ok(shown.json.meta.created);
    const listed = await t.client.api('GET', '/persons?limit=100');
    const listedPupil = listed.json.data.find((p: any) => p.id === pupils[2]!.id);
    assert.equal(listedPupil.enrolments, undefined); // the list shows only a selection of attributes
    assert.equal(listedPupil.civicNo.value, pupils[2]!.civicNo.value);
    assert.equal((await t.client.api('GET', `/activities/${act.id}`)).json.teachers[0].duty.id, teacherDuty.id);
  });

  it('refuses a Duty whose Person does not exist yet, and takes it once the Person does', async () => {
    const teacher = staff();
    const d = duty(teacher.id);
    const [refused] = await t.client.bulk('POST', '/duties/bulk', [d]);
    assert.equal(refused.response.status, 'Error');
    assert.deepEqual(
      refused.response.errors.map((e: any) => [e.id, e.attributeName, e.resourceType, e.resourceId]),
      [['3060', 'person.id', 'Duty', d.id]],
    );
    await t.client.bulk('POST', '/persons/bulk', [teacher]);
    assert.deepEqual(statuses(await t.client.bulk('POST', '/duties/bulk', [d])), ['Success']);
  });

  it('stores a Group without its missing members with a Warning, and takes them when the Group is sent again', async () => {
    const present = student();
    const late = student();
    await t.client.bulk('POST', '/persons/bulk', [present]);
    const klass = group([present.id, late.id]);
    const [warned] = await t.client.bulk('POST', '/groups/bulk', [klass]);
    assert.equal(warned.response.status, 'Warning');
    assert.deepEqual(warned.response.warnings.map((w: any) => [w.id, w.attributeValue]), [['3071', late.id]]);
    assert.deepEqual((await t.client.api('GET', `/groups/${klass.id}`)).json.groupMemberships, [{ person: { id: present.id } }]);
    await t.client.bulk('POST', '/persons/bulk', [late]);
    assert.deepEqual(statuses(await t.client.bulk('POST', '/groups/bulk?updateIfExists=true', [klass])), ['Success']);
    assert.equal((await t.client.api('GET', `/groups/${klass.id}`)).json.groupMemberships.length, 2);
  });

  it('refuses an Activity whose group or teacher duty does not exist, and a delete of what is still referred to', async () => {
    const klass = group([]);
    await t.client.bulk('POST', '/groups/bulk', [klass]);
    const [noGroup, noDuty] = await t.client.bulk('POST', '/activities/bulk', [activity(randomUUID(), []), activity(klass.id, [randomUUID()])]);
    assert.equal(noGroup.response.errors[0].id, '3082');
    assert.equal(noDuty.response.errors[0].id, '3083');
    const act = activity(klass.id, []);
    await t.client.bulk('POST', '/activities/bulk', [act]);
    const [stillUsed] = await t.client.bulk('POST', '/groups/bulk/delete', [klass.id]);
    assert.equal(stillUsed.response.status, 'Error');
    assert.match(stillUsed.response.errors[0].message, new RegExp(`Activity ${act.id}`));
  });

  it('answers each object of a mixed bulk on its own, and filters with showOnlyError', async () => {
    const good = student();
    const accepted = await t.client.api('POST', '/persons/bulk', { json: { data: [good, student({ enrolments: [{ enroledAt: { id: UNIT.grannskolan }, schoolType: 'GR', schoolYear: 3 }] })] } });
    const job = await t.client.job('persons', accepted.json.jobId);
    assert.deepEqual(statuses(job.responses), ['Success', 'Error']);
    const onlyErrors = await t.client.api('GET', `/persons/bulk/jobs/${accepted.json.jobId}?showOnlyError=true`);
    assert.deepEqual(statuses(onlyErrors.json.responses), ['Error']);
    assert.equal(onlyErrors.json.responses[0].response.errors[0].attributeName, 'enrolments[0].enroledAt.id');
    assert.equal((await t.client.api('GET', `/groups/bulk/jobs/${accepted.json.jobId}`)).status, 404); // a persons job is no groups job
  });

  it('pages with an opaque pageToken until it is null, and refuses a made-up one', async () => {
    const mine = Array.from({ length: 7 }, () => group([], { displayName: 'paged' }));
    await t.client.bulk('POST', '/groups/bulk', mine);
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: any = await t.client.api('GET', `/groups?limit=3${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.json.data.length <= 3);
      seen.push(...page.json.data.map((g: any) => g.id));
      token = page.json.pageToken;
      pages++;
    } while (token);
    assert.equal(new Set(seen).size, seen.length);
    for (const g of mine) assert.ok(seen.includes(g.id));
    assert.ok(pages >= 3);
    assert.equal((await t.client.api('GET', '/groups?pageToken=abc')).status, 400);
    assert.equal((await t.client.api('GET', '/groups?limit=101')).json[0].id, '3085');
  });

  it('looks persons up by id, civic number and EPPN', async () => {
    const [a, b, c] = [student(), student(), staff()];
    await t.client.bulk('POST', '/persons/bulk', [a, b, c]);
    const found = await t.client.api('POST', '/persons/lookup', {
      json: { ids: [a.id], civicNos: [b.civicNo.value], eduPersonPrincipalNames: [c.eduPersonPrincipalNames[0]] },
    });
    assert.deepEqual(found.json.map((p: any) => p.id).sort(), [a.id, b.id, c.id].sort());
    assert.equal((await t.client.api('POST', '/persons/lookup', { json: { ids: ['12'] } })).json[0].id, '2010');
  });

  it('creates only with updateIfExists when the object exists, and updates only what exists', async () => {
    const p = student();
    await t.client.bulk('POST', '/persons/bulk', [p]);
    const [again] = await t.client.bulk('POST', '/persons/bulk', [p]);
    assert.equal(again.response.errors[0].id, '4090');
    const [missing] = await t.client.bulk('PUT', '/persons/bulk', [student()]);
    assert.equal(missing.response.statusCode, 404);
    const [updated] = await t.client.bulk('POST', '/persons/bulk?updateIfExists=true', [{ ...p, givenName: 'Ändrad' }]);
    assert.equal(updated.response.statusCode, 200);
    assert.equal((await t.client.api('GET', `/persons/${p.id}`)).json.givenName, 'Ändrad');
  });
});
