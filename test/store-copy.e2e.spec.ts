import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { copyStore } from '../libs/event-store/src/copy/copy-store.js';
import type { EventStore } from '../libs/event-store/src/event-store.port.js';
import { openEventStore } from '../libs/event-store/src/open-event-store.js';
import { TestSchemas } from '../libs/event-store/testing/test-postgres.js';
import { SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store.js';

/**
 * Moving a store with the CLI: a copy from SQLite killed half-way (SIGKILL, a real process) is resumed by
 * `provsync store copy` and then found equal by `provsync store verify`, into SQLite and into PostgreSQL
 * (PROVSYNC_TEST_PG_URL, a schema of its own).
 */
const MAIN = fileURLToPath(new URL('../apps/provsync/src/main.js', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
const EVENTS = 20_000;
const PAGE = 500;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a node program; `onLine` sees each stdout line and may kill the child. */
function node(args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string, kill: () => void) => void): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      for (const line of text.split('\n')) if (line) onLine?.(line, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** What bin/provsync.js does, for the build under test (bin/ runs dist/; a file, as worker threads inherit node's flags). */
function launcher(dir: string): string {
  const file = join(dir, 'provsync.mjs');
  writeFileSync(file, `const { main } = await import(${JSON.stringify(pathToFileURL(MAIN).href)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return file;
}

const provsync = (bin: string, args: string[], store: string) => node([bin, ...args], { ...process.env, PROVSYNC_STORE: store });

async function fill(store: EventStore): Promise<void> {
  for (let i = 0; i < EVENTS; i += 500) {
    const events = Array.from({ length: 500 }, (_, k) => ({ type: 'SisChangeRecorded', data: { n: i + k }, metadata: { k }, idempotencyKey: `src|${i + k}` }));
    await store.append([
      { stream: `person-${i % 13}`, events: events.slice(0, 250), expectedRevision: 'any' },
      { stream: `duty-${i % 11}`, events: events.slice(250), expectedRevision: 'any' },
    ]);
  }
}

/** Child mode: copy with a progress line per page, until the parent kills it. */
async function copyAsChild(from: string, to: string): Promise<void> {
  const [source, target] = [await openEventStore(from), await openEventStore(to)];
  await copyStore(source, target, { pageSize: PAGE, onProgress: (p) => console.log(`done ${p.done}`) });
  await Promise.all([source.close(), target.close()]);
}

if (process.env.STORE_COPY_CHILD_FROM) {
  await copyAsChild(process.env.STORE_COPY_CHILD_FROM, process.env.STORE_COPY_CHILD_TO!);
} else {
  describe('provsync store copy / verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsync-store-e2e-'));
    const sourceUrl = `sqlite:${join(dir, 'source.db')}`;
    const targetUrl = `sqlite:${join(dir, 'target.db')}`;
    const bin = launcher(dir);

    const schemas = new TestSchemas();
    after(() => schemas.dropAll());

    before(async () => {
      const source = new SqliteEventStore(join(dir, 'source.db'));
      await fill(source);
      await source.close();
    });

    const resumesAKilledCopy = (into: string, targetUrl: () => string) =>
      it(`resumes a copy into ${into} killed half-way, and verifies equal`, async () => {
        const url = targetUrl();
        const killed = await node([THIS_FILE], { ...process.env, STORE_COPY_CHILD_FROM: sourceUrl, STORE_COPY_CHILD_TO: url }, (line, kill) => {
          if (Number(/^done (\d+)$/.exec(line)?.[1] ?? 0) >= EVENTS / 2) kill();
        });
        assert.equal(killed.signal, 'SIGKILL', `the copy was to be killed half-way: ${killed.stderr}`);
        const target = await openEventStore(url);
        const held = await target.count();
        await target.close();
        assert.ok(held >= EVENTS / 2 && held < EVENTS, `the killed copy left ${held} events`);

        const resumed = await provsync(bin, ['store', 'copy', '--to', url], sourceUrl);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.match(resumed.stdout, new RegExp(`copied ${EVENTS - held} event\\(s\\) this run; the target holds ${EVENTS} of the source's ${EVENTS}`));
        assert.match(resumed.stderr, /^copied [\d,]+\/20,000 events, [\d,]+ events\/s, .* left \(\d+ %\)$/m, 'plain progress lines when not on a terminal');

        const verified = await provsync(bin, ['store', 'verify', '--against', url], sourceUrl);
        assert.equal(verified.code, 0, verified.stderr);
        assert.match(verified.stdout, /the stores are equal: 20000 event\(s\), in the same order/);
      });

    resumesAKilledCopy('SQLite', () => targetUrl);
    resumesAKilledCopy('PostgreSQL', () => schemas.freshUrl());

    it('verify exits non-zero naming the first difference without the events\' contents', async () => {
      const otherUrl = `sqlite:${join(dir, 'other.db')}`;
      const [source, other] = [new SqliteEventStore(join(dir, 'source.db')), new SqliteEventStore(join(dir, 'other.db'))];
      const events = await source.readAll({ after: 0n, limit: 100 });
      await other.importEvents([...events.slice(0, 41), { ...events[41]!, data: { n: 'changed' } }]);
      await Promise.all([source.close(), other.close()]);

      const verified = await provsync(bin, ['store', 'verify', '--against', otherUrl], sourceUrl);
      assert.equal(verified.code, 1);
      assert.match(verified.stderr, new RegExp(`the stores differ at event #42 \\(stream ${events[41]!.stream}, revision ${events[41]!.revision}; source position \\d+, target position \\d+\\): data differs`));
      assert.ok(!verified.stderr.includes('changed') && !verified.stderr.includes('"n"'), 'no event contents in the message');
    });

    it('refuses a copy onto the configured store itself, and bad usage, with a usage line', async () => {
      const same = await provsync(bin, ['store', 'copy', '--to', sourceUrl], sourceUrl);
      assert.equal(same.code, 2);
      assert.match(same.stderr, /PROVSYNC_STORE itself/);
      const bad = await provsync(bin, ['store', 'copy', '--against', targetUrl], sourceUrl);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /usage: provsync store copy --to <url>/);
    });

  });
}
