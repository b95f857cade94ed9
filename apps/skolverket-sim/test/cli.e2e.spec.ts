import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { student } from './support/fixtures.js';
import { SimClient } from './support/client.js';
import type { RunningSimulator } from '../src/index.js';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'provsync-sim-cli-'));
  dirs.push(dir);
  return dir;
};

/** Starts `main.js` and resolves with the JSON line it prints once listening. */
function startCli(args: string[]): Promise<{ child: ChildProcess; line: Record<string, string>; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve({ child, line: JSON.parse(out.slice(0, newline)), exited });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening: ${err}`)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('provsync sim (the CLI entry)', () => {
  it('prints one JSON line with the URLs and absolute PEM paths, serves a client, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const authPort = await freePort();
    const { child, line, exited } = await startCli(['--data-dir', dir, '--job-delay-ms', '5', '--auth-port', String(authPort), '--no-rate-limit']);
    assert.deepEqual(Object.keys(line), ['authUrl', 'jwksUrl', 'openDataUrl', 'provisioningUrl', 'ca', 'clientCert', 'clientKey', 'organisationNumber']);
    assert.equal(line.authUrl, `https://127.0.0.1:${authPort}/transaction`);
    assert.equal(line.jwksUrl, `https://127.0.0.1:${authPort}/.well-known/jwks.json`);
    assert.match(line.openDataUrl!, /^https:\/\/127\.0\.0\.1:\d+\/provtjanst\/open-data\/v1$/);
    assert.match(line.provisioningUrl!, /^https:\/\/127\.0\.0\.1:\d+\/provtjanst\/provisioning\/v1$/);
    for (const file of [line.ca!, line.clientCert!, line.clientKey!]) assert.ok(isAbsolute(file) && existsSync(file), file);
    assert.equal(line.organisationNumber, '2120000001');

    const client = new SimClient(line as unknown as RunningSimulator);
    const [answer] = await client.bulk('POST', '/persons/bulk', [student()]);
    assert.equal(answer.response.status, 'Success');
    await client.close();
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('keeps stored objects across a restart with --persist', async () => {
    const dir = tempDir();
    const p = student();
    const first = await startCli(['--data-dir', dir, '--job-delay-ms', '5', '--persist']);
    const client = new SimClient(first.line as unknown as RunningSimulator);
    await client.bulk('POST', '/persons/bulk', [p]);
    await client.close();
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0);
    const second = await startCli(['--data-dir', dir, '--persist']);
    const again = new SimClient(second.line as unknown as RunningSimulator);
    assert.equal((await again.api('GET', `/persons/${p.id}`)).status, 200);
    await again.close();
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('explains itself with --help and names a bad option', () => {
    const help = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--temporary-error-share/);
    const bad = spawnSync(process.execPath, [MAIN, '--unavailable-share', '3', '--data-dir', tempDir()], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--unavailable-share must be a number from 0 to 1/);
    const unknown = spawnSync(process.execPath, [MAIN, '--frobnicate'], { encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /frobnicate/);
  });
});
