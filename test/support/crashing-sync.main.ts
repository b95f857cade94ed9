/**
 * `provsync sync [--until-idle]` whose process kills itself at one point of the sync, for crash-recovery tests.
 * PROVSYNC_FAULT_CRASH_AT=after-submit: Skolverket accepted a batch, its job id is not recorded yet;
 * after-accept: the job id is recorded, its result not read yet. Test-only: nothing of it ships.
 */
import 'reflect-metadata';
import { runSync } from '../../apps/provsync/src/cli/run-sync.js';
import { loadConfig } from '../../apps/provsync/src/config/config.js';
import type { ProvisioningCalls } from '../../apps/provsync/src/sync/provisioning-calls.js';

const crashAt = process.env['PROVSYNC_FAULT_CRASH_AT'];
if (crashAt !== 'after-submit' && crashAt !== 'after-accept') throw new Error('PROVSYNC_FAULT_CRASH_AT must be after-submit or after-accept');
const kill = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

/** The client's calls, with the process killed as soon as Skolverket has accepted a batch. */
const crashAfterSubmit = (calls: ProvisioningCalls): ProvisioningCalls => ({
  submitUpserts: (type, objects) => calls.submitUpserts(type, objects).then(kill),
  submitDeletes: (type, ids) => calls.submitDeletes(type, ids).then(kill),
  jobResult: (type, jobId) => calls.jobResult(type, jobId),
  onAvailabilityChange: (listener) => calls.onAvailabilityChange(listener),
});

const [command, ...args] = process.argv.slice(2);
if (command !== 'sync') throw new Error('usage: crashing-sync.main.js sync [--until-idle]');
process.exitCode = await runSync(args, loadConfig(), {
  wrapCalls: crashAt === 'after-submit' ? crashAfterSubmit : undefined,
  onProgress: (event) => (crashAt === 'after-accept' && event.type === 'BatchAccepted' ? kill() : undefined),
});
