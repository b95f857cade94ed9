import type { EventStore, RecordedEvent, Subscription } from './event-store.port.js';

const PAGE = 500;
const IDLE_POLL_MS = 250;

/**
 * A catch-up subscription for stores without push notifications across processes: reads pages after the
 * last handled position, then waits for an in-process append signal or the idle poll, whichever comes first.
 */
export function pollingSubscription(
  store: Pick<EventStore, 'readAll'>,
  after: bigint,
  handler: (event: RecordedEvent) => Promise<void>,
  types: readonly string[] | undefined,
  onAppend: (listener: () => void) => () => void,
): Subscription {
  let position = after;
  let closed = false;
  let wake: (() => void) | undefined;
  let appendedSinceRead = false;
  const unlisten = onAppend(() => {
    appendedSinceRead = true;
    wake?.();
  });

  const loop = (async () => {
    while (!closed) {
      appendedSinceRead = false;
      const page = await store.readAll({ after: position, limit: PAGE, types });
      for (const event of page) {
        if (closed) return;
        await handler(event);
        position = event.position;
      }
      if (page.length < PAGE && !closed && !appendedSinceRead) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, IDLE_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  })();

  // A failing handler ends the subscription; the failure surfaces from close().
  let failure: unknown;
  const finished = loop.catch((error: unknown) => {
    failure = error;
  });
  return {
    async close() {
      closed = true;
      wake?.();
      unlisten();
      await finished;
      if (failure) throw failure;
    },
  };
}
