import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { civicNoProblem } from '../src/domain/civic-no.js';
import { uuidv5 } from '../src/domain/uuid5.js';
import { personnummer } from './support/fixtures.js';

describe('uuidv5 over the nil namespace', () => {
  it('gives the ids the official files give as examples', () => {
    assert.equal(uuidv5('31279295'), 'fb22448b-b724-5e53-8a2c-d8b339206901'); // school unit
    assert.equal(uuidv5('5567044268'), '657ae6a4-2978-5fbe-b357-ba353c0f03b5'); // organiser
    assert.equal(uuidv5('EKJURV'), 'f8bd4423-9693-51ed-a854-6e9984e6c2f7'); // programme
    assert.equal(uuidv5('MATMAT01'), '505c5ee0-7be4-560d-9c27-10ab0d96ac9a'); // national-test activity
  });
});

describe('civic numbers', () => {
  const today = new Date('2026-06-01T00:00:00Z');
  it('takes a personnummer with a valid check digit, a samordningsnummer and a temporary number', () => {
    assert.equal(civicNoProblem('200901272385', today), null);
    // A samordningsnummer's check digit is computed with the day + 60 (so the spec's example 200901872385 is not valid).
    assert.equal(civicNoProblem(personnummer('20090187', '238'), today), null);
    assert.match(civicNoProblem('200901872385', today)!, /kontrollsiffran/);
    assert.equal(civicNoProblem('20090127TF20', today), null);
    assert.equal(civicNoProblem('20090127TF13', today), null);
  });

  it('refuses a wrong check digit, an impossible or future date, and other formats', () => {
    assert.match(civicNoProblem('200901272386', today)!, /kontrollsiffran/);
    assert.match(civicNoProblem('200902302385', today)!, /giltigt datum/);
    assert.match(civicNoProblem('200902902385', today)!, /giltigt datum/); // samordningsnummer day 30 in February
    assert.match(civicNoProblem(personnummer('20300101', '123'), today)!, /framtiden/);
    for (const value of ['20090127-2385', '0901272385', '2009012723850', '20090127tf20', '20091327TF20', '']) {
      assert.notEqual(civicNoProblem(value, today), null, value);
    }
  });

  it('never repeats the number in its reason', () => {
    for (const value of ['200901272386', '200902302385', '20090127XX20']) assert.ok(!civicNoProblem(value, today)!.includes(value.slice(0, 8)));
  });
});
