import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordSisChanges } from './record-sis-changes.command.js';
import { RecordSisChangesHandler } from './record-sis-changes.handler.js';
import type { SisChangeRecorder, SisInput } from './sis-input.js';

const input = (channel: SisInput['channel']): SisInput => ({ raw: '{}', channel, receivedAt: '2026-09-01T07:00:00Z' });

/** A recorder that answers with its own name as the stream, so the test sees which one recorded. */
const named = (name: string): SisChangeRecorder => ({ record: async (inputs) => inputs.map(() => ({ status: 'recorded', stream: name })) });

const recordedBy = async (handler: RecordSisChangesHandler, inputs: SisInput[]) =>
  new Set((await handler.execute(new RecordSisChanges(inputs))).map((o) => (o.status === 'recorded' ? o.stream : o.status)));

describe('RecordSisChangesHandler: one command for Kafka, file and HTTP input', () => {
  it('records a Kafka batch on the recorder thread, and HTTP and file input on the calling thread', async () => {
    const handler = new RecordSisChangesHandler(named('here'), named('thread'));
    assert.deepEqual(await recordedBy(handler, [input('kafka'), input('kafka')]), new Set(['thread']));
    assert.deepEqual(await recordedBy(handler, [input('http')]), new Set(['here']));
    assert.deepEqual(await recordedBy(handler, [input('file'), input('file')]), new Set(['here']));
    assert.deepEqual(await recordedBy(handler, [input('kafka'), input('http')]), new Set(['here']), 'a mixed batch stays here');
  });

  it('records everything on the calling thread when no recorder thread runs (ingest, explain, status)', async () => {
    const handler = new RecordSisChangesHandler(named('here'));
    assert.deepEqual(await recordedBy(handler, [input('kafka')]), new Set(['here']));
  });
});
