/** The SS12000 objects this generator writes into `data` (sis-change-events.md). */
export interface Ref {
  id: string;
}

export interface Period {
  startDate?: string;
  endDate?: string;
}

export interface SampleOrganisation {
  id: string;
  displayName: string;
  organisationType: 'Huvudman' | 'Skolenhet';
  organisationNumber?: string;
  schoolUnitCode?: string;
  schoolTypes?: string[];
  parentOrganisation?: Ref;
}

export interface SampleEmail {
  value: string;
  type: string;
}

export interface SampleEnrolment extends Period {
  enroledAt: Ref;
  schoolType: string;
  schoolYear?: number;
  educationCode?: string;
}

export interface SamplePerson {
  id: string;
  givenName: string;
  familyName: string;
  civicNo: { value: string; nationality: 'SE' };
  eduPersonPrincipalNames: string[];
  emails: SampleEmail[];
  enrolments?: SampleEnrolment[];
}

export interface SampleDuty extends Period {
  id: string;
  person: Ref;
  dutyAt: Ref;
  dutyRole: string;
}

export interface SampleMembership extends Period {
  person: Ref;
}

export interface SampleGroup extends Period {
  id: string;
  displayName: string;
  groupType: 'Klass' | 'Undervisning' | 'Mentor';
  schoolType: string;
  organisation: Ref;
  groupMemberships: SampleMembership[];
}

export interface SampleTeacher extends Period {
  duty: Ref;
  grader?: boolean;
}

export interface SampleActivity extends Period {
  id: string;
  displayName: string;
  activityType: 'Undervisning';
  organisation: Ref;
  groups: Ref[];
  teachers: SampleTeacher[];
  parentActivity: { displayName: string };
}

export interface SampleObjectByEntity {
  organisation: SampleOrganisation;
  person: SamplePerson;
  duty: SampleDuty;
  group: SampleGroup;
  activity: SampleActivity;
}

export type SampleEntity = keyof SampleObjectByEntity;
export const SAMPLE_ENTITIES: readonly SampleEntity[] = ['organisation', 'person', 'duty', 'group', 'activity'];
