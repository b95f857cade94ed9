import { DEFAULT_SCHOOLS, type SchoolSpec } from './reference-values.js';
import { parseDate } from './dates.js';

export interface MunicipalityOptions {
  seed: number;
  /** YYYY-MM-DD: every start date lies before it; nothing reads the clock. */
  today: string;
  /** Default 2,000. */
  pupils?: number;
  /** Default: one staff member per ten pupils of the school, at least 6. */
  staffPerSchool?: number;
  /** Default: the three school units the Skolverket simulator knows (DEFAULT_SCHOOLS). */
  schools?: readonly SchoolSpec[];
  /** Names the SIS: source `urn:sis:sample:<name>`. Default `provsyncs-kommun`. */
  name?: string;
  /** Most pupils per class (default 25). */
  classSize?: number;
  /** Most pupils per teaching group; a class is split into several when larger (default: classSize). */
  teachingGroupSize?: number;
  /** Adds a few realistic objects that Skolverket must not get (default false). */
  includeInvalid?: boolean;
  /**
   * Share (0..1) of the Klass groups in a year with national tests that also get a whole-class national-test
   * activity (their year's first test) besides the teaching groups' ones. Default 0.
   */
  classActivityShare?: number;
}

export type ResolvedOptions = Required<Omit<MunicipalityOptions, 'staffPerSchool'>> &
  Pick<MunicipalityOptions, 'staffPerSchool'>;

export function resolveOptions(options: MunicipalityOptions): ResolvedOptions {
  parseDate(options.today);
  const classSize = options.classSize ?? 25;
  const resolved: ResolvedOptions = {
    seed: options.seed,
    today: options.today,
    pupils: options.pupils ?? 2_000,
    staffPerSchool: options.staffPerSchool,
    schools: options.schools ?? DEFAULT_SCHOOLS,
    name: options.name ?? 'provsyncs-kommun',
    classSize,
    teachingGroupSize: options.teachingGroupSize ?? classSize,
    includeInvalid: options.includeInvalid ?? false,
    classActivityShare: options.classActivityShare ?? 0,
  };
  if (!Number.isInteger(resolved.seed)) throw new RangeError('seed must be an integer');
  if (!Number.isInteger(resolved.pupils) || resolved.pupils < 0) throw new RangeError('pupils must be a whole number ≥ 0');
  if (resolved.schools.length === 0) throw new RangeError('schools must name at least one school unit');
  if (!(classSize >= 1) || !(resolved.teachingGroupSize >= 1)) throw new RangeError('group sizes must be ≥ 1');
  if (resolved.staffPerSchool !== undefined && !(resolved.staffPerSchool >= 2)) {
    throw new RangeError('staffPerSchool must be at least 2 (a principal and a teacher)');
  }
  if (!(resolved.classActivityShare >= 0 && resolved.classActivityShare <= 1)) {
    throw new RangeError('classActivityShare must be between 0 and 1');
  }
  if (!/^[a-z0-9-]+$/.test(resolved.name)) throw new RangeError('name may hold only a-z, 0-9 and "-"');
  return resolved;
}

/**
 * A large municipality for benchmarks: 150,000 pupils, ~15,000 staff, ~22,000 groups (~6,500 classes of at most
 * 23, split into teaching groups of at most 10 for the national-test subjects) and ~17,000 activities (one per
 * teaching group, and a whole-class one for most classes in a national-test year).
 */
export const BENCHMARK_SCALE = {
  pupils: 150_000,
  classSize: 23,
  teachingGroupSize: 10,
  classActivityShare: 0.82,
} as const satisfies Partial<MunicipalityOptions>;