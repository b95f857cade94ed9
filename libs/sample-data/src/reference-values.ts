/**
 * The organiser, school units, programmes and national tests that the Skolverket simulator's default
 * seed knows: generated data refers to exactly these, so every expected object is accepted there.
 */
export const SAMPLE_ORGANISER = { organisationNumber: '2120000001', displayName: 'Provsyncs kommun' } as const;

export const GY_PROGRAMMES = ['NANAT', 'SAMSA', 'TEINF', 'EKEKO'] as const;

export type SchoolType = 'GR' | 'SP' | 'SAM' | 'GY';

export interface YearOffer {
  schoolType: 'GR' | 'SP' | 'SAM';
  years: readonly number[];
  /** Pupils per school year relative to other offers (default 1). */
  weight?: number;
}

export interface ProgrammeOffer {
  schoolType: 'GY';
  programmes: readonly string[];
  /** Default 1, 2, 3. */
  years?: readonly number[];
  /** Pupils per school year, all programmes together, relative to other offers (default 1). */
  weight?: number;
}

export type SchoolOffer = YearOffer | ProgrammeOffer;

export interface SchoolSpec {
  schoolUnitCode: string;
  displayName: string;
  offers: readonly SchoolOffer[];
  /** Overrides `staffPerSchool` for this school. */
  staff?: number;
}

const GR_YEARS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

export const DEFAULT_SCHOOLS: readonly SchoolSpec[] = [
  { schoolUnitCode: '10000001', displayName: 'Norra grundskolan', offers: [{ schoolType: 'GR', years: GR_YEARS }] },
  {
    schoolUnitCode: '10000002',
    displayName: 'Södra grundskolan',
    offers: [
      { schoolType: 'GR', years: GR_YEARS },
      // Specialskola classes are small: a few pupils per year.
      { schoolType: 'SP', years: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], weight: 0.05 },
    ],
  },
  {
    schoolUnitCode: '10000003',
    displayName: 'Centrala gymnasiet',
    offers: [{ schoolType: 'GY', programmes: GY_PROGRAMMES }],
  },
];

export interface NationalTest {
  /** The test activity's name in the open-data API (`parentActivity.displayName`). */
  code: string;
  subject: string;
}

/** National tests per school type and school year; years without tests get no teaching groups. */
export const NATIONAL_TESTS: Readonly<Record<string, readonly NationalTest[]>> = {
  'GR:6': [
    { code: 'GRGRMAT01_6', subject: 'Matematik' },
    { code: 'GRGRENG01_6', subject: 'Engelska' },
    { code: 'GRGRSVE01_6', subject: 'Svenska' },
  ],
  'GR:9': [
    { code: 'GRGRMAT01_9', subject: 'Matematik' },
    { code: 'GRGRENG01_9', subject: 'Engelska' },
    { code: 'GRGRSVE01_9', subject: 'Svenska' },
  ],
  'GY:1': [
    { code: 'MATMAT01a', subject: 'Matematik 1a' },
    { code: 'ENGENG05', subject: 'Engelska 5' },
    { code: 'SVESVE01', subject: 'Svenska 1' },
  ],
  'GY:2': [
    { code: 'MATMAT02b', subject: 'Matematik 2b' },
    { code: 'ENGENG06', subject: 'Engelska 6' },
  ],
};

export function nationalTestsFor(schoolType: SchoolType, year: number): readonly NationalTest[] {
  return NATIONAL_TESTS[`${schoolType}:${year}`] ?? [];
}
