import type { DutyRole, GroupType, Person, SchoolType, Activity } from '@provsync/skolverket-api';

// The enums of dnp-provisioning-api.yaml (a unit test holds these lists equal to the file).
export const SCHOOL_TYPES = ['GR', 'SP', 'SAM', 'GY', 'VUXGY'] as const satisfies readonly SchoolType[];
export const DUTY_ROLES = [
  'Rektor',
  'Lärare',
  'Förskollärare',
  'Barnskötare',
  'Bibliotekarie',
  'Lärarassistent',
  'Fritidspedagog',
  'Annan personal',
  'Studie- och yrkesvägledare',
  'Förstelärare',
  'Kurator',
  'Skolsköterska',
  'Skolläkare',
  'Skolpsykolog',
  'Speciallärare/specialpedagog',
  'Skoladministratör',
  'Övrig arbetsledning',
] as const satisfies readonly DutyRole[];
export const GROUP_TYPES = ['Undervisning', 'Klass', 'Mentor', 'Provgrupp', 'Schema', 'Avdelning', 'Personalgrupp', 'Övrigt'] as const satisfies readonly GroupType[];
export const ACTIVITY_TYPES = ['Undervisning', 'Elevaktivitet', 'Provaktivitet', 'Läraraktivitet', 'Övrigt'] as const satisfies readonly Activity['activityType'][];
type EmailType = NonNullable<NonNullable<Person['emails']>[number]['type']>;
export const EMAIL_TYPES = ['Privat', 'Skola elev', 'Skola personal', 'Arbete övrigt'] as const satisfies readonly EmailType[];
export const SECURITY_MARKINGS = ['Ingen', 'Sekretessmarkering', 'Skyddad folkbokföring'] as const satisfies readonly NonNullable<Person['securityMarking']>[];

// What the provtjänst takes of those (provisioning-rules.md).
export const ACCEPTED_GROUP_TYPES: readonly GroupType[] = ['Klass', 'Undervisning'];
export const ACCEPTED_EMAIL_TYPES: readonly EmailType[] = ['Skola elev', 'Skola personal'];
export const STAFF_EMAIL_TYPE: EmailType = 'Skola personal';
export const SCHOOL_TYPES_WITH_YEARS: readonly SchoolType[] = ['GR', 'SP', 'SAM'];
export const EDUID_CONTEXT = 'https://eduid.se';
