import type { Person } from '@provsync/skolverket-api';

import type { SisPerson } from '../sis/sis-objects.schema.js';
import { periodTransitions } from './calendar.js';
import { civicNoBirthDate } from './civic-no.js';
import { dutyOwnProblems } from './duty-rules.js';
import { decideEnrolment, programmeValidFromDay } from './enrolment-rules.js';
import {
  EDUID_CONTEXT,
  hasStaffEmail,
  isEmailAddress,
  NO_STAFF_EMAIL,
  personIdentityProblems,
  STAFF_EMAIL,
  STUDENT_EMAIL,
} from './person-identity.js';
import type { RuleContext, Transitions, Verdict } from './verdict.js';
import { listIds } from './verdict.js';

type Email = NonNullable<Person['emails']>[number];
type ExternalIdentifier = NonNullable<Person['externalIdentifiers']>[number];

/**
 * Person is sent with at least one current sendable enrolment or duty. A staff member (someone with a
 * duty that would otherwise be sent) needs a `Skola personal` email, or neither they nor their duties are sent.
 */
export function decidePerson(person: SisPerson, ctx: RuleContext): Verdict<Person> {
  const reasons = personIdentityProblems(person, ctx.today);
  const notes: string[] = [];

  const enrolments: NonNullable<Person['enrolments']> = [];
  (person.enrolments ?? []).forEach((sis, i) => {
    const verdict = decideEnrolment(sis, ctx);
    if ('enrolment' in verdict) enrolments.push(verdict.enrolment);
    else notes.push(`enrolment ${i + 1} not sent: ${verdict.problems.join('; ')}`);
  });

  const dutyIds = [...ctx.sis.dutiesOfPerson(person.id)].filter((id) => ctx.sis.duties.has(id)).sort();
  const staffDuties = dutyIds.filter((id) => dutyOwnProblems(ctx.sis.duties.get(id)!, ctx).length === 0);
  const sentDuties = dutyIds.filter((id) => ctx.isDutySent(id));
  const isStaff = staffDuties.length > 0;
  const staffWithoutEmail = isStaff && !hasStaffEmail(person);
  if (staffWithoutEmail) reasons.push(`${NO_STAFF_EMAIL}, so neither they nor their duties are sent`);
  const unsentDuties = dutyIds.filter((id) => !sentDuties.includes(id));
  if (unsentDuties.length > 0) notes.push(`duties not sent (see explain of each): ${listIds(unsentDuties)}`);
  if (enrolments.length === 0 && sentDuties.length === 0 && !staffWithoutEmail) {
    reasons.push('has no current sendable enrolment or duty');
  }

  const emails = keptEmails(person, notes);
  const externalIdentifiers = keptExternalIdentifiers(person, isStaff, notes);
  if (reasons.length > 0) return { reasons, notes, refs: [] };
  return {
    body: {
      id: person.id,
      civicNo: { value: person.civicNo!.value, nationality: 'SE' },
      givenName: person.givenName,
      ...(person.middleName !== undefined ? { middleName: person.middleName } : {}),
      familyName: person.familyName,
      eduPersonPrincipalNames: [...new Set(person.eduPersonPrincipalNames)],
      ...(emails.length > 0 ? { emails } : {}),
      ...(person.securityMarking !== undefined
        ? { securityMarking: person.securityMarking as Person['securityMarking'] }
        : {}),
      ...(enrolments.length > 0 ? { enrolments } : {}),
      ...(externalIdentifiers.length > 0 ? { externalIdentifiers } : {}),
    },
    refs: [],
    reasons,
    notes,
  };
}

function keptEmails(person: SisPerson, notes: string[]): Email[] {
  const kept: Email[] = [];
  const droppedTypes = new Set<string>();
  (person.emails ?? []).forEach((email, i) => {
    if (email.type !== STUDENT_EMAIL && email.type !== STAFF_EMAIL) droppedTypes.add(email.type ?? '(no type)');
    // Skolverket refuses the whole person for one malformed address: leave the address out instead.
    else if (!isEmailAddress(email.value)) notes.push(`emails[${i}] is left out: not an address with a local part, an '@' and a domain`);
    else kept.push({ value: email.value, type: email.type });
  });
  if (droppedTypes.size > 0) {
    notes.push(`emails of type ${[...droppedTypes].join(', ')} are left out (only '${STUDENT_EMAIL}' and '${STAFF_EMAIL}' are sent)`);
  }
  return kept;
}

function keptExternalIdentifiers(person: SisPerson, isStaff: boolean, notes: string[]): ExternalIdentifier[] {
  const all = person.externalIdentifiers ?? [];
  if (all.length === 0) return [];
  if (!isStaff) {
    notes.push('externalIdentifiers are left out: they are sent for staff only');
    return [];
  }
  const eduId = all.filter((x) => x.context.replace(/\/$/, '') === EDUID_CONTEXT);
  const values = [...new Set(eduId.map((x) => x.value))];
  if (eduId.length < all.length) notes.push(`externalIdentifiers with a context other than ${EDUID_CONTEXT} are left out`);
  if (values.length > 1) {
    notes.push(`externalIdentifiers are left out: ${values.length} eduID identifiers, at most one may be sent`);
    return [];
  }
  const [one] = eduId;
  return one ? [{ value: one.value, context: EDUID_CONTEXT, globallyUnique: one.globallyUnique ?? true }] : [];
}

/** Enrolment dates, the days its GY programmes become valid, and a birth date still to come (a civicNo typo, mostly). */
export function personTransitions(person: SisPerson, ctx: RuleContext): Transitions {
  const days: string[] = [];
  const birthDate = person.civicNo && civicNoBirthDate(person.civicNo.value);
  if (birthDate !== undefined && birthDate > ctx.today) days.push(birthDate);
  for (const e of person.enrolments ?? []) {
    days.push(...periodTransitions(e));
    if (e.educationCode !== undefined) {
      const validFrom = programmeValidFromDay(ctx.reference.programmesByCode.get(e.educationCode)?.validFrom);
      if (validFrom !== undefined) days.push(validFrom);
    }
  }
  return days;
}
