import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { civicNoProblem } from './civic-no.js';
import { civicNo } from './sis-test-builders.js';

describe('civicNo rule', () => {
  it('given the 12-digit personnummer from Skolverket’s example, then it is accepted', () => {
    assert.equal(civicNoProblem('200901272385'), undefined);
  });

  it('given a wrong check digit, then it is refused for its check digit', () => {
    assert.match(civicNoProblem('200901272386')!, /check digit/);
  });

  it('given a samordningsnummer (day + 60), then it is accepted', () => {
    assert.equal(civicNoProblem(civicNo('20090187', '238')), undefined);
    assert.match(civicNoProblem(civicNo('20090192', '238'))!, /samordningsnummer/);
  });

  it('given a temporary number YYYYMMDDTFxx, then it is accepted; with an impossible date, refused', () => {
    assert.equal(civicNoProblem('20090127TF20'), undefined);
    assert.equal(civicNoProblem('20130101TF01'), undefined);
    assert.match(civicNoProblem('20090231TF20')!, /calendar date/);
  });

  it('given 10 digits, separators or an impossible date, then it is refused without repeating the number', () => {
    for (const value of ['0901272385', '20090127-2385', '200913272385']) {
      const problem = civicNoProblem(value);
      assert.ok(problem, value);
      assert.ok(!problem.includes(value));
    }
  });
});
