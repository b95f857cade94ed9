// Types of Skolverket's APIs, generated from the official OpenAPI files (npm run generate:api-types).
import type { components as Provisioning } from './generated/provisioning-api.js';
import type { components as OpenData } from './generated/open-data-api.js';

export type { paths as ProvisioningPaths } from './generated/provisioning-api.js';
export type { paths as OpenDataPaths } from './generated/open-data-api.js';

export type Person = Provisioning['schemas']['Person'];
export type Duty = Provisioning['schemas']['Duty'];
export type Group = Provisioning['schemas']['Group'];
export type Activity = Provisioning['schemas']['Activity'];
export type Enrolment = Provisioning['schemas']['Enrolment'];
export type LogEntry = Provisioning['schemas']['LogEntry'];
export type AsynchronousResponse = Provisioning['schemas']['AsynchronousResponse'];
export type ObjectResponse = AsynchronousResponse['responses'][number];
export type ObjectStatus = ObjectResponse['response']['status'];
export type DutyRole = Provisioning['schemas']['Code_DutyRole'];
export type GroupType = Provisioning['schemas']['Code_GroupType'];
export type SchoolType = Provisioning['schemas']['Code_SchoolType'];

export type OpenDataOrganisation = OpenData['schemas']['Organisation'];
export type OpenDataSchoolUnit = OpenData['schemas']['SchoolUnit'];
export type OpenDataProgramme = OpenData['schemas']['Programme'];
export type OpenDataActivity = OpenData['schemas']['Activity'];

/** The four kinds of object the Provisioning API takes, in the order they must be created. */
export const OBJECT_TYPES = ['person', 'duty', 'group', 'activity'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** URL path segment of each object type in the Provisioning API. */
export const COLLECTION: Record<ObjectType, string> = {
  person: 'persons',
  duty: 'duties',
  group: 'groups',
  activity: 'activities',
};

export type ProvisioningObject = Person | Duty | Group | Activity;

export const OPENAPI_FILES = {
  provisioning: 'libs/skolverket-api/openapi/dnp-provisioning-api.yaml',
  openData: 'libs/skolverket-api/openapi/provisioning-data-api.yaml',
} as const;
