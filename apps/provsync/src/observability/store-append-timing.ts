import type { EventStore } from '@provsync/event-store';

/**
 * The store with each `append` timed (seconds, and whether it succeeded); every other method is the store's
 * own. A proxy rather than a wrapper class, so a method added to the port needs nothing here.
 */
export function timingAppends(store: EventStore, observe: (seconds: number, ok: boolean) => void): EventStore {
  const append: EventStore['append'] = async (writes) => {
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      const result = await store.append(writes);
      ok = true;
      return result;
    } finally {
      observe(Number(process.hrtime.bigint() - started) / 1e9, ok);
    }
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
