import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { committedTotal, createTestTopics, produce, requireBroker, TEST_BROKERS } from '../apps/provsync/testing/kafka/kafka-test-broker.js';
import { type Harness, smallMunicipality, startHarness } from './support/provsync-harness.js';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 200): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('provsync serve', () => {
  let harness: Harness;
  let base: string;
  let child: ReturnType<typeof spawn>;
  let output = '';
  before(async () => {
    harness = await startHarness();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [resolve('bin/provsync.js'), 'serve'], { env: { ...harness.env, PROVSYNC_HTTP_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    await eventually(async () => ((await fetch(`${base}/health/live`)).ok ? true : undefined), 'serve to listen');
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await harness?.stop();
  });

  it('takes SIS events over HTTP, reports the bad one by position and field, and syncs the rest to Skolverket', async () => {
    const { events } = smallMunicipality(30);
    const bad = { ...events[1], id: 'bad', type: 'se.ss12000.pupil.upserted' };
    const body = [events[0], bad, ...events.slice(1)].map((e) => JSON.stringify(e)).join('\n');
    const response = await fetch(`${base}/sis-events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { recorded: number; rejected: Array<{ index: number; problems: Array<{ field: string }> }> };
    assert.equal(answer.recorded, events.length);
    assert.deepEqual(answer.rejected.map((r) => [r.index, r.problems[0].field]), [[1, 'type']]);

    const persons = events.filter((e) => e.type === 'se.ss12000.person.upserted').length;
    await eventually(async () => (harness.sim.introspection!.objects('persons').length === persons ? true : undefined), 'the persons at Skolverket');
    const ready = await (await fetch(`${base}/health/ready`)).json();
    assert.equal((ready as { status: string }).status, 'ok');
  });

  it('lists rejected inputs for the operator, and refuses a bad query naming the field', async () => {
    const list = (await (await fetch(`${base}/rejected-inputs?limit=10`)).json()) as { items: Array<{ problems: Array<{ field: string }>; receipt: { channel: string } }> };
    assert.deepEqual(list.items.map((i) => [i.receipt.channel, i.problems[0].field]), [['http', 'type']]);
    const bad = await fetch(`${base}/rejected-inputs?limit=0`);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(await bad.json()), /limit/);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output);
  });
});

describe('provsync serve consuming SIS changes from Kafka', () => {
  let harness: Harness | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  before(requireBroker);
  after(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await harness?.stop();
  });

  it('records the topic, syncs it to Skolverket, commits the offsets, and exits 0 on SIGTERM', async () => {
    harness = await startHarness();
    const { topic, dlqTopic, groupId } = await createTestTopics(3);
    const { events } = smallMunicipality(20);
    await produce(topic, events.map((e) => ({ key: String(e.subject), value: JSON.stringify(e) })));
    const env = {
      ...harness.env, PROVSYNC_HTTP_PORT: String(await freePort()),
      KAFKA_BROKERS: TEST_BROKERS.join(','), KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: dlqTopic, KAFKA_GROUP_ID: groupId,
    };
    let output = '';
    child = spawn(process.execPath, [resolve('bin/provsync.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));

    const persons = events.filter((e) => e.type === 'se.ss12000.person.upserted').length;
    await eventually(async () => (harness!.sim.introspection!.objects('persons').length === persons ? true : undefined), 'the persons at Skolverket');
    await eventually(async () => ((await committedTotal(groupId, topic)) === events.length ? true : undefined), 'every offset committed');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`consuming ${topic}`));
  });
});
