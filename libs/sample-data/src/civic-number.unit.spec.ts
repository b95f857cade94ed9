import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { allocateCivicNumber } from './civic-number-allocator.js';
import { civicNumber, isCoordinationNumber, isValidCivicNumber, luhnCheckDigit } from './civic-number.js';

describe('civic numbers', () => {
  it('computes the Luhn check digit of the textbook example 811218-987(6)', () => {
    assert.equal(luhnCheckDigit('811218987'), 6);
    assert.equal(isValidCivicNumber('198112189876'), true);
    assert.equal(isValidCivicNumber('198112189875'), false);
  });

  it('accepts Skolverket\'s own example and its samordningsnummer form', () => {
    assert.equal(isValidCivicNumber('200901272385'), true);
    assert.equal(civicNumber({ year: 2009, month: 1, day: 27, serial: 238, coordination: true }).slice(0, 8), '20090187');
    assert.equal(isValidCivicNumber(civicNumber({ year: 2009, month: 1, day: 27, serial: 238, coordination: true })), true);
    assert.equal(isCoordinationNumber('200901872385'), true);
  });

  it('rejects impossible dates and wrong lengths', () => {
    assert.equal(isValidCivicNumber(`20100230123${luhnCheckDigit('100230123')}`), false);
    assert.equal(isValidCivicNumber('2010013012'), false);
  });

  it('gives every k of a birth year its own valid number, with the sex in the birth number', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 20_000; k++) {
      const { value, male } = allocateCivicNumber(7, 2012, k, k % 333 === 0);
      assert.equal(isValidCivicNumber(value), true, value);
      assert.equal(value.slice(0, 4), '2012');
      assert.equal(Number(value[10]) % 2 === 1, male);
      seen.add(value.slice(0, 6) + (Number(value.slice(6, 8)) % 60) + value.slice(8, 11));
    }
    assert.equal(seen.size, 20_000);
  });
});
