import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SYNC_STREAM } from '@provsync/domain';
import { openEventStore } from '@provsync/event-store';
import { generateMunicipality } from '@provsync/sample-data';
import { type ClientTuning } from '@provsync/skolverket-client';
import { type RequestLogEntry, type RunningSimulator, type SimulatorOptions, startSimulator } from '@provsync/skolverket-sim';
import { stockholmDate } from '../clock.js';
import { skolverketSettings } from '../config/config.js';
import { simulatorEnvironment } from '../config/simulator-environment.js';
import { EventStoreSisChangeRecorder } from '../recording/event-store-sis-change-recorder.js';
import { openSyncRuntime } from './sync-runtime.js';

const isWrite = (r: RequestLogEntry) => r.method === 'POST' && /\/bulk(\/delete)?$/.test(r.path.split('?')[0]!);
const isStatus = (r: RequestLogEntry) => r.method === 'GET' && r.path.includes('/bulk/jobs/');

/** A small municipality recorded in a fresh store, synced by a fresh runtime against `sim`. */
async function syncOnce(sim: RunningSimulator, tuning: ClientTuning, during?: () => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'provsync-sync-faults-'));
  const store = await openEventStore(`sqlite:${join(dir, 'provsync.db')}`);
  try {
    const municipality = generateMunicipality({ seed: 7, today: stockholmDate(new Date()), pupils: 1_200 });
    const recorder = new EventStoreSisChangeRecorder(store);
    for (let i = 0; i < municipality.events.length; i += 500) {
      const page = municipality.events.slice(i, i + 500);
      await recorder.record(page.map((raw) => ({ raw, channel: 'file' as const, receivedAt: new Date().toISOString() })));
    }
    const settings = skolverketSettings(simulatorEnvironment(sim));
    const runtime = await openSyncRuntime(store, settings, { pollIntervalMs: 50 }, tuning);
    const running = runtime.sync.runUntilIdle();
    await during?.();
    await running;
    const stats = runtime.client.stats();
    await runtime.close();
    return { municipality, stats, events: await store.readStream(SYNC_STREAM), store };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertHoldsExactly(sim: RunningSimulator, expected: { persons: number; duties: number; groups: number; activities: number }) {
  const held = sim.introspection!;
  assert.deepEqual(
    [held.objects('persons').length, held.objects('duties').length, held.objects('groups').length, held.objects('activities').length],
    [expected.persons, expected.duties, expected.groups, expected.activities],
  );
}

/** Every object id is in exactly one accepted write, plus one more for each TemporaryError it got. */
function assertNothingSentTwiceWithoutReason(log: RequestLogEntry[], events: Awaited<ReturnType<typeof syncOnce>>['events']) {
  const sends = new Map<string, number>();
  for (const r of log.filter((r) => isWrite(r) && r.status === 202)) for (const id of r.objectIds ?? []) sends.set(id, (sends.get(id) ?? 0) + 1);
  const temporary = new Map<string, number>();
  for (const e of events.filter((e) => e.type === 'JobResultsRecorded')) {
    for (const r of (e.data as { results: Array<{ id: string; status: string }> }).results) {
      if (r.status === 'TemporaryError') temporary.set(r.id, (temporary.get(r.id) ?? 0) + 1);
    }
  }
  for (const [id, n] of sends) assert.equal(n, 1 + (temporary.get(id) ?? 0), `object ${id} sent ${n} times`);
}

describe('the sync against a simulator with faults switched on', () => {
  let sim: RunningSimulator;
  const start = (options: Partial<SimulatorOptions>) =>
    startSimulator({ dataDir: mkdtempSync(join(tmpdir(), 'provsync-sim-')), jobDelayMs: 300, introspection: true, ...options });
  after(() => sim?.stop());

  it('keeps every one-second window at Skolverket within 5 write-or-status calls, with no 429', async () => {
    sim = await start({});
    const { municipality } = await syncOnce(sim, {});
    assertHoldsExactly(sim, municipality.summary.expected);
    const log = sim.introspection!.requests().filter((r) => r.api === 'provisioning');
    assert.equal(log.filter((r) => r.status === 429).length, 0);
    const times = log.filter((r) => isWrite(r) || isStatus(r)).map((r) => Date.parse(r.time)).sort((a, b) => a - b);
    assert.ok(times.length > 10);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      assert.ok(inWindow <= 5, `${inWindow} calls in the second from ${new Date(times[i]!).toISOString()}`);
    }
    await sim.stop();
  });

  it('ends in the desired state through token expiry, 503 bursts, TemporaryErrors, 413s and a 429 storm', async () => {
    // Tokens live 4 s and the client renews only after 6 s: it sends expired tokens and meets 403s.
    sim = await start({ tokenLifetimeSeconds: 4, maxBodyBytes: 90_000, faults: { temporaryErrorShare: 0.1 } });
    const storm = async () => {
      // From the sync's first write on, whatever the machine's speed: building the desired state first can take seconds.
      while (!sim.introspection!.requests().some(isWrite)) await new Promise((r) => setTimeout(r, 20));
      // Another client with the same certificate uses up the quota for a while: 429s for the sync.
      const { SkolverketClient } = await import('@provsync/skolverket-client');
      const { readFileSync } = await import('node:fs');
      const rival = new SkolverketClient({
        authUrl: sim.authUrl, jwksUrl: sim.jwksUrl, openDataUrl: sim.openDataUrl, provisioningUrl: sim.provisioningUrl,
        clientCert: readFileSync(sim.clientCert, 'utf8'), clientKey: readFileSync(sim.clientKey, 'utf8'), ca: readFileSync(sim.ca, 'utf8'),
      });
      const burst = async () => {
        await new Promise((r) => setTimeout(r, 200));
        sim.setFaults({ unavailableShare: 1 });
        await new Promise((r) => setTimeout(r, 3_000));
        sim.setFaults({ unavailableShare: 0 });
      };
      const rivalCalls = async () => {
        await new Promise((r) => setTimeout(r, 2_000));
        await Promise.all(Array.from({ length: 15 }, () => rival.isJobCompleted('person', '3fa85f64-5717-4562-b3fc-2c963f66afa5').catch(() => undefined)));
      };
      await Promise.all([burst(), rivalCalls()]);
      await rival.close();
    };
    const { municipality, stats, events } = await syncOnce(sim, { tokenRefreshFraction: 1.5, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 300, maxHalfOpenAfterMs: 1_000 } }, storm);
    assertHoldsExactly(sim, municipality.summary.expected);
    const log = sim.introspection!.requests().filter((r) => r.api === 'provisioning');
    assert.ok(log.some((r) => r.status === 413), 'a batch met 413 and was split');
    assert.ok(log.some((r) => r.status === 503), '503s were answered');
    assert.ok(stats.tokenRejected403 > 0, 'an expired token was refused and replaced');
    assert.ok(stats.tooManyRequests429 > 0, 'the rival made the sync meet 429s');
    assert.ok(events.some((e) => e.type === 'JobResultsRecorded' && JSON.stringify(e.data).includes('TemporaryError')));
    const breaker = events.filter((e) => e.type.startsWith('Skolverket')).map((e) => e.type);
    assert.deepEqual(breaker.slice(0, 2), ['SkolverketUnavailable', 'SkolverketAvailable'], 'the breaker opened, was recorded, and closed');
    assert.equal(breaker.at(-1), 'SkolverketAvailable');
    assertNothingSentTwiceWithoutReason(log, events);
  });
});
