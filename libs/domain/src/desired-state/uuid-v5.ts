import { createHash } from 'node:crypto';

/** RFC 9562 nil UUID: the namespace Skolverket derives all its open-data ids over. */
export const NIL_NAMESPACE = '00000000-0000-0000-0000-000000000000';

/**
 * provsync's own namespace for ids it derives (one Skolverket activity per SIS activity and group).
 * Fixed forever: changing it would re-create every derived activity at Skolverket.
 * (It is uuidv5('provsync desired-state activity') over the nil namespace.)
 */
export const PROVSYNC_NAMESPACE = '30ce9c76-8ad1-52e7-b85d-4bf64afccc98';

export function uuidv5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const schoolUnitUuids = new Map<string, string>();

/** Skolverket's school-unit UUID for a school unit code (open-data API); memoised, as every reference resolves one. */
export function schoolUnitUuid(schoolUnitCode: string): string {
  let uuid = schoolUnitUuids.get(schoolUnitCode);
  if (uuid === undefined) schoolUnitUuids.set(schoolUnitCode, (uuid = uuidv5(schoolUnitCode, NIL_NAMESPACE)));
  return uuid;
}

/** Skolverket's national-test activity UUID for its displayName (open-data API). */
export const testActivityUuid = (displayName: string): string => uuidv5(displayName, NIL_NAMESPACE);

/** Stable id of the Skolverket activity made for one group of a SIS activity that has several groups. */
export const derivedActivityId = (activityId: string, groupId: string): string =>
  uuidv5(`${activityId}:${groupId}`, PROVSYNC_NAMESPACE);
