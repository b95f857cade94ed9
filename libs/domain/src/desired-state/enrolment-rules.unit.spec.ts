import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Person } from '@provsync/skolverket-api';

import type { SisEnrolment } from '../sis/sis-objects.schema.js';
import { given, id, OTHER_ORGANISERS, OUR_GR, OUR_GY, pupil } from '../../testing/sis-test-builders.js';
import { schoolUnitUuid } from './uuid-v5.js';

const at = (code: string) => ({ id: id(`org-${code}`) });
const gr = (o: Partial<SisEnrolment> = {}): SisEnrolment => ({ enroledAt: at(OUR_GR), schoolType: 'GR', schoolYear: 6, ...o });
const gy = (o: Partial<SisEnrolment> = {}): SisEnrolment => ({ enroledAt: at(OUR_GY), schoolType: 'GY', educationCode: 'NA', ...o });

/** The pupil's enrolments as sent, and the explain notes/reasons about them. */
function enrolled(enrolments: SisEnrolment[], today?: string) {
  const projection = given([pupil('ada', { enrolments })], today ? { today } : {});
  const explanation = projection.explain(id('ada'));
  return {
    sent: (projection.get('person', id('ada'))?.body as Person | undefined)?.enrolments ?? [],
    why: [...explanation.reasons, ...explanation.notes].join('\n'),
    projection,
  };
}

describe('Enrolment rules', () => {
  it('given an enrolment that ended, has not started or is cancelled, then it is not sent', () => {
    const { sent, why } = enrolled([
      gr({ endDate: '2026-06-15' }),
      gr({ startDate: '2026-10-01' }),
      gr({ cancelled: true }),
    ]);
    assert.deepEqual(sent, []);
    assert.match(why, /enrolment 1 not sent: it has ended/);
    assert.match(why, /enrolment 2 not sent: it has not started yet/);
    assert.match(why, /enrolment 3 not sent: it is cancelled/);
  });

  it('given an enrolment ending today, then it is still current', () => {
    assert.equal(enrolled([gr({ endDate: '2026-09-01' })]).sent.length, 1);
  });

  it('given an enrolment at another organiser’s school unit, then it is not sent', () => {
    const { sent, why } = enrolled([gr({ enroledAt: at(OTHER_ORGANISERS) })]);
    assert.deepEqual(sent, []);
    assert.match(why, /school unit code 99999999 .* is not one of the organiser's school units/);
  });

  it('given enroledAt already a Skolverket school-unit UUID, then it is sent as is', () => {
    const { sent } = enrolled([gr({ enroledAt: { id: schoolUnitUuid(OUR_GR) } })]);
    assert.deepEqual(sent[0]?.enroledAt, { id: schoolUnitUuid(OUR_GR) });
  });

  it('given a school type Skolverket does not take, then it is not sent', () => {
    const { sent, why } = enrolled([gr({ schoolType: 'FKLASS', schoolYear: undefined })]);
    assert.deepEqual(sent, []);
    assert.match(why, /school type FKLASS is not one Skolverket takes/);
  });

  it('given GR without a school year, or with year 11, then it is not sent', () => {
    const { sent, why } = enrolled([gr({ schoolYear: undefined }), gr({ schoolYear: 11 })]);
    assert.deepEqual(sent, []);
    assert.match(why, /enrolment 1 not sent: schoolYear is missing; it is mandatory for school type GR/);
    assert.match(why, /enrolment 2 not sent: school year 11 is outside 1–10/);
  });

  it('given a school year the school unit does not offer, or a school type it does not have, then it is not sent', () => {
    const { sent, why } = enrolled([gr({ schoolYear: 10 }), gr({ enroledAt: at(OUR_GY) })]);
    assert.deepEqual(sent, []);
    assert.match(why, /school year 10 is not offered for school type GR at school unit 11111111/);
    assert.match(why, /school unit 22222222 does not have school type GR/);
  });

  it('given GY with an active programme whose validFrom has passed, then it is sent with the educationCode', () => {
    assert.deepEqual(enrolled([gy()]).sent, [
      { enroledAt: { id: schoolUnitUuid(OUR_GY) }, schoolType: 'GY', educationCode: 'NA', cancelled: false },
    ]);
  });

  it('given GY without an educationCode, with an unknown one or an expired programme, then it is not sent', () => {
    const { sent, why } = enrolled([gy({ educationCode: undefined }), gy({ educationCode: 'XX' }), gy({ educationCode: 'OLD' })]);
    assert.deepEqual(sent, []);
    assert.match(why, /educationCode is missing; it is mandatory for school type GY/);
    assert.match(why, /educationCode XX is not a programme in the open-data API/);
    assert.match(why, /programme OLD has status Expired, not Active/);
  });

  it('given GY with a programme valid only from a later day, when that day comes, then the enrolment is sent', () => {
    const { sent, why, projection } = enrolled([gy({ educationCode: 'NEW' })]);
    assert.deepEqual(sent, []);
    assert.match(why, /programme NEW may be used only from 2026-10-01/);
    const changed = projection.setToday('2026-10-01');
    assert.deepEqual([...changed], [`person:${id('ada')}`]);
    assert.equal((projection.get('person', id('ada'))?.body as Person).enrolments?.[0]?.educationCode, 'NEW');
  });

  it('given one sendable and one unsendable enrolment, then the person is sent with the sendable one only', () => {
    const { sent, why } = enrolled([gr({ schoolYear: 11 }), gr()]);
    assert.equal(sent.length, 1);
    assert.match(why, /enrolment 1 not sent/);
  });
});
