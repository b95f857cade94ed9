import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { AuditEntry } from '@provsync/domain';
import { openEventStore, SqliteEventStore } from '@provsync/event-store';
import { catchUpActive, PostgresReadModelStorage, replayModel, SqliteReadModelStorage } from '@provsync/read-models';
import { TestSchemas } from '../../../../libs/event-store/testing/test-postgres.js';
import { AuditIndex } from './audit-index.js';
import { AuditIndexModel } from './audit-index.model.js';
import { fillStore, fixtureId, pupilCivicNo } from '../../testing/audit/audit-history-fixture.js';

const CHILD = fileURLToPath(new URL('../../testing/audit/audit-projector.main.js', import.meta.url));
const RUNS_EACH = 10;
const PAGE = 4;

const dir = mkdtempSync(join(tmpdir(), 'audit-index-'));
const storeFile = join(dir, 'store.db');
let fileNo = 0;
const freshModelsFile = () => join(dir, `models-${++fileNo}.db`);

/** Every row and term of a model's active generation, without the generation's name: what "equal" means. */
function dump(file: string): { rows: unknown[]; terms: unknown[]; position: number } {
  const db = new Database(file, { readonly: true });
  try {
    const { active } = db.prepare("SELECT active FROM read_models WHERE model = 'audit'").get() as { active: number };
    const generation = `audit#${active}`;
    return {
      rows: db.prepare('SELECT collection, key, value FROM read_model_rows WHERE generation = ? ORDER BY collection, key').all(generation),
      terms: db.prepare('SELECT collection, term, key FROM read_model_terms WHERE generation = ? ORDER BY collection, term, key').all(generation),
      position: (db.prepare('SELECT position FROM read_model_positions WHERE generation = ?').get(generation) as { position: number }).position,
    };
  } finally {
    db.close();
  }
}

/** Runs the projector in a child process and SIGKILLs it once it has committed `killAfter` pages. */
function projectUntilKilled(mode: 'catch-up' | 'replay', modelsFile: string, killAfter: number): Promise<{ signal: NodeJS.Signals | null; pages: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD, mode, storeFile, modelsFile, String(PAGE)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.on('close', (code, signal) => (code && code !== 0 ? fail(new Error(stderr)) : done({ signal, pages })));
  });
}

describe('the audit index, projected from a store holding every kind of event', () => {
  let rebuilt: ReturnType<typeof dump>;
  let events = 0;

  before(async () => {
    const store = new SqliteEventStore(storeFile);
    events = await fillStore(store);
    const file = freshModelsFile();
    const storage = new SqliteReadModelStorage(file);
    await catchUpActive(store, storage, new AuditIndexModel(store));
    await storage.close();
    await store.close();
    rebuilt = dump(file);
  });

  it('tells a pupil\'s story: changes, an older change, a group move, the desired state, the job\'s error, an access', async () => {
    const store = new SqliteEventStore(storeFile);
    const storage = new SqliteReadModelStorage(freshModelsFile());
    try {
      const index = new AuditIndex(store, storage);
      await index.catchUp();
      const p1 = (await index.history(fixtureId('p1'))).entries;
      assert.deepEqual(
        p1.filter((e) => e.kind === 'sis-change' && e.sisId === fixtureId('p1')).map((e) => (e.kind === 'sis-change' ? `${e.outcome} ${e.fields.join(',')}` : '')),
        ['applied civicNo,eduPersonPrincipalNames,emails,enrolments,familyName,givenName,id', ...Array(5).fill('applied givenName'), 'older givenName'],
      );
      assert.deepEqual(
        p1.filter((e) => e.kind === 'sis-change' && e.sisId !== fixtureId('p1')).map((e) => e.sisId),
        [fixtureId('g0'), fixtureId('g2'), fixtureId('a0'), fixtureId('a1')],
        'a new group or activity reaching the pupil is in their history',
      );
      assert.ok(p1.some((e) => e.kind === 'desired' && e.change === 'now-sent'), 'sent once the reference data came');
      const p2 = (await index.history(fixtureId('p2'))).entries;
      const answer = p2.find((e): e is Extract<AuditEntry, { kind: 'answer' }> => e.kind === 'answer')!;
      assert.deepEqual([answer.status, answer.messages, answer.jobId], ['Error', ['emails: invalid'], 'j1']);
      assert.ok(p2.some((e) => e.kind === 'access' && e.who === 'dpo'));
      const p3 = (await index.history(fixtureId('p3'))).entries.filter((e) => e.kind === 'sis-change');
      assert.deepEqual(p3.slice(-2).map((e) => e.sisId), [fixtureId('g0'), fixtureId('g1')], 'left g0, joined g1: both in the pupil\'s history');
      const p20 = (await index.history(fixtureId('p20'))).entries.filter((e) => e.kind === 'sis-change');
      assert.ok(!p20.some((e) => e.sisId === fixtureId('g1') && p20.indexOf(e) > 1), 'p3 joining g1 is not in another member\'s history');
      const p5 = (await index.history(fixtureId('p5'))).entries;
      const ended = p5.find((e) => e.kind === 'desired' && e.change === 'no-longer-sent');
      assert.ok(ended && ended.kind === 'desired' && ended.reasons.length > 0, 'an ended enrolment: no longer sent, with the rule\'s reason');
      const p8 = (await index.history(fixtureId('p8'))).entries;
      const lapsed = p8.find((e) => e.kind === 'desired' && e.change === 'no-longer-sent');
      assert.ok(lapsed && lapsed.at >= '2026-09-05', `the enrolment's end noticed as the days pass: ${JSON.stringify(lapsed)}`);
      const t0 = (await index.history(fixtureId('t0'))).entries;
      assert.ok(t0.some((e) => e.kind === 'sis-change' && e.sisId === fixtureId('a0')), 'a teacher\'s history reaches the activity they teach');
      const a0 = (await index.history(fixtureId('a0'))).entries;
      assert.ok(a0.some((e) => e.kind === 'refused' && e.retry));
      const civic = pupilCivicNo('p1');
      assert.equal(await index.personByCivicNo(civic), fixtureId('p1'));
      assert.equal(await index.personByCivicNo(`${civic.slice(0, 8)}-${civic.slice(8)}`), fixtureId('p1'), 'with or without the dash');
      assert.equal(await index.personByCivicNo(pupilCivicNo('p99')), undefined);
    } finally {
      await storage.close();
      await store.close();
    }
  });

  it(`SIGKILLed at random points during projection (${RUNS_EACH} runs), then resumed, equals a from-scratch rebuild`, async () => {
    let killed = 0;
    for (let run = 0; run < RUNS_EACH; run++) {
      const file = freshModelsFile();
      const { signal } = await projectUntilKilled('catch-up', file, 1 + Math.floor(Math.random() * 20));
      if (signal === 'SIGKILL') killed++;
      const store = new SqliteEventStore(storeFile);
      const storage = new SqliteReadModelStorage(file);
      await catchUpActive(store, storage, new AuditIndexModel(store), { pageSize: PAGE });
      await storage.close();
      await store.close();
      assert.deepEqual(dump(file), rebuilt, `run ${run}`);
    }
    assert.equal(killed, RUNS_EACH, 'every run was killed before it finished');
  });

  it(`SIGKILLed at random points during replay (${RUNS_EACH} runs), then replayed again, equals a from-scratch rebuild`, async () => {
    let killed = 0;
    for (let run = 0; run < RUNS_EACH; run++) {
      const file = freshModelsFile();
      const store = new SqliteEventStore(storeFile);
      let storage = new SqliteReadModelStorage(file);
      await catchUpActive(store, storage, new AuditIndexModel(store));
      await storage.close();
      const { signal } = await projectUntilKilled('replay', file, 1 + Math.floor(Math.random() * 20));
      if (signal === 'SIGKILL') killed++;
      assert.deepEqual(dump(file).rows, rebuilt.rows, 'the old generation answers until the new one takes over');
      storage = new SqliteReadModelStorage(file);
      assert.equal(await replayModel(store, storage, new AuditIndexModel(store), { pageSize: PAGE }), 'audit#2', 'the interrupted rebuild is resumed');
      await storage.close();
      await store.close();
      assert.deepEqual(dump(file), rebuilt, `run ${run}`);
    }
    assert.equal(killed, RUNS_EACH, 'every run was killed before it finished');
  });

  describe('on PostgreSQL (the store and its read models in one schema)', () => {
    // The fixture's CloudEvent ids come from a counter, so the second fill has other ids: compared without them.
    const schemas = new TestSchemas();
    after(() => schemas.dropAll());

    it('holds the same entries as on SQLite', async () => {
      const url = schemas.freshUrl();
      const store = await openEventStore(url);
      const storage = await PostgresReadModelStorage.open(url);
      try {
        assert.equal(await fillStore(store), events);
        const index = new AuditIndex(store, storage);
        await index.catchUp({ pageSize: 7 });
        const sqliteStore = new SqliteEventStore(storeFile);
        const sqliteStorage = new SqliteReadModelStorage(freshModelsFile());
        const sqlite = new AuditIndex(sqliteStore, sqliteStorage);
        await sqlite.catchUp();
        for (const name of ['p1', 'p2', 'p3', 'p5', 't0', 'a0', 'g1']) {
          const strip = (entries: AuditEntry[]) => entries.map((e) => ({ ...e, ...(e.kind === 'sis-change' ? { recordedAt: '', id: '' } : {}), ...(e.kind === 'desired' ? { at: '' } : {}) }));
          assert.deepEqual(strip((await index.history(fixtureId(name))).entries), strip((await sqlite.history(fixtureId(name))).entries), name);
        }
        await sqliteStorage.close();
        await sqliteStore.close();
      } finally {
        await storage.close();
        await store.close();
      }
    });
  });
});
