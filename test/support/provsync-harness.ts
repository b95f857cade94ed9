import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateMunicipality, type GeneratedMunicipality } from '@provsync/sample-data';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '@provsync/skolverket-sim';
import { simulatorEnvironment } from '../../apps/provsync/src/config/simulator-environment.js';

export const TODAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());

export interface Harness {
  dir: string;
  sim: RunningSimulator;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** A fresh directory, a real HTTPS simulator with mTLS, and the environment provsync needs to reach it. */
export async function startHarness(options: Partial<SimulatorOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'provsync-e2e-'));
  const sim = await startSimulator({ dataDir: join(dir, 'sim'), jobDelayMs: 100, introspection: true, ...options });
  const env = {
    ...process.env,
    ...simulatorEnvironment(sim),
    PROVSYNC_STORE: `sqlite:${join(dir, 'provsync.db')}`,
    PROVSYNC_SYNC_INTERVAL_MS: '50',
  };
  return { dir, sim, env, stop: () => sim.stop() };
}

export function smallMunicipality(pupils = 60): GeneratedMunicipality {
  return generateMunicipality({ seed: 7, today: TODAY, pupils });
}

export function writeNdjson(dir: string, name: string, events: readonly unknown[]): string {
  return writeLines(dir, name, events.map((e) => JSON.stringify(e)));
}

export function writeLines(dir: string, name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const BIN = resolve('bin/provsync.js');

/** Runs the real CLI (`node bin/provsync.js …`) as a child process. */
export function provsync(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runNodeScript(BIN, args, env);
}

/** Runs a Node script as a child process and collects what it printed and how it ended. */
export function runNodeScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}
