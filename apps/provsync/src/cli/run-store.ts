import {
  copyStore,
  type CopyProgress,
  describeDifference,
  type EventStore,
  openEventStore,
  progressBar,
  progressLine,
  type ProgressView,
  verifyStores,
} from '@provsync/event-store';
import type { ProvsyncConfig } from '../config/config.js';

const USAGE = 'usage: provsync store copy --to <url> | provsync store verify --against <url>';
/** How often progress is redrawn on a terminal, and written as a line elsewhere. */
const BAR_EVERY_MS = 200;
const LINE_EVERY_MS = 5000;

/**
 * `store copy --to <url>` copies every event of PROVSYNC_STORE into another store (resuming an interrupted
 * copy); `store verify --against <url>` compares the two event by event. Messages name streams, revisions,
 * positions and fields, never event contents.
 */
export async function runStore(args: string[], config: ProvsyncConfig): Promise<number> {
  const [action, flag, url, ...rest] = args;
  const expected = action === 'copy' ? '--to' : action === 'verify' ? '--against' : undefined;
  if (!expected || flag !== expected || !url || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  if (url === config.store) {
    console.error(`provsync store ${action}: the other store is PROVSYNC_STORE itself; name a different store`);
    return 2;
  }
  const source = await openEventStore(config.store);
  let target: EventStore | undefined;
  try {
    target = await openEventStore(url).catch((error: unknown) => {
      // The opener speaks of PROVSYNC_STORE; here the store in question is the one named on the command line.
      throw Object.assign(new Error(`${expected} ${(error as Error).message.replace(/^PROVSYNC_STORE: /, '')}`), { code: (error as { code?: unknown }).code });
    });
    return action === 'copy' ? await copy(source, target) : await verify(source, target);
  } finally {
    await target?.close();
    await source.close();
  }
}

async function copy(source: EventStore, target: EventStore): Promise<number> {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let shownAt = 0;
  const show = (progress: CopyProgress, final: boolean) => {
    const now = Date.now();
    if (!final && now - shownAt < (tty ? BAR_EVERY_MS : LINE_EVERY_MS)) return;
    shownAt = now;
    const view: ProgressView = { ...progress, seconds: (now - started) / 1000 };
    if (tty) process.stderr.write(`\r${progressBar(view, Math.max(10, Math.min(40, (process.stderr.columns ?? 80) - 70)))}\x1b[K${final ? '\n' : ''}`);
    else console.error(progressLine(view));
  };
  let last: CopyProgress = { done: 0, total: 0, copied: 0 };
  const result = await copyStore(source, target, {
    onProgress: (progress) => {
      last = progress;
      show(progress, false);
    },
  });
  show(last, true);
  console.log(`copied ${result.copied} event(s) this run; the target holds ${result.done} of the source's ${result.total}`);
  return 0;
}

async function verify(source: EventStore, target: EventStore): Promise<number> {
  const result = await verifyStores(source, target, {
    onProgress: (events) => {
      if (events % 100_000 === 0) console.error(`compared ${events} events`);
    },
  });
  if (result.equal) {
    console.log(`the stores are equal: ${result.events} event(s), in the same order`);
    return 0;
  }
  console.error(`the stores differ at ${describeDifference(result.difference)}`);
  return 1;
}
