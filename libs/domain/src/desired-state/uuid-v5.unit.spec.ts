import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { derivedActivityId, schoolUnitUuid, testActivityUuid } from './uuid-v5.js';

describe('Skolverket ids', () => {
  it('given school unit code 31279295, then its id is the one the open-data API documents', () => {
    assert.equal(schoolUnitUuid('31279295'), 'fb22448b-b724-5e53-8a2c-d8b339206901');
  });

  it('given national-test activity MATMAT01, then its id is the one the open-data API documents', () => {
    assert.equal(testActivityUuid('MATMAT01'), '505c5ee0-7be4-560d-9c27-10ab0d96ac9a');
  });

  it('given an activity and a group, then the derived activity id is stable and differs per group', () => {
    const a = '5f3c2a9e-1111-4111-8111-111111111111';
    assert.equal(derivedActivityId(a, 'g1'), derivedActivityId(a, 'g1'));
    assert.notEqual(derivedActivityId(a, 'g1'), derivedActivityId(a, 'g2'));
    assert.match(derivedActivityId(a, 'g1'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
