import type { InputProblem } from '@provsync/domain';

/**
 * Why a SIS event was refused, as a metric label: a closed set of codes. A problem's own text names fields,
 * and a malformed event's field names are its content (an unknown attribute may be named by a personnummer),
 * so neither ever becomes a label.
 */
export const REJECTION_REASONS = [
  'event_too_large',
  'not_utf8',
  'not_json',
  'too_deep',
  'empty',
  'malformed_body',
  'unknown_attribute',
  'missing_attribute',
  'invalid_envelope',
  'invalid_data',
  'other',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Rules over our own problem texts (libs/domain/src/sis), first match wins. */
const BODY_RULES: ReadonlyArray<[RegExp, RejectionReason]> = [
  [/an event may be at most/, 'event_too_large'],
  [/UTF-8/, 'not_utf8'],
  [/not valid JSON|ends before the JSON value is complete/, 'not_json'],
  [/nests deeper than/, 'too_deep'],
  [/^is empty/, 'empty'],
];

/** The code of a refused event: that of its first problem (the one an operator fixes first). */
export function rejectionReason(problems: readonly InputProblem[]): RejectionReason {
  const first = problems[0];
  if (!first) return 'other';
  const { field, reason } = first;
  if (field === '(body)') return BODY_RULES.find(([pattern]) => pattern.test(reason))?.[1] ?? 'malformed_body';
  if (reason.startsWith('is not an attribute')) return 'unknown_attribute';
  if (reason.startsWith('is required')) return 'missing_attribute';
  // `data`, `data.x`, `data[0]` or `data["…"]`: the SS12000 object; any other top-level name: the CloudEvent around it.
  if (/^data($|[.[])/.test(field)) return 'invalid_data';
  return /^[A-Za-z_-]+$/.test(field) ? 'invalid_envelope' : 'other';
}
