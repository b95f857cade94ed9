import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Reference } from '../src/domain/reference.js';
import { defaultSeed, parseSeed } from '../src/domain/seed.js';
import { uuidv5 } from '../src/domain/uuid5.js';

const now = new Date('2026-06-01T00:00:00Z');

describe('the default seed', () => {
  const ref = new Reference(defaultSeed(now));

  it('has the organisers and school units other engineers generate sample data against', () => {
    assert.equal(ref.clientOrganisationNumber, '2120000001');
    assert.equal(ref.organisationByNumber('2120000001')!.displayName, 'Provsyncs kommun');
    assert.equal(ref.organisationByNumber('2120000001')!.id, uuidv5('2120000001'));
    const units = (org: string) => ref.schoolUnitsOf(org).map((u) => [u.schoolUnitCode, u.displayName, u.schoolTypes!.map((t) => `${t.schoolType}:${t.schoolYears?.map((y) => y.schoolYear).join(',') ?? ''}`)]);
    assert.deepEqual(units('2120000001'), [
      ['10000001', 'Norra grundskolan', ['GR:1,2,3,4,5,6,7,8,9']],
      ['10000002', 'Södra grundskolan', ['GR:1,2,3,4,5,6,7,8,9', 'SP:1,2,3,4,5,6,7,8,9,10']],
      ['10000003', 'Centrala gymnasiet', ['GY:']],
    ]);
    assert.deepEqual(units('2120000002'), [['20000001', 'Grannskolan', ['GR:1,2,3,4,5,6,7,8,9']]]);
    assert.equal(ref.schoolUnitByCode('10000001')!.id, uuidv5('10000001'));
  });

  it('has active, expired and not-yet-valid programmes and the national-test activities', () => {
    const programme = (code: string) => ref.programmeByCode(code)!;
    for (const code of ['NANAT', 'SAMSA', 'TEINF', 'EKEKO']) {
      assert.equal(programme(code).status, 'Active');
      assert.ok(Date.parse(programme(code).validFrom!) < now.getTime());
      assert.equal(programme(code).id, uuidv5(code));
    }
    assert.equal(programme('ESEST').status, 'Expired');
    assert.equal(programme('TEDAT').status, 'New');
    assert.ok(Date.parse(programme('TEDAT').validFrom!) > now.getTime());
    const activities = Object.fromEntries(ref.activities.map((a) => [a.displayName, `${a.schoolType}${a.schoolYear ?? ''}`]));
    for (const gy of ['MATMAT01a', 'MATMAT02b', 'ENGENG05', 'ENGENG06', 'SVESVE01', 'SVASVA01']) assert.equal(activities[gy], 'GY');
    for (const year of [6, 9]) for (const s of ['MAT', 'ENG', 'SVE']) assert.equal(activities[`GRGR${s}01_${year}`], `GR${year}`);
    assert.equal(ref.activityById(uuidv5('ENGENG05'))!.displayName, 'ENGENG05');
  });
});

describe('a seed file', () => {
  it('is checked, with the offending field named', () => {
    assert.throws(() => parseSeed({ clientOrganisationNumber: '1', organisations: [], programmes: [], activities: [] }, 'x.json'), /clientOrganisationNumber: ska vara 10 siffror/);
    const seed = defaultSeed(now);
    assert.throws(() => parseSeed({ ...seed, clientOrganisationNumber: '5555555555' }, 'x.json'), /none of its organisations/);
    assert.throws(() => parseSeed({ ...seed, activities: [{ displayName: 'X', schoolType: 'FS' }] }, 'x.json'), /activities\.0\.schoolType/);
    assert.equal(parseSeed(JSON.parse(JSON.stringify(seed)), 'x.json').organisations.length, 2);
  });
});
