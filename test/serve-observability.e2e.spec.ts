import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SkolverketClient } from '@provsync/skolverket-client';
import { committedTotal, createTestTopics, produce, requireBroker, TEST_BROKERS } from '../apps/provsync/testing/kafka/kafka-test-broker.js';
import { type Harness, smallMunicipality, startHarness } from './support/provsync-harness.js';
import { eventually, freePort, WRITE_OR_STATUS } from './support/provsync-instances.js';

const MAIN = fileURLToPath(new URL('./support/provsync-main.js', import.meta.url));

type Event = { id: string; type: string; subject?: string; data?: Record<string, unknown> } & Record<string, unknown>;

/** The canaries: a pupil's real-looking personnummer, names and email, which must show up nowhere but the store. */
function withCanary(events: Event[]) {
  const at = events.findIndex((e) => e.type === 'se.ss12000.person.upserted' && (e.data?.['enrolments'] as unknown[] | undefined)?.length);
  const pupil = events[at]!.data!;
  const civicNo = (pupil['civicNo'] as { value: string }).value; // YYYYMMDDNNNN
  const canary = { civicNo, givenName: 'Kanarialda', familyName: 'Fågelsångare', email: 'kanarialda.fagelsangare@canary.example' };
  events[at] = { ...events[at]!, data: { ...pupil, givenName: canary.givenName, familyName: canary.familyName, emails: [{ value: canary.email, type: 'Skola elev' }] } };
  // A bad event whose unknown attribute is *named* by the personnummer (the CloudEvent refuses unknown attributes).
  const namedByCivicNo = { ...events[at]!, id: `${events[at]!.id}-bad`, [`${civicNo.slice(0, 8)}-${civicNo.slice(8)}`]: 'x' };
  const forms = [civicNo, `${civicNo.slice(0, 8)}-${civicNo.slice(8)}`, `${civicNo.slice(2, 8)}-${civicNo.slice(8)}`, civicNo.slice(2)];
  return { canary, texts: [...forms, canary.givenName, canary.familyName, canary.email], namedByCivicNo };
}

describe('provsync serve: /metrics and structured logs', () => {
  let harness: Harness;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let base: string;
  let metricsText = '';
  let canaryTexts: string[] = [];
  let canaryName = '';
  let expected: { persons: number; kafka: number; http: number };
  let topic: string;

  before(async () => {
    await requireBroker();
    // Small bodies make Skolverket answer 413 for the first person batches, which the sync then splits.
    harness = await startHarness({ maxBodyBytes: 12_000 });
    const made = await createTestTopics(2);
    topic = made.topic;
    const events = smallMunicipality(120).events as unknown as Event[];
    const { canary, texts, namedByCivicNo } = withCanary(events);
    canaryTexts = texts;
    canaryName = canary.givenName;
    const viaHttp = events.slice(-10);
    const viaKafka = events.slice(0, -10);
    expected = { persons: events.filter((e) => e.type === 'se.ss12000.person.upserted').length, kafka: viaKafka.length, http: viaHttp.length };
    await produce(topic, [
      ...viaKafka.map((e) => ({ key: String(e.subject), value: JSON.stringify(e) })),
      { key: String(namedByCivicNo.subject), value: JSON.stringify(namedByCivicNo) },
      { key: 'not-json', value: '{"specversion": "1.0", oops' },
    ]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      ...harness.env, PROVSYNC_HTTP_PORT: String(port), LOG_LEVEL: 'debug', PROVSYNC_RECONCILE_INTERVAL: '3s',
      KAFKA_BROKERS: TEST_BROKERS.join(','), KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: made.dlqTopic, KAFKA_GROUP_ID: made.groupId,
    };
    child = spawn(process.execPath, [MAIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    await eventually(async () => ((await fetch(`${base}/health/live`)).ok ? true : undefined), 'serve to listen');

    const answer = await fetch(`${base}/sis-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'x-request-id': '0f0e0d0c-0b0a-4909-8807-060504030201' },
      body: [...viaHttp, { ...viaHttp[0]!, id: 'bad-type', type: 'se.ss12000.pupil.upserted' }].map((e) => JSON.stringify(e)).join('\n'),
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-request-id'), '0f0e0d0c-0b0a-4909-8807-060504030201');

    await faultsAtFirstWrite(harness, base);
    await eventually(() => (harness.sim.introspection!.objects('persons').length === expected.persons ? true : undefined), 'the persons at Skolverket', 120_000);
    await eventually(async () => ((await committedTotal(made.groupId, topic)) === viaKafka.length + 2 ? true : undefined), 'every offset committed');
    // The last results are recorded a moment after Skolverket holds the objects, and the lag is read every few seconds.
    metricsText = await eventually(async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const settled = (name: string, n: number) => samples(text, name).length === n && samples(text, name).every((s) => s.value === 0);
      const reconciled = samples(text, 'provsync_reconcile_drift_found_total').length === 12;
      return settled('provsync_objects', 12) && settled('provsync_kafka_consumer_lag', 2) && reconciled ? text : undefined;
    }, 'the sync to settle, the lag to reach 0 and a reconcile to run', 60_000);
  });

  after(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await harness?.stop();
  });

  it('counts SIS events by channel and outcome, and the refused ones by reason code only', () => {
    assert.equal(sample(metricsText, 'provsync_sis_events_total', { channel: 'kafka', outcome: 'recorded' }), expected.kafka);
    assert.equal(sample(metricsText, 'provsync_sis_events_total', { channel: 'http', outcome: 'recorded' }), expected.http);
    assert.equal(sample(metricsText, 'provsync_sis_events_rejected_total', { channel: 'kafka', reason: 'unknown_attribute' }), 1);
    assert.equal(sample(metricsText, 'provsync_sis_events_rejected_total', { channel: 'kafka', reason: 'not_json' }), 1);
    assert.equal(sample(metricsText, 'provsync_sis_events_rejected_total', { channel: 'http', reason: 'invalid_envelope' }), 1);
  });

  it("shows the consumer group's lag per partition, appends per thread, and Skolverket's answers by route template", () => {
    assert.equal(sample(metricsText, 'provsync_kafka_consumer_lag', { topic, partition: '0' }), 0);
    assert.equal(sample(metricsText, 'provsync_kafka_consumer_lag', { topic, partition: '1' }), 0);
    assert.ok(sample(metricsText, 'provsync_store_append_seconds_count', { thread: 'recorder', outcome: 'ok' })! >= 1);
    assert.ok(sample(metricsText, 'provsync_store_append_seconds_count', { thread: 'main', outcome: 'ok' })! >= 1);
    const calls = (status: string, endpoint = '/persons/bulk') => sample(metricsText, 'provsync_skolverket_calls_total', { method: 'POST', endpoint, status }) ?? 0;
    assert.ok(calls('202') >= 1, 'accepted person batches');
    assert.ok(calls('413') >= 1, 'a 413 counted');
    const all = (status: string) => samples(metricsText, 'provsync_skolverket_calls_total').filter((s) => s.labels['status'] === status);
    assert.ok(all('503').length >= 1, 'a 503 counted');
    assert.ok(all('429').length >= 1, 'a 429 counted');
    assert.ok(samples(metricsText, 'provsync_skolverket_calls_total').some((s) => s.labels['endpoint'] === '/persons/bulk/jobs/{id}'));
    for (const s of samples(metricsText, 'provsync_skolverket_calls_total')) assert.match(s.labels['endpoint']!, /^(\/[a-z-]+|\/\{[a-z]+\})+$|^(token|jwks)$/i);
  });

  it('times jobs, counts objects per type and state, reconcile drift per type and kind, and open holds', () => {
    assert.ok(sample(metricsText, 'provsync_skolverket_job_turnaround_seconds_count', { type: 'person', operation: 'upsert' })! >= 1);
    assert.ok(sample(metricsText, 'provsync_skolverket_job_turnaround_seconds_sum', { type: 'person', operation: 'upsert' })! > 0);
    for (const type of ['person', 'duty', 'group', 'activity']) {
      for (const state of ['pending', 'in_flight', 'parked']) assert.equal(sample(metricsText, 'provsync_objects', { type, state }), 0, `${type} ${state}`);
    }
    const drift = samples(metricsText, 'provsync_reconcile_drift_found_total');
    assert.deepEqual(new Set(drift.map((s) => s.labels['kind'])), new Set(['missing', 'different', 'leftover']));
    assert.ok(drift.every((s) => Number.isInteger(s.value) && s.value >= 0));
    assert.equal(sample(metricsText, 'provsync_holds_open', {}), 0);
    assert.match(metricsText, /^process_cpu_seconds_total /m);
  });

  it('writes only JSON lines on stdout, each with level, time and msg, Nest its own lines included; requests carry their id', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n').filter((line) => line !== '');
    assert.ok(lines.length > 10);
    const parsed = lines.map((line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.equal(typeof entry['level'], 'string', line);
      assert.ok(!Number.isNaN(Date.parse(String(entry['time']))), line);
      assert.equal(typeof entry['msg'], 'string', line);
      return entry;
    });
    assert.ok(parsed.some((e) => e['context'] === 'NestFactory' && /Starting Nest application/.test(String(e['msg']))));
    assert.ok(parsed.some((e) => e['context'] === 'RoutesResolver' || /Mapped \{\/metrics, GET\} route/.test(String(e['msg']))));
    assert.ok(parsed.some((e) => e['component'] === 'kafka-ingestion' && e['msg'] === 'batch stored and committed'));
    const post = parsed.find((e) => e['route'] === '/sis-events' && e['msg'] === 'request answered');
    assert.deepEqual([post?.['reqId'], post?.['status'], post?.['level']], ['0f0e0d0c-0b0a-4909-8807-060504030201', 200, 'info']);
    assert.ok(parsed.some((e) => e['route'] === '/metrics' && e['level'] === 'debug'));
    assert.ok(parsed.some((e) => e['msg'] === 'stopping: finishing the current batch and sync round'));
  });

  it('lets no canary (personnummer in any form, names, email, the attribute named by a personnummer) into a log line or a metric', () => {
    // The canaries were in play: the pupil reached Skolverket under the canary's name.
    assert.ok(harness.sim.introspection!.objects('persons').some((p) => JSON.stringify(p).includes(canaryName)));
    for (const text of canaryTexts) {
      for (const [where, output] of [['stdout', stdout], ['stderr', stderr], ['/metrics', metricsText]] as const) {
        assert.ok(!output.includes(text), `a canary appears in ${where}`);
      }
    }
  });
});

/**
 * From the sync's first write on: a rival client's 429 storm, then a 503 burst (as skolverket-sync-faults.int.spec
 * does), each held until serve has counted one, so a sync that happens to be idle cannot dodge it.
 */
async function faultsAtFirstWrite(harness: Harness, base: string): Promise<void> {
  const sim = harness.sim;
  const counted = async (status: string) =>
    samples(await (await fetch(`${base}/metrics`)).text(), 'provsync_skolverket_calls_total').some((s) => s.labels['status'] === status);
  await eventually(() => (sim.introspection!.requests().some(WRITE_OR_STATUS) ? true : undefined), 'the first write', 120_000);
  // Another client with the same certificate uses up both budgets (status calls and reads) until serve meets a 429.
  const rival = new SkolverketClient({
    authUrl: sim.authUrl, jwksUrl: sim.jwksUrl, openDataUrl: sim.openDataUrl, provisioningUrl: sim.provisioningUrl,
    clientCert: readFileSync(sim.clientCert, 'utf8'), clientKey: readFileSync(sim.clientKey, 'utf8'), ca: readFileSync(sim.ca, 'utf8'),
  }, { maxRateLimitedRetries: 0 });
  const job = '3fa85f64-5717-4562-b3fc-2c963f66afa5';
  let storming = true;
  const storm = (async () => {
    while (storming) {
      const calls = [...Array.from({ length: 5 }, () => rival.isJobCompleted('person', job)), ...Array.from({ length: 10 }, () => rival.get('person', job))];
      await Promise.allSettled(calls);
    }
  })();
  try {
    await eventually(async () => ((await counted('429')) ? true : undefined), 'serve to meet a 429', 30_000);
  } finally {
    storming = false;
    await storm;
    await rival.close();
  }
  sim.setFaults({ unavailableShare: 1 });
  try {
    // The sync's job queries and serve's reconcile (every 3 s here) keep calling.
    await eventually(async () => ((await counted('503')) ? true : undefined), 'serve to meet a 503', 30_000);
  } finally {
    sim.setFaults({ unavailableShare: 0 });
  }
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Every sample of one metric in Prometheus's text format. */
function samples(text: string, name: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const labels: Record<string, string> = {};
      for (const m of line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
      return { labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  return samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
