import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { findLastEvent, openEventStore } from '@provsync/event-store';
import { SqliteReadModelStorage } from '@provsync/read-models';
import { AUDIT_EVENT_TYPES } from '../apps/provsync/src/audit/audit-event-types.js';
import { AuditIndex } from '../apps/provsync/src/audit/audit-index.js';
import { AUDIT_MODEL } from '../apps/provsync/src/audit/audit-index.model.js';
import { auditLauncher } from './support/audit-cli.js';
import { type Harness, smallMunicipality, startHarness } from './support/provsync-harness.js';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

describe('provsync serve keeps the audit index current', () => {
  let harness: Harness;
  let child: ReturnType<typeof spawn>;
  let output = '';
  let base = '';
  before(async () => {
    harness = await startHarness();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [auditLauncher(harness.dir), 'serve'], { env: { ...harness.env, PROVSYNC_HTTP_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/health/live`).then((r) => r.ok, () => false)) break;
      if (i > 300) throw new Error(`serve did not listen: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await harness?.stop();
  });

  it('projects what it ingests and syncs, with no history call: the index reaches the store\'s end and answers at once', async () => {
    const { events } = smallMunicipality(40);
    const body = events.map((e) => JSON.stringify(e)).join('\n');
    const response = await fetch(`${base}/sis-events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    assert.equal(response.status, 200);
    const pupil = events.find((e) => e.type === 'se.ss12000.person.upserted')!.subject;
    const file = harness.env.PROVSYNC_STORE!.slice('sqlite:'.length);
    const store = await openEventStore(harness.env.PROVSYNC_STORE!);
    const storage = new SqliteReadModelStorage(file);
    try {
      const index = new AuditIndex(store, storage);
      let seen = { position: -1n, last: 0n, answers: 0 };
      for (let i = 0; ; i++) {
        // Read the index first: if it then equals the store's last event, it was there without any catching up here.
        const position = await storage.position(await storage.activeGeneration(AUDIT_MODEL));
        const last = (await findLastEvent({ readAll: (o) => store.readAll({ ...o, types: AUDIT_EVENT_TYPES }) }))?.position ?? 0n;
        const entries = (await index.history(pupil)).entries;
        seen = { position, last, answers: entries.filter((e) => e.kind === 'answer').length };
        if (position === last && seen.answers > 0 && entries.some((e) => e.kind === 'sis-change')) break;
        if (i > 600) assert.fail(`the index stayed behind: ${JSON.stringify(seen, (_, v) => (typeof v === 'bigint' ? String(v) : v))}\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(seen.position > BigInt(events.length), 'the SIS changes and the sync\'s events after them');
    } finally {
      await storage.close();
      await store.close();
    }
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output);
    assert.doesNotMatch(output, /audit index: projection failed/);
  });
});
