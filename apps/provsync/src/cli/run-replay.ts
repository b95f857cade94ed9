import { replayModel, type ReplayProgress } from '@provsync/read-models';
import { AuditIndexModel } from '../audit/audit-index.model.js';
import { stockholmDate } from '../clock.js';
import { DesiredStateModel } from '../desired-state/desired-state.model.js';
import { SyncStateModel } from '../read-models/sync-state.model.js';
import type { ProvsyncConfig } from '../config/config.js';
import { openReadModels } from '../read-models/open-read-models.js';

const PLAIN_LINE_EVERY_MS = 2_000;

/**
 * `provsync replay`: rebuilds every read model from the first event into fresh tables beside the ones in use,
 * then switches over once they have reached the store's end. Ingestion and queries go on meanwhile. Killed, it
 * resumes the unfinished rebuild where it stopped.
 */
export async function runReplay(args: string[], config: ProvsyncConfig): Promise<number> {
  if (args.length) {
    console.error('usage: provsync replay');
    return 2;
  }
  const context = await openReadModels(config);
  try {
    const models = [new AuditIndexModel(context.store), new DesiredStateModel(context.store, () => stockholmDate(new Date())), new SyncStateModel(context.store)];
    for (const model of models) {
      const started = Date.now();
      const progress = progressWriter(started);
      const generation = await replayModel(context.store, context.storage, model, { onProgress: progress.write });
      progress.done();
      const seconds = (Date.now() - started) / 1000;
      console.log(`${model.name}: rebuilt as ${generation} in ${seconds.toFixed(1)} s; it now answers queries`);
    }
    return 0;
  } finally {
    await context.close();
  }
}

/** A progress line redrawn in place on a terminal; a plain line every few seconds otherwise (logs, CI). */
function progressWriter(started: number) {
  const tty = process.stdout.isTTY === true;
  let lastLine = 0;
  let last: ReplayProgress | undefined;
  const line = (p: ReplayProgress) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const share = p.target > 0n ? Math.min(100, Number((p.position * 100n) / p.target)) : 100;
    return `${p.model}: ${p.applied} events applied, position ${p.position} of ${p.target} (${share}%), ${Math.round(p.applied / seconds)} events/s`;
  };
  return {
    write(p: ReplayProgress) {
      last = p;
      if (tty) process.stdout.write(`\r${line(p)}`);
      else if (Date.now() - lastLine >= PLAIN_LINE_EVERY_MS) {
        lastLine = Date.now();
        console.log(line(p));
      }
    },
    done() {
      if (tty && last) process.stdout.write('\n');
      else if (last) console.log(line(last));
    },
  };
}
