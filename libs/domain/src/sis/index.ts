export * from './sis-change.js';
export * from './sis-objects.schema.js';
export { cloudEventEnvelopeSchema, type CloudEventEnvelope } from './cloud-event-envelope.schema.js';
export type { SisInputHeaders } from './cloud-event-binary-mode.js';
export { MAX_EVENT_BYTES, MAX_JSON_DEPTH } from './event-body.js';
export { MAX_PROBLEMS } from './input-problems.js';
export { parseSisInput } from './parse-sis-input.js';
export * from './sis-batch.js';
