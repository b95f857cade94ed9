import type { z } from 'zod';

import type { InputProblem } from './sis-change.js';

/** More problems than this are summed up: an operator fixes the first few, and a flood must not bloat the store. */
export const MAX_PROBLEMS = 10;
const MAX_FIELD_CHARS = 100;

/** `['data', 'enrolments', 0, 'startDate']` → `data.enrolments[0].startDate`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment))) out += out === '' ? String(segment) : `.${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return truncate(out === '' ? '(body)' : out);
}

/**
 * Zod issues as problems. Reasons come from our own messages or zod's defaults, which never
 * include the input (zod reports it only when asked to), so personal data stays out of them.
 * `root` is the value that was validated: it tells a missing attribute from a wrong one.
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  prefix: readonly PropertyKey[] = [],
): InputProblem[] {
  return issues.flatMap((issue): InputProblem[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: jsonPath([...path, key]),
        reason: 'is not an attribute of this contract; check its spelling',
      }));
    }
    return [{ field: jsonPath(path), reason: reasonFor(issue, valueAt(root, issue.path)) }];
  });
}

function reasonFor(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) return 'is required';
  if (issue.code === 'invalid_type') {
    if (issue.expected === 'object') return 'must be a JSON object';
    if (issue.expected === 'array') return 'must be an array';
  }
  return issue.message;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** Keeps the first MAX_PROBLEMS and says how many more there were. */
export function capProblems(problems: InputProblem[]): InputProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - MAX_PROBLEMS;
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    { field: '(body)', reason: `${more} more problem${more === 1 ? '' : 's'} not listed` },
  ];
}

function truncate(field: string): string {
  return field.length <= MAX_FIELD_CHARS ? field : `${field.slice(0, MAX_FIELD_CHARS - 1)}…`;
}
