import { type CloudEventEnvelope, cloudEventEnvelopeSchema, entityAndAction } from './cloud-event-envelope.schema.js';
import { binaryModeAttributes, type SisInputHeaders } from './cloud-event-binary-mode.js';
import { checkParsedSize, readJsonBody, type BodyResult } from './event-body.js';
import { capProblems, problemsFromIssues } from './input-problems.js';
import type { InputProblem, ParsedInput, SisAction, SisChange, SisEntity } from './sis-change.js';
import { sisObjectSchemas } from './sis-objects.schema.js';
import { compileShapeCheck } from './shape-check.js';

const isValidEnvelope = compileShapeCheck(cloudEventEnvelopeSchema);
const isValidData = Object.fromEntries(
  Object.entries(sisObjectSchemas).map(([entity, schema]) => [entity, compileShapeCheck(schema)]),
) as Record<SisEntity, (value: unknown) => boolean>;

/**
 * One SIS change event, as it arrived, → a validated `SisChange` or the problems that refuse it.
 * `raw` is the message body: bytes, text, or JSON already parsed. With CloudEvents attributes in
 * `headers` (`ce_*` on Kafka, `ce-*` over HTTP) the body is `data` (binary mode); otherwise the
 * body is the whole event (structured mode). Never throws on bad input.
 */
export function parseSisInput(raw: string | Uint8Array | object, headers?: SisInputHeaders): ParsedInput {
  const binary = binaryModeAttributes(headers);
  const body = readBody(raw);
  if (!body.ok) return body;
  if (binary) {
    const event = body.value === undefined ? binary.attributes : { ...binary.attributes, data: body.value };
    return renameFields(validateEvent(event), binary.headerOf);
  }
  if (body.value === undefined) return refuse([{ field: '(body)', reason: 'is empty: expected one CloudEvent' }]);
  if (!isPlainObject(body.value)) {
    return refuse([{ field: '(body)', reason: 'must be a JSON object: one CloudEvent (a batch is split before this)' }]);
  }
  return validateEvent(body.value);
}

function readBody(raw: string | Uint8Array | object | null | undefined): BodyResult {
  if (raw === null || raw === undefined) return { ok: true, value: undefined };
  if (typeof raw === 'string' || raw instanceof Uint8Array) return readJsonBody(raw);
  return checkParsedSize(raw);
}

function validateEvent(event: Record<string, unknown>): ParsedInput {
  return acceptedAsIs(event) ?? validateWithProblems(event);
}

/** The fast path: a valid event is used as it arrived (what zod would return is a copy equal to it). */
function acceptedAsIs(event: Record<string, unknown>): ParsedInput | undefined {
  const kind = typeof event['type'] === 'string' ? entityAndAction(event['type']) : undefined;
  if (!kind || !isValidEnvelope(event)) return undefined;
  const { subject, data } = event as CloudEventEnvelope;
  let value: Record<string, unknown> | null = null;
  if (kind.action === 'deleted') {
    if (data !== undefined && data !== null) return undefined;
  } else {
    if (!isValidData[kind.entity](data)) return undefined;
    value = data as Record<string, unknown>;
    if (subject.toLowerCase() !== (value['id'] as string).toLowerCase()) return undefined;
  }
  return { ok: true, change: changeOf(kind, event as CloudEventEnvelope, value) };
}

/** zod's verdict, with every problem it finds. */
function validateWithProblems(event: Record<string, unknown>): ParsedInput {
  const envelope = cloudEventEnvelopeSchema.safeParse(event);
  const problems = envelope.success ? [] : problemsFromIssues(envelope.error.issues, event);
  const kind = typeof event['type'] === 'string' ? entityAndAction(event['type']) : undefined;
  // The data is checked even when the envelope is wrong: the sender learns everything in one go.
  const data = kind ? checkData(kind.entity, kind.action, event['data'], event['subject']) : undefined;
  if (data) problems.push(...data.problems);
  if (!envelope.success || !kind || !data || problems.length > 0) return refuse(problems);
  return { ok: true, change: changeOf(kind, envelope.data, data.value) };
}

function changeOf(kind: { entity: SisEntity; action: SisAction }, envelope: CloudEventEnvelope, data: SisChange['data']): SisChange {
  const { id, source, subject, time, sequence, actor } = envelope;
  const change: SisChange = { entity: kind.entity, action: kind.action, subject, source, id, time, data };
  if (sequence !== undefined) change.sequence = sequence;
  if (actor !== undefined) change.actor = actor;
  return change;
}

interface CheckedData {
  value: Record<string, unknown> | null;
  problems: InputProblem[];
}

function checkData(entity: SisEntity, action: SisAction, data: unknown, subject: unknown): CheckedData {
  if (action === 'deleted') {
    const problems =
      data === undefined || data === null ? [] : [{ field: 'data', reason: 'must be absent or null on a delete event' }];
    return { value: null, problems };
  }
  if (data === undefined || data === null) {
    return {
      value: null,
      problems: [{ field: 'data', reason: `is required on an upsert event: the whole SS12000 ${entity} after the change` }],
    };
  }
  const parsed = sisObjectSchemas[entity].safeParse(data);
  if (!parsed.success) return { value: null, problems: problemsFromIssues(parsed.error.issues, data, ['data']) };
  // UUIDs are case-insensitive; a SIS that writes one in capitals is not wrong.
  if (typeof subject === 'string' && subject.toLowerCase() !== parsed.data.id.toLowerCase()) {
    return { value: null, problems: [{ field: 'subject', reason: 'must equal data.id on an upsert event' }] };
  }
  return { value: parsed.data, problems: [] };
}

function renameFields(result: ParsedInput, headerOf: ReadonlyMap<string, string>): ParsedInput {
  if (result.ok) return result;
  const problems = result.problems.map((problem) => {
    const header = problem.field === 'data' ? undefined : headerOf.get(problem.field);
    return header === undefined ? problem : { ...problem, field: header };
  });
  return { ok: false, problems };
}

function refuse(problems: InputProblem[]): ParsedInput {
  return { ok: false, problems: capProblems(problems) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
