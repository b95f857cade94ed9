export { generateMunicipality, municipalityEvents, summarizeMunicipality, IMPORT_ACTOR } from './municipality-events.js';
export type { GeneratedMunicipality } from './municipality-events.js';
export { BENCHMARK_SCALE } from './options.js';
export type { MunicipalityOptions } from './options.js';
export type { MunicipalitySummary, EntityCounts } from './summary.js';
export { movePupil, endDuty, updatePerson, CHANGE_ACTOR } from './change-helpers.js';
export type { Change, PersonUpdate } from './change-helpers.js';
export { emptyState, withEvents, objectOf, objectsOf } from './state.js';
export type { MunicipalityState, StoredObject } from './state.js';
export { entityOf, formatSequence, SEQUENCE_DIGITS } from './sis-event.js';
export type { SisEvent, AnySisEvent } from './sis-event.js';
export type * from './sis-objects.js';
export { SAMPLE_ENTITIES } from './sis-objects.js';
export {
  SAMPLE_ORGANISER,
  DEFAULT_SCHOOLS,
  GY_PROGRAMMES,
  NATIONAL_TESTS,
  nationalTestsFor,
} from './reference-values.js';
export type { SchoolSpec, SchoolOffer, YearOffer, ProgrammeOffer, SchoolType, NationalTest } from './reference-values.js';
export { isValidCivicNumber, isCoordinationNumber, luhnCheckDigit } from './civic-number.js';
export { uuidv5 } from './uuid.js';
export { mulberry32 } from './prng.js';
