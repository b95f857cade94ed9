import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { SIS_CHANGE_RECORDED } from '@provsync/domain';
import { EVENT_STORE, type EventStore, SqliteEventStore } from '@provsync/event-store';
import { loadConfig } from '../config/config.js';
import { personChanges } from '../../testing/kafka/sis-change-messages.js';
import { tempStoreFile } from '../../testing/kafka/test-store.js';
import { ProvsyncModule } from '../provsync.module.js';
import { recordThroughCommandBus } from './record-sis-changes.command.js';
import { SIS_CHANGE_RECORDER_THREAD } from './record-sis-changes.handler.js';
import { SisChangeRecorderThread } from './sis-change-recorder-thread.js';
import type { SisInput } from './sis-input.js';

const temp = tempStoreFile();
after(() => temp.remove());

const inputs = (channel: SisInput['channel'], count: number): SisInput[] =>
  personChanges(count, 1).map((change, i) => ({
    raw: change.value,
    channel,
    ...(channel === 'kafka' ? { kafka: { topic: 'sis.changes', partition: 0, offset: String(i), key: change.key } } : {}),
    receivedAt: '2026-09-01T07:00:00Z',
  }));

describe('the RecordSisChanges command in a provsync application with the recorder thread', () => {
  it('records Kafka and HTTP batches through the one command bus, and closes the thread with the application', async () => {
    const config = loadConfig({ PROVSYNC_STORE: `sqlite:${temp.file}` });
    const app = await NestFactory.createApplicationContext(ProvsyncModule.forRoot(config, { recorderThread: true }), { logger: false });
    const thread = app.get<SisChangeRecorderThread>(SIS_CHANGE_RECORDER_THREAD);
    assert.ok(thread instanceof SisChangeRecorderThread);
    const recorder = recordThroughCommandBus(app.get(CommandBus));

    const fromKafka = await recorder.record(inputs('kafka', 40));
    const fromHttp = await recorder.record(inputs('http', 3));
    assert.deepEqual(new Set([...fromKafka, ...fromHttp].map((o) => o.status)), new Set(['recorded']));
    assert.equal(fromKafka.length + fromHttp.length, 43);

    await app.close();
    await app.get<EventStore>(EVENT_STORE).close();
    await assert.rejects(thread.record(inputs('kafka', 1)), /closed|stopped/, 'the application closed its recorder thread');
    const store = new SqliteEventStore(temp.file);
    try {
      assert.equal(await store.count([SIS_CHANGE_RECORDED]), 43);
    } finally {
      await store.close();
    }
  });
});
