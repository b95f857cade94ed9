import type { OpenDataActivity, OpenDataProgramme, OpenDataSchoolUnit } from '@provsync/skolverket-api';

/**
 * What the open-data API says about the organiser, its school units, the programmes and the national-test
 * activities: the reference data the desired-state projection resolves SIS references through.
 */
export interface ReferenceData {
  organiser: { id: string; organisationNumber: string; displayName?: string };
  /** The organiser's own school units (GET /organisations/code/{orgNo}?expandSchoolUnits=true). */
  schoolUnits: OpenDataSchoolUnit[];
  programmes: OpenDataProgramme[];
  testActivities: OpenDataActivity[];
  /** ISO-8601 time at which this was read from the open-data API. */
  fetchedAt: string;
}
