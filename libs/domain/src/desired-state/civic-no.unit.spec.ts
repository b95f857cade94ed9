import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { civicNoBirthDate, civicNoProblem } from './civic-no.js';
import { civicNo, TODAY } from '../../testing/sis-test-builders.js';

describe('civicNo rule', () => {
  it('given the 12-digit personnummer from Skolverket’s example, then it is accepted', () => {
    assert.equal(civicNoProblem('200901272385', TODAY), undefined);
  });

  it('given a wrong check digit, then it is refused for its check digit', () => {
    assert.match(civicNoProblem('200901272386', TODAY)!, /check digit/);
  });

  it('given a samordningsnummer (day + 60), then it is accepted', () => {
    assert.equal(civicNoProblem(civicNo('20090187', '238'), TODAY), undefined);
    assert.match(civicNoProblem(civicNo('20090192', '238'), TODAY)!, /samordningsnummer/);
  });

  it('given a temporary number YYYYMMDDTFxx, then it is accepted; with an impossible date, refused', () => {
    assert.equal(civicNoProblem('20090127TF20', TODAY), undefined);
    assert.equal(civicNoProblem('20130101TF01', TODAY), undefined);
    assert.match(civicNoProblem('20090231TF20', TODAY)!, /calendar date/);
  });

  it('given a birth date after today, then it is refused, as Skolverket does; from that day on it is accepted', () => {
    const tomorrow = civicNo('20260902');
    assert.match(civicNoProblem(tomorrow, '2026-09-01')!, /birth date in the future/);
    assert.equal(civicNoProblem(tomorrow, '2026-09-02'), undefined);
    assert.match(civicNoProblem(civicNo('20260962'), '2026-09-01')!, /in the future/, 'a samordningsnummer too');
    assert.match(civicNoProblem('20270101TF20', '2026-09-01')!, /in the future/, 'a temporary number too');
  });

  it('reads the birth date of each kind of number', () => {
    assert.equal(civicNoBirthDate('200901272385'), '2009-01-27');
    assert.equal(civicNoBirthDate('200901872385'), '2009-01-27');
    assert.equal(civicNoBirthDate('20090127TF20'), '2009-01-27');
    assert.equal(civicNoBirthDate('0901272385'), undefined);
  });

  it('given 10 digits, separators or an impossible date, then it is refused without repeating the number', () => {
    for (const value of ['0901272385', '20090127-2385', '200913272385', civicNo('20991231')]) {
      const problem = civicNoProblem(value, TODAY);
      assert.ok(problem, value);
      assert.ok(!problem.includes(value));
    }
  });
});
