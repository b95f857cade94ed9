import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { RecordOutcome, SisInput } from '../recording/sis-input.js';
import type { CoreContext } from './context.js';

const BATCH = 1_000;

export interface IngestSummary {
  recorded: number;
  stale: number;
  duplicate: number;
  rejected: number;
}

/** Records an NDJSON file (or standard input) line by line, in batches; a bad line is kept and reported. */
export async function ingestNdjson(
  context: Pick<CoreContext, 'record'>,
  source: string,
  report: (line: string) => void = () => {},
): Promise<IngestSummary> {
  const input = source === '-' ? process.stdin : createReadStream(source, 'utf8');
  const name = source === '-' ? 'stdin' : basename(source);
  const summary: IngestSummary = { recorded: 0, stale: 0, duplicate: 0, rejected: 0 };
  let batch: SisInput[] = [];
  let lineNumber = 0;

  const flush = async () => {
    if (!batch.length) return;
    const outcomes = await context.record(batch);
    outcomes.forEach((outcome, i) => count(summary, outcome, batch[i], report));
    batch = [];
  };

  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    batch.push({ raw: line, channel: 'file', file: { name, line: lineNumber }, receivedAt: new Date().toISOString() });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return summary;
}

function count(summary: IngestSummary, outcome: RecordOutcome, input: SisInput, report: (line: string) => void): void {
  summary[outcome.status]++;
  if (outcome.status === 'rejected') {
    const where = `${input.file?.name}:${input.file?.line}`;
    report(`rejected ${where}: ${outcome.problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
  }
}
