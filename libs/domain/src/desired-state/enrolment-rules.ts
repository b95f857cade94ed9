import type { Enrolment, SchoolType } from '@provsync/skolverket-api';

import type { SisEnrolment } from '../sis/sis-objects.schema.js';
import { periodReason, periodStatus } from './calendar.js';
import { resolveSchoolUnit } from './resolve-school-unit.js';
import type { RuleContext } from './verdict.js';

export const SCHOOL_TYPES: readonly SchoolType[] = ['GR', 'SP', 'SAM', 'GY', 'VUXGY'];
const SCHOOL_YEAR_REQUIRED: readonly string[] = ['GR', 'SP', 'SAM'];

export const isSchoolType = (value: string | undefined): value is SchoolType =>
  SCHOOL_TYPES.includes(value as SchoolType);

export type EnrolmentVerdict = { enrolment: Enrolment } | { problems: string[] };

/** One SIS enrolment → the Enrolment Skolverket gets, or every reason it is not sent. */
export function decideEnrolment(sis: SisEnrolment, ctx: RuleContext): EnrolmentVerdict {
  const problems: string[] = [];
  const status = periodStatus(sis, ctx.today);
  if (status !== 'current') problems.push(periodReason(status));
  if (sis.cancelled === true) problems.push('it is cancelled');

  const schoolType = sis.schoolType;
  if (!isSchoolType(schoolType)) {
    problems.push(`school type ${schoolType} is not one Skolverket takes (${SCHOOL_TYPES.join(', ')})`);
  }
  const resolved = resolveSchoolUnit(sis.enroledAt.id, ctx);
  if ('problem' in resolved) problems.push(`enroledAt: ${resolved.problem}`);

  const year = sis.schoolYear;
  if (year === undefined && SCHOOL_YEAR_REQUIRED.includes(schoolType)) {
    problems.push(`schoolYear is missing; it is mandatory for school type ${schoolType}`);
  }
  if (year !== undefined && (year < 1 || year > 10)) problems.push(`school year ${year} is outside 1–10`);

  if ('unit' in resolved && isSchoolType(schoolType)) {
    const offered = resolved.unit.schoolTypes;
    const entry = offered?.find((t) => t.schoolType === schoolType);
    const code = resolved.unit.schoolUnitCode;
    if (offered && offered.length > 0 && !entry) {
      problems.push(`school unit ${code} does not have school type ${schoolType}`);
    } else if (year !== undefined && entry?.schoolYears?.length && !entry.schoolYears.some((y) => y.schoolYear === year)) {
      problems.push(`school year ${year} is not offered for school type ${schoolType} at school unit ${code}`);
    }
  }

  if (schoolType === 'GY') problems.push(...programmeProblems(sis.educationCode, ctx));

  if (problems.length > 0 || !isSchoolType(schoolType) || !('id' in resolved)) return { problems };
  return {
    enrolment: {
      enroledAt: { id: resolved.id },
      schoolType,
      cancelled: false,
      ...(year !== undefined ? { schoolYear: year } : {}),
      ...(schoolType === 'GY' ? { educationCode: sis.educationCode } : {}),
    },
  };
}

function programmeProblems(educationCode: string | undefined, ctx: RuleContext): string[] {
  if (educationCode === undefined) return ['educationCode is missing; it is mandatory for school type GY'];
  const programme = ctx.reference.programmesByCode.get(educationCode);
  if (!programme) return [`educationCode ${educationCode} is not a programme in the open-data API`];
  const problems: string[] = [];
  if (programme.status !== undefined && programme.status !== 'Active') {
    problems.push(`programme ${educationCode} has status ${programme.status}, not Active`);
  }
  const validFrom = programmeValidFromDay(programme.validFrom);
  if (validFrom !== undefined && validFrom > ctx.today) {
    problems.push(`programme ${educationCode} may be used only from ${validFrom}`);
  }
  return problems;
}

/** The day a programme's `validFrom` (RFC 3339 date-time or date) falls on, as written by Skolverket. */
export const programmeValidFromDay = (validFrom: string | undefined): string | undefined => validFrom?.slice(0, 10);
