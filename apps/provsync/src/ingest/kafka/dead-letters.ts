import type { InputProblem } from '@provsync/domain';
import type { DeadLetter, SourceMessage } from './sis-change-source.port.js';

/** Headers a dead letter carries besides the original message's own headers. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  rejectedAt: 'dlq-rejected-at',
  /** Set when the original value was too big to republish; the rejected input in the store keeps its head and hash. */
  valueDropped: 'dlq-value-dropped',
} as const;

/** Header values stay well under any broker's limits; problems beyond this are summed up. */
const MAX_REASON_CHARS = 2000;

/** `data.id: is required; time: must be an RFC 3339 time` — field names and reasons, never the input. */
export function describeProblems(problems: readonly InputProblem[]): string {
  const text = problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; ');
  return text.length <= MAX_REASON_CHARS ? text : `${text.slice(0, MAX_REASON_CHARS - 1)}…`;
}

export function deadLetterFor(original: SourceMessage, problems: readonly InputProblem[]): DeadLetter {
  return { original, reason: describeProblems(problems) };
}

export interface DeadLetterRecord {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** The message published to the dead-letter topic: the original key, value and headers, plus why and where from. */
export function deadLetterRecord(letter: DeadLetter, rejectedAt: string, maxValueBytes: number): DeadLetterRecord {
  const { original } = letter;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(original.headers)) if (value !== undefined) headers[name] = value;
  headers[DEAD_LETTER_HEADERS.reason] = letter.reason;
  headers[DEAD_LETTER_HEADERS.originalTopic] = original.topic;
  headers[DEAD_LETTER_HEADERS.originalPartition] = String(original.partition);
  headers[DEAD_LETTER_HEADERS.originalOffset] = original.offset;
  headers[DEAD_LETTER_HEADERS.rejectedAt] = rejectedAt;
  let value = original.value === null ? null : Buffer.from(original.value.buffer, original.value.byteOffset, original.value.byteLength);
  if (value !== null && value.byteLength > maxValueBytes) {
    headers[DEAD_LETTER_HEADERS.valueDropped] = `the value was ${value.byteLength} bytes; at most ${maxValueBytes} are republished`;
    value = null;
  }
  return { key: original.key ?? null, value, headers };
}
