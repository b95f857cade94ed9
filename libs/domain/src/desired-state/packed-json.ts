/**
 * JSON text with the SIS schema's common keys (`"givenName":`) each written as one control character.
 * JSON.stringify escapes every character below U+0020, so none occurs in its output and the exchange is
 * exactly reversible; keys not in the table stay as they are. A person's text is about a third shorter,
 * a group's (mostly `"person":{"id":…},"startDate":…`) almost half.
 */
const KEYS = [
  'id', 'person', 'startDate', 'endDate', 'value', 'type', 'nationality', 'civicNo', 'givenName', 'familyName',
  'eduPersonPrincipalNames', 'emails', 'enrolments', 'enroledAt', 'schoolType', 'schoolYear', 'educationCode',
  'securityMarking', 'externalIdentifiers', 'displayName', 'groupType', 'organisation', 'groupMemberships', 'groups',
  'teachers', 'duty', 'grader', 'dutyAt', 'dutyRole', 'activityType', 'parentActivity',
] as const;

// Tokens U+0001…U+001F: one per key.
const TOKEN_OF = new Map<string, string>(KEYS.map((key, i) => [key, String.fromCharCode(i + 1)]));
const KEY_OF = ['', ...KEYS.map((key) => `"${key}":`)];
const TOKEN_PATTERN = /[\u0001-\u001f]/g;

/** JSON.stringify's text with the keys in the table written as tokens (written directly: as fast as JSON.stringify). */
export function packJson(value: unknown): string {
  const packed = write(value);
  if (packed === undefined) throw new TypeError('not JSON data');
  return packed;
}

export function unpackJson<T>(packed: string): T {
  return JSON.parse(packed.replace(TOKEN_PATTERN, (token) => KEY_OF[token.charCodeAt(0)]!)) as T;
}

/** As JSON.stringify (undefined where it leaves a value out), for plain data: objects, arrays and primitives. */
function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i ? ',' : '') + (write(value[i]) ?? 'null');
    return text + ']';
  }
  let text = '{';
  for (const key of Object.keys(value)) {
    const entry = write((value as Record<string, unknown>)[key]);
    if (entry === undefined) continue;
    text += (text.length > 1 ? ',' : '') + (TOKEN_OF.get(key) ?? `${JSON.stringify(key)}:`) + entry;
  }
  return text + '}';
}
