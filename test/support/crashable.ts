import type { EventStore } from '@provsync/event-store';
import type { ProvisioningCalls } from '../../apps/provsync/src/sync/provisioning-calls.js';

/** Counts the sync's steps (a call answered, an append written); after the last one the process is "dead". */
export interface CrashSwitch {
  stepsLeft: number;
  crashed: boolean;
}

export class Crashed extends Error {
  constructor() {
    super('the sync process was killed here (test crash)');
  }
}

/** A step completed: once the switch runs out, everything after it fails as if the process had died. */
function step(crash: CrashSwitch): void {
  if (crash.crashed) throw new Crashed();
  if (--crash.stepsLeft <= 0) {
    crash.crashed = true;
    throw new Crashed();
  }
}

function alive(crash: CrashSwitch): void {
  if (crash.crashed) throw new Crashed();
}

/**
 * Wrappers that kill the sync between any two steps in-process: a call that went out reached Skolverket, but its
 * answer is lost; an append is written, but nothing after it happens. What the dead runner still has under way
 * fails, as a killed process's would; a new runner over the same store resumes.
 */
export const crashable = {
  calls(calls: ProvisioningCalls, crash: CrashSwitch): ProvisioningCalls {
    const stepped = <T>(work: () => Promise<T>) => {
      alive(crash);
      return work().then((value) => {
        step(crash);
        return value;
      });
    };
    return {
      submitUpserts: (type, objects) => stepped(() => calls.submitUpserts(type, objects)),
      submitDeletes: (type, ids) => stepped(() => calls.submitDeletes(type, ids)),
      jobResult: (type, jobId) => stepped(() => calls.jobResult(type, jobId)),
      onAvailabilityChange: (listener) => calls.onAvailabilityChange((move) => (crash.crashed ? undefined : listener(move))),
    };
  },

  store(store: EventStore, crash: CrashSwitch): EventStore {
    return new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (name === 'close') return async () => undefined; // the store outlives the runner
        if (name !== 'append' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          alive(crash);
          const result = await value.apply(target, args);
          step(crash);
          return result;
        };
      },
    });
  },
};
