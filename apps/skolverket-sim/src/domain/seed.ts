import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * What the simulator knows before any client writes: organisers with their school units, programmes and
 * national-test activities. Skolverket's ids are derived from the codes (uuidv5), so a seed holds codes only.
 */
const SchoolUnitSeed = z.object({
  schoolUnitCode: z.string().min(1),
  displayName: z.string().min(1),
  municipalityCode: z.string().optional(),
  municipalityName: z.string().optional(),
  status: z.enum(['New', 'Active', 'Expired']).default('Active'),
  schoolTypes: z.array(z.object({ schoolType: z.string().min(1), schoolYears: z.array(z.number().int()).optional() })),
});
const OrganisationSeed = z.object({
  organisationNumber: z.string().regex(/^\d{10}$/, 'ska vara 10 siffror'),
  displayName: z.string().min(1),
  municipalityCode: z.string().optional(),
  schoolUnits: z.array(SchoolUnitSeed),
});
const ProgrammeSeed = z.object({
  educationCode: z.string().min(1),
  displayName: z.string().min(1),
  schoolType: z.string().default('GY'),
  validFrom: z.iso.datetime({ offset: true }),
  status: z.enum(['New', 'Active', 'Expired']),
});
const ActivitySeed = z.object({
  displayName: z.string().min(1),
  schoolType: z.enum(['GR', 'SP', 'SAM', 'GY', 'VUXGY']),
  schoolYear: z.number().int().min(1).max(10).optional(),
  comment: z.string().optional(),
});
const SeedSchema = z.object({
  /** The organiser the generated client certificate (and so every token) belongs to. */
  clientOrganisationNumber: z.string().regex(/^\d{10}$/, 'ska vara 10 siffror'),
  organisations: z.array(OrganisationSeed).min(1),
  programmes: z.array(ProgrammeSeed),
  activities: z.array(ActivitySeed),
});

export type Seed = z.output<typeof SeedSchema>;
export type SchoolUnitSeed = z.output<typeof SchoolUnitSeed>;

export function parseSeed(input: unknown, source: string): Seed {
  const parsed = SeedSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`The seed in ${source} is not valid:\n${lines.join('\n')}`);
  }
  const seed = parsed.data;
  if (!seed.organisations.some((o) => o.organisationNumber === seed.clientOrganisationNumber)) {
    throw new Error(`The seed in ${source} names clientOrganisationNumber ${seed.clientOrganisationNumber}, which none of its organisations has`);
  }
  return seed;
}

export function loadSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the seed file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`The seed file ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseSeed(json, path);
}

const years = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The default seed. Other engineers generate sample data against exactly these codes: change none of them.
 * `now` only places TEDAT's validFrom in the future.
 */
export function defaultSeed(now: Date): Seed {
  const nextYear = new Date(Date.UTC(now.getUTCFullYear() + 1, 6, 1)).toISOString();
  const gr = { schoolType: 'GR', schoolYears: years(1, 9) };
  return {
    clientOrganisationNumber: '2120000001',
    organisations: [
      {
        organisationNumber: '2120000001',
        displayName: 'Provsyncs kommun',
        municipalityCode: '0001',
        schoolUnits: [
          { schoolUnitCode: '10000001', displayName: 'Norra grundskolan', status: 'Active' as const, schoolTypes: [gr] },
          {
            schoolUnitCode: '10000002',
            displayName: 'Södra grundskolan',
            status: 'Active' as const,
            schoolTypes: [gr, { schoolType: 'SP', schoolYears: years(1, 10) }],
          },
          { schoolUnitCode: '10000003', displayName: 'Centrala gymnasiet', status: 'Active' as const, schoolTypes: [{ schoolType: 'GY' }] },
        ].map((unit) => ({ ...unit, municipalityCode: '0001', municipalityName: 'Provsync' })),
      },
      {
        organisationNumber: '2120000002',
        displayName: 'Grannkommunen',
        municipalityCode: '0002',
        schoolUnits: [
          {
            schoolUnitCode: '20000001',
            displayName: 'Grannskolan',
            municipalityCode: '0002',
            municipalityName: 'Grannby',
            status: 'Active',
            schoolTypes: [gr],
          },
        ],
      },
    ],
    programmes: [
      { educationCode: 'NANAT', displayName: 'Naturvetenskapsprogrammet - Naturvetenskap', schoolType: 'GY', validFrom: '2011-07-01T00:00:00Z', status: 'Active' },
      { educationCode: 'SAMSA', displayName: 'Samhällsvetenskapsprogrammet - Samhällsvetenskap', schoolType: 'GY', validFrom: '2011-07-01T00:00:00Z', status: 'Active' },
      { educationCode: 'TEINF', displayName: 'Teknikprogrammet - Informations- och medieteknik', schoolType: 'GY', validFrom: '2011-07-01T00:00:00Z', status: 'Active' },
      { educationCode: 'EKEKO', displayName: 'Ekonomiprogrammet - Ekonomi', schoolType: 'GY', validFrom: '2011-07-01T00:00:00Z', status: 'Active' },
      { educationCode: 'ESEST', displayName: 'Estetiska programmet - Estetik och media (upphörd)', schoolType: 'GY', validFrom: '2011-07-01T00:00:00Z', status: 'Expired' },
      { educationCode: 'TEDAT', displayName: 'Teknikprogrammet - Datateknik (ny)', schoolType: 'GY', validFrom: nextYear, status: 'New' },
    ],
    activities: [
      ...['MATMAT01a', 'MATMAT01b', 'MATMAT02b', 'ENGENG05', 'ENGENG06', 'SVESVE01', 'SVASVA01'].map((displayName) => ({
        displayName,
        schoolType: 'GY' as const,
      })),
      ...[6, 9].flatMap((schoolYear) =>
        ['GRGRMAT01', 'GRGRENG01', 'GRGRSVE01'].map((subject) => ({
          displayName: `${subject}_${schoolYear}`,
          schoolType: 'GR' as const,
          schoolYear,
        })),
      ),
    ],
  };
}
