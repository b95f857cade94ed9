import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { committedTotal, createTestTopics, produce, requireBroker } from '../../../testing/kafka/kafka-test-broker.js';
import { IngestionProcess } from '../../../testing/kafka/ingestion-process.js';
import { keepProducing, personChanges, TEST_CIVIC_NO } from '../../../testing/kafka/sis-change-messages.js';
import { countChanges, storedOnceReport, streamsOutOfOrder, waitFor } from '../../../testing/kafka/stored-changes.js';
import { openTestStore, tempStoreFile } from '../../../testing/kafka/test-store.js';

/** The partitions each "joined the consumer group" line of a process names, in order. */
function assignments(process: IngestionProcess): string[][] {
  return process.logLines
    .filter((line) => line.includes('joined the consumer group'))
    .map((line) => String((JSON.parse(line) as { partitions: string }).partitions).split(',').filter(Boolean));
}

describe('provsync instances sharing one consumer group', () => {
  const temp = tempStoreFile();
  before(requireBroker);
  after(() => temp.remove());

  it('share the partitions, and rebalances as instances come and go lose and duplicate nothing', { timeout: 180_000 }, async () => {
    const { topic, dlqTopic, groupId } = await createTestTopics(6);
    const file = `${temp.file}.instances`;
    const store = openTestStore(file);
    const produced = personChanges(100, 6);
    await produce(topic, produced);
    const sis = keepProducing(topic, produced);

    const a = new IngestionProcess({ topic, dlqTopic, groupId, storeFile: file, clientId: 'instance-a' });
    await a.joined;
    await waitFor('the first instance to store some changes', async () => (await countChanges(store)) >= 300);
    const b = new IngestionProcess({ topic, dlqTopic, groupId, storeFile: file, clientId: 'instance-b' });
    await b.joined;
    const whenBJoined = await countChanges(store);
    await waitFor('both instances to go on storing', async () => (await countChanges(store)) >= whenBJoined + 500);
    const stoppedA = await a.terminate();
    const whenALeft = await countChanges(store);
    await waitFor('the second instance to take over', async () => (await countChanges(store)) >= whenALeft + 500);
    await sis.stop();
    await waitFor('every offset committed', async () => (await committedTotal(groupId, topic)) === produced.length, 120_000);
    const stoppedB = await b.terminate();

    assert.equal(stoppedA.code, 0);
    assert.equal(stoppedB.code, 0);
    assert.deepEqual(await storedOnceReport(store, produced), { stored: produced.length, missing: 0, twice: 0, unexpected: 0 });
    assert.deepEqual(await streamsOutOfOrder(store), []);

    // While both were members, each held a share: disjoint, together all six partitions.
    const shareOfA = assignments(a).at(-1)!;
    const shareOfB = assignments(b)[0]!;
    assert.ok(shareOfA.length > 0 && shareOfB.length > 0, `A held ${shareOfA}, B held ${shareOfB}`);
    assert.deepEqual([...shareOfA, ...shareOfB].sort(), ['0', '1', '2', '3', '4', '5']);
    assert.equal(assignments(b).at(-1)!.length, 6, 'after A left, B took every partition');
    assert.ok(stoppedA.stats!.messages > 0 && stoppedB.stats!.messages > 0, 'both instances stored changes');
    for (const line of [...a.logLines, ...b.logLines]) assert.ok(!line.includes(TEST_CIVIC_NO));
    await store.close();
  });

  it('on SIGTERM finishes the batch in hand, commits it and exits 0', { timeout: 120_000 }, async () => {
    const { topic, dlqTopic, groupId } = await createTestTopics(3);
    const file = `${temp.file}.sigterm`;
    const store = openTestStore(file);
    const produced = personChanges(100, 5);
    await produce(topic, produced);
    const sis = keepProducing(topic, produced);

    const consumer = new IngestionProcess({ topic, dlqTopic, groupId, storeFile: file, clientId: 'sigterm' });
    await consumer.joined;
    await waitFor('changes flowing', async () => (await countChanges(store)) >= 200);
    const { code, stats } = await consumer.terminate();
    await sis.stop();

    assert.equal(code, 0);
    // Every change stored was committed, and every committed offset's change was stored: nothing left half-done.
    assert.equal(await committedTotal(groupId, topic), await countChanges(store));
    assert.equal(stats!.recorded, await countChanges(store));
    await store.close();
  });
});
