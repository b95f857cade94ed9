import type { Drift } from '@provsync/domain';
import { OBJECT_TYPES } from '@provsync/skolverket-api';
import type { ReconcileOutcome } from './reconcile-once.js';
import type { ReadProgress } from './read-holdings.js';

/** The reason `plan --json` gives an object the sync sends because of what a reconcile found. */
export const DRIFT_REASON: Record<Drift, string> = {
  missing: 'drift found by reconcile: Skolverket does not hold it',
  different: 'drift found by reconcile: Skolverket holds it with other content',
  leftover: 'drift found by reconcile: Skolverket holds it and provsync does not want it',
};

/** `reconcile --json`: per type what Skolverket held and how it compared, and each object to send with why. */
export function reconcileJson(outcome: ReconcileOutcome, applied: boolean): unknown {
  const counts = Object.fromEntries(
    OBJECT_TYPES.map((type) => {
      const t = outcome.byType[type];
      return [type, { create: t.missing, update: t.different, delete: t.leftover, held: t.held, equal: t.equal }];
    }),
  );
  return {
    applied,
    readCalls: outcome.calls,
    ...counts,
    objects: outcome.drifted.map((o) => ({ type: o.type, id: o.id, operation: o.operation, reason: { kind: 'drift', drift: o.drift, text: DRIFT_REASON[o.drift] } })),
  };
}

/** The same in lines a person reads. */
export function reconcileText(outcome: ReconcileOutcome, applied: boolean): string {
  const lines = [`read what Skolverket holds in ${outcome.calls} read call(s)`];
  for (const type of OBJECT_TYPES) {
    const t = outcome.byType[type];
    lines.push(`  ${type.padEnd(8)} held ${t.held}, equal ${t.equal} (acknowledged); create ${t.missing}, update ${t.different}, delete ${t.leftover}`);
  }
  const drifted = outcome.drifted.length;
  lines.push(drifted === 0 ? 'Skolverket holds exactly the desired state' : applied ? `sent ${drifted} object(s) to put right` : `${drifted} object(s) to put right: run provsync reconcile --apply`);
  return lines.join('\n');
}

/** Progress while reading: a bar redrawn in place on a terminal, a line every few seconds otherwise. */
export function readProgressPrinter(expectedObjects: number, stream: NodeJS.WriteStream = process.stderr): { show(p: ReadProgress): void; done(): void } {
  const started = Date.now();
  let shownAt = 0;
  let last: ReadProgress | undefined;
  const tty = stream.isTTY === true;
  const render = (p: ReadProgress, final: boolean) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? (p.calls / seconds).toFixed(1) : '0.0';
    const figures = `${p.objects.toLocaleString('en-US')} objects (${p.objectType}), ${p.calls.toLocaleString('en-US')} read calls, ${rate} calls/s`;
    if (!tty) return stream.write(`reconcile: read ${figures}\n`);
    const share = final ? 1 : Math.min(0.99, expectedObjects > 0 ? p.objects / expectedObjects : 0);
    const width = 30;
    const filled = Math.round(share * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)} % ${figures}\x1b[K${final ? '\n' : ''}`);
  };
  return {
    show(p) {
      last = p;
      const now = Date.now();
      if (now - shownAt < (tty ? 200 : 2000)) return;
      shownAt = now;
      render(p, false);
    },
    done() {
      if (last) render(last, true);
    },
  };
}
