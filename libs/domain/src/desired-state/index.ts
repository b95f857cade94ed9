export { DesiredStateProjection, type ProjectionOptions, type ProjectionState } from './desired-state-projection.js';
export { type DesiredObject, desiredKey } from './desired-objects.js';
export { type Explanation, explanationText } from './explain.js';
export { canonicalJson, hashBody } from './canonical-hash.js';
export {
  derivedActivityId,
  NIL_NAMESPACE,
  PROVSYNC_NAMESPACE,
  schoolUnitUuid,
  testActivityUuid,
  uuidv5,
} from './uuid-v5.js';
export { civicNoBirthDate, civicNoProblem } from './civic-no.js';
export { DUTY_ROLES } from './duty-rules.js';
export { isEmailAddress, isEppn, SECURITY_MARKINGS, STAFF_EMAIL, STUDENT_EMAIL } from './person-identity.js';
