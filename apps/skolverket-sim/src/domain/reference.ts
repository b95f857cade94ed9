import type { OpenDataActivity, OpenDataOrganisation, OpenDataProgramme, OpenDataSchoolUnit } from '@provsync/skolverket-api';
import type { Seed } from './seed.js';
import { uuidv5 } from './uuid5.js';

type Organisation = Omit<OpenDataOrganisation, 'schoolUnits'>;

/**
 * The open-data view of a seed, with Skolverket's ids, indexed the ways the open-data API and the
 * Provisioning API's validation look things up.
 */
export class Reference {
  readonly clientOrganisationNumber: string;
  readonly organisations: Organisation[] = [];
  readonly programmes: OpenDataProgramme[];
  readonly activities: OpenDataActivity[];
  private readonly unitsByOrganisation = new Map<string, OpenDataSchoolUnit[]>();
  private readonly unitById = new Map<string, OpenDataSchoolUnit>();
  private readonly unitByCode = new Map<string, OpenDataSchoolUnit>();

  constructor(seed: Seed) {
    this.clientOrganisationNumber = seed.clientOrganisationNumber;
    for (const org of seed.organisations) {
      const organisation: Organisation = {
        id: uuidv5(org.organisationNumber),
        displayName: org.displayName,
        organisationNumber: org.organisationNumber,
        countryCode: 'SWE',
        organisationType: 'Huvudman',
        organiserType: { id: '01', displayName: 'Kommuner och kommunalförbund' },
        status: org.schoolUnits.some((u) => u.status !== 'Expired') ? 'Active' : 'Expired',
      };
      this.organisations.push(organisation);
      const units = org.schoolUnits.map(
        (unit): OpenDataSchoolUnit => ({
          id: uuidv5(unit.schoolUnitCode),
          displayName: unit.displayName,
          schoolUnitCode: unit.schoolUnitCode,
          schoolTypes: unit.schoolTypes.map((type) => ({
            schoolType: type.schoolType as NonNullable<OpenDataSchoolUnit['schoolTypes']>[number]['schoolType'],
            dnpStatus: true,
            ...(type.schoolYears ? { schoolYears: type.schoolYears.map((schoolYear) => ({ schoolYear, dnpStatus: true })) } : {}),
          })),
          ...(unit.municipalityCode ? { municipalityCode: unit.municipalityCode } : {}),
          ...(unit.municipalityName ? { municipalityName: unit.municipalityName } : {}),
          status: unit.status,
          dnpStatus: true,
          parentOrganisation: { id: organisation.id, organisationNumber: org.organisationNumber, displayName: org.displayName },
        }),
      );
      this.unitsByOrganisation.set(org.organisationNumber, units);
      for (const unit of units) {
        this.unitById.set(unit.id, unit);
        this.unitByCode.set(unit.schoolUnitCode, unit);
      }
    }
    this.programmes = seed.programmes.map((p) => ({
      id: uuidv5(p.educationCode),
      displayName: p.displayName,
      educationCode: p.educationCode,
      schoolType: p.schoolType as OpenDataProgramme['schoolType'],
      validFrom: p.validFrom,
      status: p.status,
    }));
    this.activities = seed.activities.map((a) => ({
      id: uuidv5(a.displayName),
      displayName: a.displayName,
      activityType: 'Provaktivitet',
      schoolType: a.schoolType,
      ...(a.schoolYear !== undefined ? { schoolYear: a.schoolYear } : {}),
      ...(a.comment ? { comment: a.comment } : {}),
    }));
  }

  organisationById(id: string): Organisation | undefined {
    return this.organisations.find((o) => o.id === id);
  }

  organisationByNumber(organisationNumber: string): Organisation | undefined {
    return this.organisations.find((o) => o.organisationNumber === organisationNumber);
  }

  schoolUnitsOf(organisationNumber: string): OpenDataSchoolUnit[] {
    return this.unitsByOrganisation.get(organisationNumber) ?? [];
  }

  schoolUnitById(id: string): OpenDataSchoolUnit | undefined {
    return this.unitById.get(id.toLowerCase());
  }

  schoolUnitByCode(code: string): OpenDataSchoolUnit | undefined {
    return this.unitByCode.get(code);
  }

  programmeById(id: string): OpenDataProgramme | undefined {
    return this.programmes.find((p) => p.id === id.toLowerCase());
  }

  programmeByCode(code: string): OpenDataProgramme | undefined {
    return this.programmes.find((p) => p.educationCode === code);
  }

  activityById(id: string): OpenDataActivity | undefined {
    return this.activities.find((a) => a.id === id.toLowerCase());
  }
}
