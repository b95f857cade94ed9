import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { civicNoProblem, DUTY_ROLES, isEmailAddress, isEppn, SECURITY_MARKINGS, STAFF_EMAIL, STUDENT_EMAIL } from '@provsync/domain';
import { OPENAPI_FILES } from '@provsync/skolverket-api';
import { parse } from 'yaml';
import { Reference } from '../src/domain/reference.js';
import { defaultSeed } from '../src/domain/seed.js';
import { ObjectStore } from '../src/domain/store.js';
import { validateObject } from '../src/domain/validation/index.js';
import { personnummer, student } from './support/fixtures.js';
import { repoFile } from './support/repo.js';

/**
 * provsync's rules (libs/domain) decide what is sent; the simulator stands in for Skolverket. Where both
 * check one thing, they must agree: what provsync would send, Skolverket takes; what Skolverket refuses,
 * provsync does not send (and `explain` says why) instead of sending it and parking it.
 */
const schemas = parse(readFileSync(repoFile(OPENAPI_FILES.provisioning), 'utf8')).components.schemas;

const now = new Date('2026-06-01T12:00:00Z');
const today = '2026-06-01';
const reference = new Reference(defaultSeed(now));

/** The simulator's errors (not warnings) on one attribute of a student carrying `overrides`. */
function simulatorErrors(overrides: Record<string, unknown>, attribute: string): string[] {
  const { problems } = validateObject('person', student(overrides), { reference, store: new ObjectStore(), organisationNumber: '2120000001', now });
  return problems.filter((p) => p.severityLevel !== 'Warning' && p.attributeName === attribute).map((p) => p.id);
}

describe('provsync’s person and duty rules agree with the OpenAPI file', () => {
  it('has the duty roles, security markings and school email types of dnp-provisioning-api.yaml', () => {
    assert.deepEqual([...DUTY_ROLES], schemas.Code_DutyRole.enum);
    assert.deepEqual([...SECURITY_MARKINGS], schemas.Person.properties.securityMarking.enum);
    const emailTypes: string[] = schemas.Person.properties.emails.items.properties.type.enum;
    assert.ok(emailTypes.includes(STUDENT_EMAIL) && emailTypes.includes(STAFF_EMAIL));
  });

  it('reads the file as the person rules do: one EPPN, required with the civic number; addresses in email format', () => {
    const person = schemas.Person;
    assert.equal(person.properties.eduPersonPrincipalNames.maxItems, 1);
    assert.ok(['civicNo', 'eduPersonPrincipalNames', 'givenName', 'familyName'].every((name) => person.required.includes(name)));
    assert.match(person.properties.eduPersonPrincipalNames.description, /ett ’@’ och en domän/);
    assert.equal(person.properties.emails.items.properties.value.format, 'email');
    for (const example of [person.properties.eduPersonPrincipalNames.items.example, person.properties.emails.items.properties.value.example]) {
      assert.ok(isEppn(example) && isEmailAddress(example), example);
    }
    assert.equal(civicNoProblem(person.properties.civicNo.properties.value.example, today), undefined);
  });
});

describe('provsync’s person rules agree with the simulator’s', () => {
  const civicNos = {
    'a personnummer': personnummer('20090127', '238'),
    'a wrong check digit': '200901272386',
    'a samordningsnummer': personnummer('20090187', '238'),
    'a samordningsnummer whose day is not a date': personnummer('20090192', '238'),
    'a temporary number': '20090127TF20',
    'a temporary number that is not a date': '20090231TF20',
    '10 digits': '0901272385',
    'a separator': '20090127-2385',
    'month 13': '200913272385',
    'born today': personnummer('20260601', '123'),
    'a birth date tomorrow': personnummer('20260602', '123'),
    'a samordningsnummer born tomorrow': personnummer('20260662', '123'),
    'a temporary number from next year': '20270101TF20',
  };

  it('takes and refuses the same civic numbers, a birth date in the future refused by both', () => {
    for (const [what, value] of Object.entries(civicNos)) {
      const provsync = civicNoProblem(value, today) === undefined;
      const skolverket = simulatorErrors({ civicNo: { value, nationality: 'SE' } }, 'civicNo.value').length === 0;
      assert.equal(provsync, skolverket, `${what}: provsync ${provsync ? 'sends' : 'refuses'}, the simulator ${skolverket ? 'takes' : 'refuses'}`);
    }
    assert.equal(civicNoProblem(civicNos['a birth date tomorrow'], today) === undefined, false);
  });

  const addresses = ['ada@edu.kommun.se', 'ada.edu.kommun.se', 'ada@kommun', '@edu.kommun.se', 'ada@', 'a da@edu.kommun.se', 'ada@@edu.kommun.se', 'x7@a.b'];

  it('takes and refuses the same eduPersonPrincipalNames', () => {
    for (const value of addresses) {
      const skolverket = simulatorErrors({ eduPersonPrincipalNames: [value] }, 'eduPersonPrincipalNames[0]').length === 0;
      assert.equal(isEppn(value), skolverket, JSON.stringify(value));
    }
  });

  it('takes and refuses the same email addresses', () => {
    for (const value of addresses) {
      const skolverket = simulatorErrors({ emails: [{ value, type: STUDENT_EMAIL }] }, 'emails[0].value').length === 0;
      assert.equal(isEmailAddress(value), skolverket, JSON.stringify(value));
    }
  });
});
