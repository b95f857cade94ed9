import { OBJECT_TYPES } from '@provsync/skolverket-api';
import type { ReconcileOutcome } from './reconcile-once.js';
import type { ReadProgress } from './read-holdings.js';

/** The reconcile's own findings, beside the plan: per type what Skolverket held and how it compared. */
export function reconcileSummary(outcome: ReconcileOutcome) {
  return { runId: outcome.runId, readCalls: outcome.calls, byType: outcome.byType };
}

/** Per type what Skolverket held and how it compared, in lines a person reads. */
export function reconcileText(outcome: ReconcileOutcome): string {
  const lines = [`read what Skolverket holds in ${outcome.calls} read call(s):`];
  for (const type of OBJECT_TYPES) {
    const t = outcome.byType[type];
    lines.push(`  ${type.padEnd(8)} held ${t.held}, equal ${t.equal}; missing ${t.missing}, different ${t.different}, leftover ${t.leftover}`);
  }
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
