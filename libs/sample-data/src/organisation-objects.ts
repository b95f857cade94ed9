import { ID, type MunicipalityPlan } from './plan.js';
import { SAMPLE_ORGANISER } from './reference-values.js';
import type { SampleOrganisation } from './sis-objects.js';

export function organiserObject(plan: MunicipalityPlan): SampleOrganisation {
  return {
    id: plan.id(ID.organiser),
    displayName: SAMPLE_ORGANISER.displayName,
    organisationType: 'Huvudman',
    organisationNumber: SAMPLE_ORGANISER.organisationNumber,
  };
}

export function schoolUnitObjects(plan: MunicipalityPlan): SampleOrganisation[] {
  return plan.options.schools.map((school, index) => ({
    id: plan.id(ID.school(index)),
    displayName: school.displayName,
    organisationType: 'Skolenhet',
    schoolUnitCode: school.schoolUnitCode,
    schoolTypes: [...new Set(school.offers.map((offer) => offer.schoolType))],
    parentOrganisation: { id: plan.id(ID.organiser) },
  }));
}
