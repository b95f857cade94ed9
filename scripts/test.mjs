// The whole test suite, as the README's second command and .ci/run run it: build, start the services the
// integration tests need (a real Kafka broker; PostgreSQL is checked), run every tier, stop the services.
import { spawnSync } from 'node:child_process';

const step = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (step(process.execPath, ['scripts/build.mjs', 'tsconfig.json']) !== 0) process.exit(1);
if (step('bash', ['scripts/services/start.sh']) !== 0) {
  console.error('test: the services could not start; see above. The integration tests need a real Kafka broker.');
  process.exit(1);
}
const status = step(process.execPath, ['scripts/run-tests.mjs', '--dir', '.build/test', ...process.argv.slice(2)]);
step('bash', ['scripts/services/stop.sh']);
process.exit(status);
