import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type CliResult, runNodeScript } from './provsync-harness.js';

const MAIN = fileURLToPath(new URL('./provsync-main.js', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve().then(probe).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One running `provsync <command>` process of this build, with its output kept. */
export class Instance {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;

  constructor(readonly name: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (c) => (this.output += c));
    this.child.stderr!.on('data', (c) => (this.output += c));
    this.exited = once(this.child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  says(pattern: RegExp): boolean {
    return pattern.test(this.output);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }
}

/** Ends every instance a test started (SIGKILL: nothing of theirs is under test any more) and waits for each to exit. */
export async function killAll(instances: readonly Instance[]): Promise<void> {
  for (const instance of instances) instance.kill('SIGKILL');
  await Promise.all(instances.map((i) => i.exited));
}

/** Runs this build's CLI to the end. */
export function runProvsync(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runNodeScript(MAIN, args, env);
}

/** A Provisioning call that counts against the 5 calls/s: a bulk write or a job-status read. */
export const WRITE_OR_STATUS = (r: { api: string; method: string; path: string }) =>
  r.api === 'provisioning' && (r.method === 'POST' ? /\/bulk(\/delete)?$/.test(r.path.split('?')[0]!) : /\/bulk\/jobs\//.test(r.path));

/** The most write-or-status calls that arrived within any one second (a sliding window over arrival times). */
export function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
