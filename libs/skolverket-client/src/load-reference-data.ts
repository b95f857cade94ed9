import type { ReferenceData } from '@provsync/domain';
import { OrganisationNotFoundError } from './errors.js';
import type { OpenDataClient } from './open-data-client.js';

/** The organiser, its school units, the programmes and the national-test activities, read at `now`. */
export async function loadReferenceData(
  openData: OpenDataClient,
  organisationNumber: string,
  now: Date,
): Promise<ReferenceData> {
  const [organisation, programmes, testActivities] = await Promise.all([
    openData.organisationByNumber(organisationNumber, { expandSchoolUnits: true }),
    openData.programmes(),
    openData.testActivities(),
  ]);
  if (!organisation) throw new OrganisationNotFoundError(organisationNumber);
  return {
    organiser: {
      id: organisation.id,
      organisationNumber: organisation.organisationNumber,
      displayName: organisation.displayName,
    },
    schoolUnits: organisation.schoolUnits ?? [],
    programmes,
    testActivities,
    fetchedAt: now.toISOString(),
  };
}
