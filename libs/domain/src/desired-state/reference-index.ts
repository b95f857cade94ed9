import type { OpenDataActivity, OpenDataProgramme, OpenDataSchoolUnit } from '@provsync/skolverket-api';

import type { ReferenceData } from '../reference/reference-data.js';
import { schoolUnitUuid } from './uuid-v5.js';

/** The reference data, indexed for the lookups the rules make. */
export interface ReferenceIndex {
  schoolUnitsById: ReadonlyMap<string, OpenDataSchoolUnit>;
  programmesByCode: ReadonlyMap<string, OpenDataProgramme>;
  testActivitiesById: ReadonlyMap<string, OpenDataActivity>;
  testActivitiesByName: ReadonlyMap<string, OpenDataActivity>;
}

export function indexReference(reference: ReferenceData): ReferenceIndex {
  const schoolUnitsById = new Map<string, OpenDataSchoolUnit>();
  for (const unit of reference.schoolUnits) {
    schoolUnitsById.set(unit.id.toLowerCase(), unit);
    // Skolverket derives the id from the code; indexing both keeps a stale id from hiding the unit.
    schoolUnitsById.set(schoolUnitUuid(unit.schoolUnitCode), unit);
  }
  return {
    schoolUnitsById,
    programmesByCode: new Map(reference.programmes.map((p) => [p.educationCode, p])),
    testActivitiesById: new Map(reference.testActivities.map((a) => [a.id.toLowerCase(), a])),
    testActivitiesByName: new Map(reference.testActivities.map((a) => [a.displayName, a])),
  };
}
