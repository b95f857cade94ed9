import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { generateMunicipality, municipalityEvents, summarizeMunicipality } from './municipality-events.js';
import { BENCHMARK_SCALE } from './options.js';
import type { SchoolSpec } from './reference-values.js';
import { assertContract, assertReferencesResolve } from '../testing/contract-assertions.js';

const today = '2027-01-20';

describe('scaling', () => {
  it('grows the counts with the options', () => {
    const small = summarizeMunicipality({ seed: 1, today, pupils: 500 });
    const large = summarizeMunicipality({ seed: 1, today, pupils: 5_000 });
    assert.equal(small.counts.pupils, 500);
    assert.equal(large.counts.pupils, 5_000);
    assert.ok(large.counts.staff > 5 * small.counts.staff);
    assert.ok(large.counts.klassGroups > 5 * small.counts.klassGroups);
    assert.ok(large.counts.activities > 5 * small.counts.activities);
    const staffed = summarizeMunicipality({ seed: 1, today, pupils: 500, staffPerSchool: 40 });
    assert.equal(staffed.counts.staff, 120);
  });

  it('splits classes into smaller teaching groups when asked', () => {
    const whole = summarizeMunicipality({ seed: 1, today, pupils: 2_000 });
    const split = summarizeMunicipality({ seed: 1, today, pupils: 2_000, teachingGroupSize: 13 });
    assert.equal(split.counts.undervisningGroups, 2 * whole.counts.undervisningGroups);
    assert.equal(split.counts.klassGroups, whole.counts.klassGroups);
  });

  it('takes any school units, and stays valid for them', () => {
    const schools: SchoolSpec[] = Array.from({ length: 6 }, (_, i) => ({
      schoolUnitCode: String(20000001 + i),
      displayName: `Skola ${i + 1}`,
      offers: i % 2 ? [{ schoolType: 'GR', years: [6, 7, 8, 9] }] : [{ schoolType: 'GY', programmes: ['NANAT', 'TEINF'] }],
    }));
    const { events, summary } = generateMunicipality({ seed: 3, today, pupils: 1_500, schools, name: 'storstad' });
    assertContract(events);
    const index = assertReferencesResolve(events);
    assert.equal(index.organisation.size, 7);
    assert.equal(summary.source, 'urn:sis:sample:storstad');
  });

  it('streams a large municipality without collecting it', () => {
    const options = { seed: 9, today, pupils: 30_000 };
    let events = 0;
    for (const event of municipalityEvents(options)) {
      if (event.subject) events++;
    }
    assert.equal(events, summarizeMunicipality(options).counts.events);
  });

  it('plans the benchmark municipality at the sizes the benchmarks need (±2 %)', () => {
    const { counts } = summarizeMunicipality({ seed: 1, today, ...BENCHMARK_SCALE });
    const near = (actual: number, wanted: number) => Math.abs(actual - wanted) <= 0.02 * wanted;
    assert.equal(counts.pupils, 150_000);
    assert.ok(near(counts.staff, 15_000), `staff ${counts.staff}`);
    assert.ok(near(counts.groups, 22_000), `groups ${counts.groups}`);
    assert.ok(near(counts.activities, 17_000), `activities ${counts.activities}`);
  });

  it('gives a share of the classes in national-test years a whole-class activity, valid and counted', () => {
    const plain = generateMunicipality({ seed: 4, today, pupils: 1_000 });
    const { events, summary } = generateMunicipality({ seed: 4, today, pupils: 1_000, classActivityShare: 0.5 });
    assertContract(events);
    const index = assertReferencesResolve(events);
    assert.ok(summary.counts.activities > plain.summary.counts.activities);
    assert.equal(index.activity.size, summary.counts.activities);
    const klassIds = new Set([...index.group.values()].filter((g) => g.groupType === 'Klass').map((g) => g.id));
    const onClasses = [...index.activity.values()].filter((a) => klassIds.has(a.groups[0]!.id));
    assert.equal(onClasses.length, summary.counts.activities - plain.summary.counts.activities);
    assert.throws(() => summarizeMunicipality({ seed: 1, today, classActivityShare: 1.5 }), /classActivityShare/);
  });

  it('refuses options it cannot honour', () => {
    assert.throws(() => summarizeMunicipality({ seed: 1, today: '2027-02-30', pupils: 1 }), /YYYY-MM-DD/);
    assert.throws(() => summarizeMunicipality({ seed: 1, today, pupils: -1 }), /pupils/);
    assert.throws(() => summarizeMunicipality({ seed: 1, today, staffPerSchool: 1 }), /staffPerSchool/);
  });
});
