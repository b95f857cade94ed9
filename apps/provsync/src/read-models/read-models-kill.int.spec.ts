import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { OBJECT_TYPES } from '@provsync/skolverket-api';
import { SqliteEventStore } from '@provsync/event-store';
import { catchUpActive, type ReadModel, replayModel, rowReader, SqliteReadModelStorage } from '@provsync/read-models';
import { stockholmDate } from '../clock.js';
import { DesiredStateModel } from '../desired-state/desired-state.model.js';
import { fillStore, fixtureId } from '../../testing/audit/audit-history-fixture.js';
import { SyncStateModel } from './sync-state.model.js';

const CHILD = fileURLToPath(new URL('../../testing/read-models/models-projector.main.js', import.meta.url));
const RUNS_EACH = 10;
const PAGE = 4;
/** A snapshot every few events, so a kill falls between snapshots and the resumed run restores one and applies a tail. */
const SNAPSHOT_EVERY = 7;
const MODELS = ['desired-state', 'sync-state'] as const;

const dir = mkdtempSync(join(tmpdir(), 'read-models-kill-'));
const storeFile = join(dir, 'store.db');
let fileNo = 0;
const freshModelsFile = () => join(dir, `models-${++fileNo}.db`);
const today = () => stockholmDate(new Date());
const models = (store: SqliteEventStore, snapshotEvery?: number): ReadModel[] => [
  new DesiredStateModel(store, today, snapshotEvery),
  new SyncStateModel(store, snapshotEvery),
];

/** Each model's rows and position in its active generation, snapshots aside (where they fall depends on the run). */
function dump(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return MODELS.map((model) => {
      const { active } = db.prepare('SELECT active FROM read_models WHERE model = ?').get(model) as { active: number };
      const generation = `${model}#${active}`;
      return {
        model,
        rows: db.prepare("SELECT collection, key, value FROM read_model_rows WHERE generation = ? AND collection <> 'snapshot' ORDER BY collection, key").all(generation),
        position: (db.prepare('SELECT position FROM read_model_positions WHERE generation = ?').get(generation) as { position: number }).position,
      };
    });
  } finally {
    db.close();
  }
}

/** The state each model restores from its generation: the whole projection (every desired object, bodies, explanations) and the sync's fold. */
async function restoredState(file: string) {
  const store = new SqliteEventStore(storeFile);
  const storage = new SqliteReadModelStorage(file);
  try {
    const desired = new DesiredStateModel(store, today);
    const desiredGeneration = await storage.activeGeneration(desired.name);
    await desired.restore(await storage.position(desiredGeneration), rowReader(storage, desiredGeneration));
    const projection = desired.current!;
    const sync = new SyncStateModel(store);
    const syncGeneration = await storage.activeGeneration(sync.name);
    await sync.restore(await storage.position(syncGeneration), rowReader(storage, syncGeneration));
    return {
      desired: OBJECT_TYPES.flatMap((type) => [...projection.values(type)].map((o) => ({ type, id: o.id, hash: o.hash, refs: o.refs, body: o.body }))),
      explained: ['p1', 'p2', 'p5', 'g0', 'a0', 't0'].map((name) => projection.explain(fixtureId(name))),
      sync: sync.takeState(),
    };
  } finally {
    await storage.close();
    await store.close();
  }
}

/** Runs both models' projector in a child process and SIGKILLs it once it has committed `killAfter` pages. */
function projectUntilKilled(mode: 'catch-up' | 'replay', modelsFile: string, killAfter: number): Promise<{ signal: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD, mode, storeFile, modelsFile, String(PAGE), String(SNAPSHOT_EVERY)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pages = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.startsWith('page ')) pages = Number(line.slice(5));
        if (pages >= killAfter) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => (code && code !== 0 ? fail(new Error(stderr)) : done({ signal })));
  });
}

describe('the desired-state and sync-state read models, SIGKILLed and resumed', () => {
  let rebuilt: ReturnType<typeof dump>;
  let rebuiltState: Awaited<ReturnType<typeof restoredState>>;
  let pages = 0;

  before(async () => {
    const store = new SqliteEventStore(storeFile);
    await fillStore(store);
    const file = freshModelsFile();
    const storage = new SqliteReadModelStorage(file);
    for (const model of models(store)) await catchUpActive(store, storage, model);
    // Pages a whole run commits at PAGE events a page: kills land anywhere in it.
    for (const model of models(store)) pages += (await store.readAll({ after: 0n, limit: 100_000, types: model.eventTypes })).length / PAGE;
    await storage.close();
    await store.close();
    rebuilt = dump(file);
    rebuiltState = await restoredState(file);
    assert.ok(rebuiltState.desired.length > 5, 'the fixture makes desired objects');
    assert.ok(rebuiltState.sync.state.acknowledged.size > 0 && rebuiltState.sync.state.parked.size > 0, 'and acknowledged and refused ones');
  });

  it(`SIGKILLed at random points during projection (${RUNS_EACH} runs), then resumed, equals a from-scratch rebuild, rows and restored state`, async () => {
    let killed = 0;
    for (let run = 0; run < RUNS_EACH; run++) {
      const file = freshModelsFile();
      const { signal } = await projectUntilKilled('catch-up', file, 1 + Math.floor(Math.random() * (pages - 1)));
      if (signal === 'SIGKILL') killed++;
      const store = new SqliteEventStore(storeFile);
      const storage = new SqliteReadModelStorage(file);
      for (const model of models(store, SNAPSHOT_EVERY)) await catchUpActive(store, storage, model, { pageSize: PAGE });
      await storage.close();
      await store.close();
      assert.deepEqual(dump(file), rebuilt, `run ${run}`);
      assert.deepEqual(await restoredState(file), rebuiltState, `run ${run}: the state restored from the snapshot`);
    }
    assert.equal(killed, RUNS_EACH, 'every run was killed before it finished');
  });

  it(`SIGKILLed at random points during replay (${RUNS_EACH} runs), then replayed again, equals a from-scratch rebuild`, async () => {
    let killed = 0;
    for (let run = 0; run < RUNS_EACH; run++) {
      const file = freshModelsFile();
      const store = new SqliteEventStore(storeFile);
      let storage = new SqliteReadModelStorage(file);
      for (const model of models(store)) await catchUpActive(store, storage, model);
      await storage.close();
      const { signal } = await projectUntilKilled('replay', file, 1 + Math.floor(Math.random() * (pages - 1)));
      if (signal === 'SIGKILL') killed++;
      assert.deepEqual(dump(file), rebuilt, 'the old generations answer until the new ones take over');
      storage = new SqliteReadModelStorage(file);
      for (const model of models(store, SNAPSHOT_EVERY)) await replayModel(store, storage, model, { pageSize: PAGE });
      await storage.close();
      await store.close();
      assert.deepEqual(dump(file), rebuilt, `run ${run}`);
      assert.deepEqual(await restoredState(file), rebuiltState, `run ${run}: the state restored from the snapshot`);
    }
    assert.equal(killed, RUNS_EACH, 'every run was killed before it finished');
  });
});
