/**
 * The sync's model-based test: a random SIS history (creates, updates, moves, ends by date, deletes, duplicates,
 * out-of-order deliveries) is recorded round by round; after each round the sync runs against the simulator with
 * random faults (503, 429, TemporaryError, 413, expired tokens) and is killed at random steps and restarted from
 * the store. The model: afterwards Skolverket holds exactly what the rules make of the SIS's final state (the
 * projection of that state recorded afresh, in order, once), and no object was sent more often than the round
 * gave reason to. Used by the bounded int spec and by the soak (scripts/soak/sync-model-soak.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { type DesiredItem, refKey, SYNC_STREAM, SyncPlanner } from '@provsync/domain';
import { type EventStore, openEventStore } from '@provsync/event-store';
import {
  type AnySisEvent, endDuty, generateMunicipality, isValidCivicNumber, luhnCheckDigit, type MunicipalityState, movePupil, objectsOf, updatePerson, withEvents,
} from '@provsync/sample-data';
import type { ClientTuning } from '@provsync/skolverket-client';
import { type RunningSimulator, startSimulator } from '@provsync/skolverket-sim';
import { skolverketSettings } from '../../apps/provsync/src/config/config.js';
import { simulatorEnvironment } from '../../apps/provsync/src/config/simulator-environment.js';
import { DesiredStateHost } from '../../apps/provsync/src/desired-state/desired-state-host.js';
import { ReferenceDataStore } from '../../apps/provsync/src/desired-state/reference-data-store.js';
import { EventStoreSisChangeRecorder } from '../../apps/provsync/src/recording/event-store-sis-change-recorder.js';
import type { ProvisioningCalls } from '../../apps/provsync/src/sync/provisioning-calls.js';
import { readSyncState } from '../../apps/provsync/src/sync/read-sync-state.js';
import { openSyncRuntime } from '../../apps/provsync/src/sync/sync-runtime.js';
import { crashable, type CrashSwitch } from './crashable.js';

export type SisOp =
  | { kind: 'update'; pick: number }
  | { kind: 'move'; pick: number; to: number }
  | { kind: 'end-duty'; pick: number }
  | { kind: 'delete-pupil'; pick: number }
  | { kind: 'delete-activity'; pick: number }
  | { kind: 'create-pupil'; pick: number };

export interface ModelRound {
  ops: SisOp[];
  /** Deliveries: each event once, some twice (`duplicates`), and some pairs swapped (`swaps`: out of order). */
  duplicates: number[];
  swaps: number[];
  /** The sync is killed after this many steps (a call answered or an event appended), then restarted, in turn. */
  crashes: number[];
}

export interface ModelFaults {
  temporaryErrorShare: number;
  unavailableShare: number;
  /** Skolverket's body limit: below what provsync packs for, every full batch meets 413 and is split. */
  maxBodyBytes: number;
  /** Tokens that expire before the client renews them: 403s, a new token each time. */
  shortTokens: boolean;
  /** Fewer calls per second than the client's pace: 429s. */
  rateLimited: boolean;
}

export interface ModelCase {
  seed: number;
  pupils: number;
  faults: ModelFaults;
  rounds: ModelRound[];
}

export interface ModelStats {
  rounds: number;
  crashes: number;
  /** Answers of each fault kind the simulator gave. */
  faults: { status413: number; status429: number; status503: number; status403: number; temporaryErrors: number };
  /** Object sends beyond the first per object and round, all within the model's allowance. */
  resent: number;
  sends: number;
}

const op: fc.Arbitrary<SisOp> = fc.oneof(
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('end-duty' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('delete-pupil' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('delete-activity' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('create-pupil' as const), pick: fc.nat() }),
);

export const modelCase: fc.Arbitrary<ModelCase> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  pupils: fc.integer({ min: 6, max: 24 }),
  faults: fc.record({
    temporaryErrorShare: fc.constantFrom(0, 0, 0.15),
    unavailableShare: fc.constantFrom(0, 0, 0.2),
    maxBodyBytes: fc.constantFrom(204_800, 204_800, 6_000),
    shortTokens: fc.boolean(),
    rateLimited: fc.boolean(),
  }),
  rounds: fc.array(
    fc.record({
      ops: fc.array(op, { maxLength: 6 }),
      duplicates: fc.array(fc.nat(), { maxLength: 3 }),
      swaps: fc.array(fc.nat(), { maxLength: 3 }),
      crashes: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const TODAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const isWrite = (path: string, method: string) => method === 'POST' && /\/bulk(\/delete)?$/.test(path.split('?')[0]!);

/** Runs one case against a fresh simulator and store; throws (assert) when the model is broken. */
export async function runModelCase(c: ModelCase, tlsDir: string): Promise<ModelStats> {
  const dir = mkdtempSync(join(tmpdir(), 'provsync-model-'));
  const random = prng(c.seed);
  const sim = await startSimulator({
    dataDir: tlsDir,
    jobDelayMs: 30,
    introspection: true,
    random,
    maxBodyBytes: c.faults.maxBodyBytes,
    tokenLifetimeSeconds: c.faults.shortTokens ? 3 : 3600,
    rateLimit: c.faults.rateLimited ? { writesPerSecond: 2, readsPerSecond: 10 } : undefined,
    faults: { temporaryErrorShare: c.faults.temporaryErrorShare, unavailableShare: c.faults.unavailableShare },
  });
  const store = await openEventStore(`sqlite:${join(dir, 'provsync.db')}`);
  const stats: ModelStats = { rounds: 0, crashes: 0, faults: { status413: 0, status429: 0, status503: 0, status403: 0, temporaryErrors: 0 }, resent: 0, sends: 0 };
  try {
    const settings = skolverketSettings(simulatorEnvironment(sim));
    const tuning: ClientTuning = { tokenRefreshFraction: c.faults.shortTokens ? 1.5 : undefined, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 100, maxHalfOpenAfterMs: 400 } };
    const recorder = new EventStoreSisChangeRecorder(store);
    const municipality = generateMunicipality({ seed: c.seed, today: TODAY, pupils: c.pupils });
    let sis = municipality.state;
    let live = latestEvents(new Map(), municipality.events);
    let before = new Map<string, DesiredItem>();
    for (const [n, round] of c.rounds.entries()) {
      const events = n === 0 ? [...municipality.events] : [];
      for (const change of round.ops) {
        const made = applyOp(sis, change, live);
        if (!made) continue;
        sis = made.state;
        events.push(...made.events);
        live = latestEvents(live, made.events);
      }
      await record(recorder, deliveries(events, round));
      sim.introspection!.clearRequests();
      const syncEventsBefore = (await store.readStream(SYNC_STREAM)).length;
      stats.crashes += await syncWithCrashes(store, settings, tuning, round.crashes);
      const expected = await expectedDesired(store, [...live.values()]);
      await explainMismatch(sim, expected, store, n);
      assertSkolverketHolds(sim, expected);
      countRound(stats, sim, (await store.readStream(SYNC_STREAM)).slice(syncEventsBefore), before, expected, round.crashes.length);
      before = expected;
      stats.rounds++;
    }
    return stats;
  } finally {
    await store.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Syncs until idle; killed after `crashes[i]` steps of the i-th run, then restarted from the store. */
async function syncWithCrashes(store: EventStore, settings: ReturnType<typeof skolverketSettings>, tuning: ClientTuning, crashes: number[]): Promise<number> {
  let crashed = 0;
  for (let run = 0; ; run++) {
    const crash: CrashSwitch = { stepsLeft: crashes[run] ?? Infinity, crashed: false };
    try {
      const runtime = await openSyncRuntime(crashable.store(store, crash), settings, { pollIntervalMs: 20, wrapCalls: (calls: ProvisioningCalls) => crashable.calls(calls, crash) }, tuning);
      try {
        await withDeadline(runtime.sync.runUntilIdle(), 120_000, 'the sync did not come to rest within 2 minutes');
      } finally {
        await runtime.close().catch(() => undefined);
      }
      if (!crash.crashed) return crashed;
    } catch (error) {
      if (!crash.crashed) throw error;
    }
    crashed++;
  }
}

/** What the rules make of the SIS's final state: its live objects recorded once, in order, into a fresh store. */
async function expectedDesired(store: EventStore, live: AnySisEvent[]): Promise<Map<string, DesiredItem>> {
  const reference = await new ReferenceDataStore(store).latest();
  assert.ok(reference, 'the sync read the reference data');
  const dir = mkdtempSync(join(tmpdir(), 'provsync-model-expected-'));
  const fresh = await openEventStore(`sqlite:${join(dir, 'expected.db')}`);
  try {
    const ordered = [...live].sort((a, b) => a.sequence.localeCompare(b.sequence));
    await record(new EventStoreSisChangeRecorder(fresh), ordered);
    const host = new DesiredStateHost(fresh, reference);
    await host.catchUp();
    return new Map(host.liveDesired());
  } finally {
    await fresh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** When Skolverket's objects differ from the model's, says for each odd one what the sync itself believed (ids only). */
async function explainMismatch(sim: RunningSimulator, expected: Map<string, DesiredItem>, store: EventStore, round: number): Promise<void> {
  const collections = { person: 'persons', duty: 'duties', group: 'groups', activity: 'activities' } as const;
  const odd: string[] = [];
  for (const [type, collection] of Object.entries(collections)) {
    const held = new Set((sim.introspection!.objects(collection) as Array<{ id: string }>).map((o) => o.id));
    for (const id of held) if (!expected.has(`${type}:${id}`)) odd.push(`${type}:${id} held, not expected`);
    for (const d of expected.values()) if (d.type === type && !held.has(d.id)) odd.push(`${type}:${d.id} expected, not held`);
  }
  if (!odd.length) return;
  const reference = (await new ReferenceDataStore(store).latest())!;
  const host = new DesiredStateHost(store, reference);
  await host.catchUp();
  const desired = host.liveDesired();
  const { state } = await readSyncState(store);
  const lines = odd.map((line) => {
    const key = line.split(' ')[0]!;
    const planner = new SyncPlanner(desired, state);
    const verdict = planner.verdict(key);
    const on = 'on' in verdict ? verdict.on.map((ref) => `${refKey(ref)} (desired: ${desired.has(refKey(ref))}, refs ${JSON.stringify(desired.get(refKey(ref))?.refs ?? state.acknowledged.get(refKey(ref))?.refs)}, ${JSON.stringify(planner.verdict(refKey(ref)))})`) : [];
    return `${line}; desired by the sync: ${desired.has(key)}, acknowledged: ${state.acknowledged.has(key)}, the sync's verdict: ${JSON.stringify(verdict)} ${on.join(', ')}`;
  });
  throw new Error(`round ${round}: Skolverket differs from the model:\n  ${lines.join('\n  ')}`);
}

function assertSkolverketHolds(sim: RunningSimulator, expected: Map<string, DesiredItem>): void {
  const collections = { person: 'persons', duty: 'duties', group: 'groups', activity: 'activities' } as const;
  for (const [type, collection] of Object.entries(collections)) {
    const held = new Map((sim.introspection!.objects(collection) as Array<{ id: string }>).map((o) => [o.id, o as Record<string, unknown>]));
    const wanted = [...expected.values()].filter((d) => d.type === type);
    assert.deepEqual([...held.keys()].sort(), wanted.map((d) => d.id).sort(), `Skolverket holds exactly the desired ${collection}`);
    for (const desired of wanted) {
      const object = held.get(desired.id)!;
      for (const [field, value] of Object.entries(desired.body as Record<string, unknown>)) {
        assert.deepEqual(normalise(object[field]), normalise(value), `${type} ${desired.id}: ${field} as desired`);
      }
    }
  }
}

/**
 * Sends per object in a round: one if its desired state changed, one more per TemporaryError it got, one more per
 * crash (the batch under way is re-sent), and one more for a group (sent again once a refused member exists).
 */
function countRound(stats: ModelStats, sim: RunningSimulator, events: Array<{ type: string; data: unknown }>, before: Map<string, DesiredItem>, after: Map<string, DesiredItem>, crashes: number): void {
  const log = sim.introspection!.requests().filter((r) => r.api === 'provisioning');
  for (const r of log) {
    if (r.status === 413) stats.faults.status413++;
    if (r.status === 429) stats.faults.status429++;
    if (r.status === 503) stats.faults.status503++;
    if (r.status === 403) stats.faults.status403++;
  }
  const temporary = new Map<string, number>();
  for (const e of events.filter((e) => e.type === 'JobResultsRecorded')) {
    for (const r of (e.data as { results: Array<{ id: string; status: string }> }).results) {
      if (r.status === 'TemporaryError') temporary.set(r.id, (temporary.get(r.id) ?? 0) + 1);
    }
  }
  for (const n of temporary.values()) stats.faults.temporaryErrors += n;
  const sends = new Map<string, number>();
  for (const r of log) if (isWrite(r.path, r.method) && r.status === 202) for (const id of r.objectIds ?? []) sends.set(id, (sends.get(id) ?? 0) + 1);
  const changed = new Set<string>();
  for (const [key, item] of after) if (before.get(key)?.hash !== item.hash) changed.add(item.id);
  for (const [key, item] of before) if (!after.has(key)) changed.add(item.id);
  const groups = new Set([...after.values(), ...before.values()].filter((d) => d.type === 'group').map((d) => d.id));
  for (const [id, n] of sends) {
    const allowed = (changed.has(id) ? 1 : 0) + (temporary.get(id) ?? 0) + crashes + (groups.has(id) ? 1 : 0);
    assert.ok(n <= allowed, `object ${id} was sent ${n} times in the round; the model allows ${allowed}`);
    stats.sends += n;
    stats.resent += Math.max(0, n - 1);
  }
  for (const id of changed) assert.ok(sends.has(id), `object ${id} changed but was not sent`);
}

function applyOp(sis: MunicipalityState, change: SisOp, live: Map<string, AnySisEvent>): { state: MunicipalityState; events: AnySisEvent[] } | undefined {
  const pupils = objectsOf(sis, 'person').filter((p) => p.enrolments?.length && live.has(p.id));
  const pick = <T>(list: T[], n: number) => (list.length ? list[n % list.length] : undefined);
  switch (change.kind) {
    case 'update': {
      const pupil = pick(pupils, change.pick);
      return pupil && updatePerson(sis, pupil.id, { givenName: `Namn${change.pick % 1000}` }, TODAY);
    }
    case 'move': {
      const pupil = pick(pupils, change.pick);
      const classes = objectsOf(sis, 'group').filter((g) => g.groupType === 'Klass' && live.has(g.id));
      const current = classes.find((g) => g.groupMemberships.some((m) => m.person.id === pupil?.id && (!m.endDate || m.endDate >= TODAY)));
      const target = pick(classes.filter((g) => g.id !== current?.id && g.organisation.id === current?.organisation.id), change.to);
      return pupil && current && target ? movePupil(sis, pupil.id, target.id, TODAY) : undefined;
    }
    case 'end-duty': {
      const duty = pick(objectsOf(sis, 'duty').filter((d) => live.has(d.id) && !d.endDate), change.pick);
      return duty && endDuty(sis, duty.id, addDays(TODAY, -1));
    }
    case 'create-pupil': {
      const pupil = pick(pupils, change.pick);
      if (!pupil) return undefined;
      const id = uuidFrom(`${sis.seed}:new:${sis.sequence}`);
      const civicNo = freshCivicNumber(sis, pupil.civicNo.value, change.pick);
      if (!civicNo) return undefined;
      const domain = pupil.eduPersonPrincipalNames[0]!.split('@')[1];
      const copy = { ...structuredClone(pupil), id, civicNo: { value: civicNo, nationality: 'SE' }, eduPersonPrincipalNames: [`${id}@${domain}`], emails: [] };
      return updatePersonAs(sis, pupil.id, id, copy);
    }
    case 'delete-pupil':
    case 'delete-activity': {
      const ids = change.kind === 'delete-pupil' ? pupils.map((p) => p.id) : objectsOf(sis, 'activity').filter((a) => live.has(a.id)).map((a) => a.id);
      const id = pick(ids, change.pick);
      return id === undefined ? undefined : deleted(sis, change.kind === 'delete-pupil' ? 'person' : 'activity', id);
    }
  }
}

/** A personnummer on the same birth date as `like`, used by nobody in the SIS yet. */
function freshCivicNumber(sis: MunicipalityState, like: string, pick: number): string | undefined {
  const used = new Set(objectsOf(sis, 'person').map((p) => p.civicNo.value));
  for (let k = 0; k < 50; k++) {
    const body = `${like.slice(2, 8)}${String((pick + k * 37) % 1000).padStart(3, '0')}`;
    const value = `${like.slice(0, 2)}${body}${luhnCheckDigit(body)}`;
    if (isValidCivicNumber(value) && !used.has(value)) return value;
  }
  return undefined;
}

/** A new pupil: an upsert of a copy of an existing pupil under a new id, without identifiers that must be unique. */
function updatePersonAs(sis: MunicipalityState, fromId: string, id: string, data: object): { state: MunicipalityState; events: AnySisEvent[] } {
  const made = updatePerson(sis, fromId, () => data as never, TODAY);
  const event = { ...made.events[0]!, subject: id, id: uuidFrom(`${made.events[0]!.id}:as:${id}`), data: { ...data, id } } as AnySisEvent;
  return { state: withEvents(sis, [event]), events: [event] };
}

function deleted(sis: MunicipalityState, entity: 'person' | 'activity', id: string): { state: MunicipalityState; events: AnySisEvent[] } {
  const sequence = sis.sequence + 1;
  const event = {
    specversion: '1.0',
    id: uuidFrom(`${sis.seed}:delete:${sequence}:${id}`),
    source: sis.source,
    type: `se.ss12000.${entity}.deleted`,
    subject: id,
    time: new Date(Math.max(sis.lastTime + 1_000, Date.parse(`${TODAY}T08:00:00Z`))).toISOString(),
    sequence: String(sequence).padStart(18, '0'),
    actor: 'sis-user:model',
    datacontenttype: 'application/json',
  } as unknown as AnySisEvent;
  const objects = new Map(sis.objects);
  objects.delete(id);
  return { state: { ...sis, sequence, lastTime: Date.parse(event.time), objects }, events: [event] };
}

/** The latest event per entity, deletes removing it: the SIS's live state as events. */
function latestEvents(live: Map<string, AnySisEvent>, events: AnySisEvent[]): Map<string, AnySisEvent> {
  const next = new Map(live);
  for (const e of events) {
    if (e.type.endsWith('.deleted')) next.delete(e.subject);
    else next.set(e.subject, e);
  }
  return next;
}

/** Each event once, in order, then some delivered twice and some neighbours swapped (an older change arriving late). */
function deliveries(events: AnySisEvent[], round: ModelRound): AnySisEvent[] {
  const out = [...events];
  if (out.length < 2) return out;
  for (const s of round.swaps) {
    const i = s % (out.length - 1);
    [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  }
  for (const d of round.duplicates) out.push(out[d % out.length]!);
  return out;
}

async function record(recorder: EventStoreSisChangeRecorder, events: AnySisEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const outcomes = await recorder.record(events.slice(i, i + 500).map((raw) => ({ raw, channel: 'file' as const, receivedAt: new Date().toISOString() })));
    const bad = outcomes.find((o) => o.status === 'rejected');
    assert.equal(bad, undefined, `a generated SIS event was rejected: ${JSON.stringify(bad)}`);
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<T>((_, fail) => (timer = setTimeout(() => fail(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

function normalise(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function uuidFrom(text: string): string {
  let h = 0x811c9dc5;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    for (const ch of `${text}:${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    bytes.push(h & 0xff);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A small deterministic generator, so a case's faults repeat with its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

