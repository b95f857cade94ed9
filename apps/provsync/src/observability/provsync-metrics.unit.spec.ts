import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncEvent } from '@provsync/domain';
import type { ObjectCounts } from './object-counts.js';
import { ProvsyncMetrics } from './provsync-metrics.js';

const line = (text: string, prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));

function status(pending: number): ObjectCounts {
  const counts = { pending, inFlight: 1, parked: 0 };
  return { person: counts, duty: counts, group: counts, activity: counts };
}

describe('ProvsyncMetrics', () => {
  it('counts recorded inputs by channel and outcome, and refused ones by reason code, never by field or text', async () => {
    const metrics = new ProvsyncMetrics();
    metrics.sisInputsRecorded('kafka', [
      { status: 'recorded' },
      { status: 'recorded' },
      { status: 'duplicate' },
      { status: 'rejected', problems: [{ field: '["19121212-1212"]', reason: 'is not an attribute of this contract; check its spelling' }] },
    ]);
    const text = await metrics.text();
    assert.equal(line(text, 'provsync_sis_events_total{channel="kafka",outcome="recorded"}'), 'provsync_sis_events_total{channel="kafka",outcome="recorded"} 2');
    assert.ok(line(text, 'provsync_sis_events_total{channel="kafka",outcome="duplicate"} 1'));
    assert.ok(line(text, 'provsync_sis_events_rejected_total{channel="kafka",reason="unknown_attribute"} 1'));
    assert.ok(!text.includes('19121212'));
  });

  it('labels Skolverket calls by route template: a segment that is not a word or a placeholder is masked', async () => {
    const metrics = new ProvsyncMetrics();
    metrics.skolverketAnswered('GET /persons/bulk/jobs/{id}', 200);
    metrics.skolverketAnswered('GET /persons/bulk/jobs/{id}', 429);
    metrics.skolverketAnswered('GET /persons/3fa85f64-5717-4562-b3fc-2c963f66afa5?x=1', 404);
    metrics.skolverketAnswered('POST /persons/bulk', 'no_answer');
    const text = await metrics.text();
    assert.ok(line(text, 'provsync_skolverket_calls_total{method="GET",endpoint="/persons/bulk/jobs/{id}",status="429"} 1'));
    assert.ok(line(text, 'provsync_skolverket_calls_total{method="GET",endpoint="/persons/{value}",status="404"} 1'));
    assert.ok(line(text, 'provsync_skolverket_calls_total{method="POST",endpoint="/persons/bulk",status="no_answer"} 1'));
  });

  it("times a batch from its first submission to its job's results, by type and operation", async () => {
    const metrics = new ProvsyncMetrics();
    const started = (at: string): SyncEvent =>
      ({ type: 'BatchSubmissionStarted', data: { batchId: 'b1', objectType: 'group', operation: 'delete', items: [], body: [], at } }) as SyncEvent;
    metrics.syncEventRecorded(started('2026-12-04T10:00:00.000Z'));
    metrics.syncEventRecorded(started('2026-12-04T10:00:05.000Z')); // re-sent: still timed from the first
    metrics.syncEventRecorded({ type: 'JobResultsRecorded', data: { batchId: 'b1', jobId: 'j', results: [], at: '2026-12-04T10:00:12.500Z' } } as SyncEvent);
    metrics.syncEventRecorded({ type: 'JobResultsRecorded', data: { batchId: 'unknown', jobId: 'j', results: [], at: '2026-12-04T10:00:13.000Z' } } as SyncEvent);
    const text = await metrics.text();
    assert.ok(line(text, 'provsync_skolverket_job_turnaround_seconds_sum{type="group",operation="delete"} 12.5'));
    assert.ok(line(text, 'provsync_skolverket_job_turnaround_seconds_count{type="group",operation="delete"} 1'));
  });

  it('counts objects per type and state while leading, and drops the series when not', async () => {
    const metrics = new ProvsyncMetrics();
    let leading = true;
    metrics.watchObjects(async () => (leading ? status(3) : undefined));
    const text = await metrics.text();
    assert.ok(line(text, 'provsync_objects{type="duty",state="pending"} 3'));
    assert.ok(line(text, 'provsync_objects{type="duty",state="in_flight"} 1'));
    leading = false;
    const later = new ProvsyncMetrics();
    later.watchObjects(async () => (leading ? status(3) : undefined));
    assert.equal(line(await later.text(), 'provsync_objects{'), undefined);
  });

  it('feeds reconcile drift and open holds through their own calls, and answers a scrape when Kafka does not', async () => {
    const metrics = new ProvsyncMetrics();
    metrics.reconcileDrift('person', 'leftover', 4);
    metrics.reconcileDrift('person', 'leftover', 1);
    metrics.holdsOpen(2);
    metrics.watchKafkaLag(() => Promise.reject(new Error('broker down')));
    const text = await metrics.text();
    assert.ok(line(text, 'provsync_reconcile_drift_found_total{type="person",kind="leftover"} 5'));
    assert.ok(line(text, 'provsync_holds_open 2'));
    assert.match(text, /# TYPE provsync_kafka_consumer_lag gauge/);
  });

  it("adds Node's process metrics once, however often asked", async () => {
    const metrics = new ProvsyncMetrics().withProcessMetrics().withProcessMetrics();
    assert.equal((await metrics.text()).match(/^# TYPE process_cpu_seconds_total /gm)?.length, 1);
  });
});
