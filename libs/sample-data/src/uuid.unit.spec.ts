import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { idMaker, uuidv5 } from './uuid.js';

describe('uuidv5', () => {
  it('matches Skolverket\'s open-data ids (school unit 31279295)', () => {
    assert.equal(uuidv5('31279295', '00000000-0000-0000-0000-000000000000'), 'fb22448b-b724-5e53-8a2c-d8b339206901');
  });

  it('makes the same id for the same seed and name, and different ones otherwise', () => {
    assert.equal(idMaker(1)('pupil:0'), idMaker(1)('pupil:0'));
    assert.notEqual(idMaker(1)('pupil:0'), idMaker(2)('pupil:0'));
    assert.notEqual(idMaker(1)('pupil:0'), idMaker(1)('pupil:1'));
  });

  it('handles names longer than its scratch buffer', () => {
    const long = 'ö'.repeat(3_000);
    assert.match(idMaker(1)(long), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
