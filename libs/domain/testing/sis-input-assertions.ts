import assert from 'node:assert/strict';

import { parseSisInput } from '../src/sis/parse-sis-input.js';
import type { InputProblem } from '../src/sis/sis-change.js';

/** Test helpers: the problems of an input that must be refused, and one problem among them. */

export function problemsOf(raw: string | Uint8Array | object, headers?: Record<string, string>): InputProblem[] {
  const result = parseSisInput(raw, headers);
  assert.equal(result.ok, false, 'expected the input to be refused');
  return result.ok ? [] : result.problems;
}

export function assertProblem(problems: InputProblem[], field: string, reason: RegExp): void {
  const match = problems.find((problem) => problem.field === field);
  assert.ok(match, `no problem for ${field} in ${JSON.stringify(problems)}`);
  assert.match(match.reason, reason);
}
