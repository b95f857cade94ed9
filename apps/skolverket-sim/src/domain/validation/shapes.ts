import type { ObjectType } from '@provsync/skolverket-api';

/**
 * The attributes each object may carry, as the official schemas define them. `readOnly` ones are set by
 * Skolverket and silently dropped when a client sends them; anything else is reported and not stored
 * (data minimisation: nothing else may be sent).
 */
export type Shape = 'value' | 'readOnly' | { readonly [key: string]: Shape } | readonly [Shape];

const ref = { id: 'value' } as const;
export const SHAPES: Record<ObjectType, Shape> = {
  person: {
    id: 'value',
    meta: 'readOnly',
    provisioningStatus: 'readOnly',
    givenName: 'value',
    middleName: 'value',
    familyName: 'value',
    eduPersonPrincipalNames: ['value'],
    externalIdentifiers: [{ value: 'value', context: 'value', globallyUnique: 'value' }],
    securityMarking: 'value',
    civicNo: { value: 'value', nationality: 'value' },
    emails: [{ value: 'value', type: 'value' }],
    enrolments: [{ enroledAt: ref, schoolYear: 'value', schoolType: 'value', cancelled: 'value', educationCode: 'value' }],
  },
  duty: { id: 'value', meta: 'readOnly', provisioningStatus: 'readOnly', person: ref, dutyAt: ref, dutyRole: 'value' },
  group: {
    id: 'value',
    meta: 'readOnly',
    provisioningStatus: 'readOnly',
    displayName: 'value',
    groupType: 'value',
    schoolType: 'value',
    organisation: ref,
    groupMemberships: [{ person: ref }],
  },
  activity: {
    id: 'value',
    meta: 'readOnly',
    provisioningStatus: 'readOnly',
    displayName: 'value',
    activityType: 'value',
    groups: [ref],
    teachers: [{ duty: ref }],
    organisation: ref,
    parentActivity: ref,
  },
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** A copy of `input` with only the attributes of `shape`; the paths of the others go into `unknown`. */
export function sanitize(input: unknown, shape: Shape, path: string, unknown: string[]): unknown {
  if (Array.isArray(shape)) {
    return Array.isArray(input) ? input.map((item, i) => sanitize(item, shape[0], `${path}[${i}]`, unknown)) : input;
  }
  if (typeof shape === 'object') {
    if (!isRecord(input)) return input;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const inner = (shape as Record<string, Shape>)[key];
      if (inner === undefined) unknown.push(join(path, key));
      else if (inner !== 'readOnly') out[key] = sanitize(value, inner, join(path, key), unknown);
    }
    return out;
  }
  return input;
}
