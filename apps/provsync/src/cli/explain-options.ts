export const EXPLAIN_USAGE = 'usage: provsync explain <sis-id> [--json] [--as-of <time>] [--show-protected]';

/** What --as-of accepts: a date (midnight UTC at its start), or a date and time with an optional zone. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface ExplainOptions {
  sisId: string;
  json: boolean;
  showProtected: boolean;
  /** Explain as things stood at this moment (replayed from the events recorded up to it). */
  asOf?: Date;
}

/** `provsync explain`'s arguments; a bad one is named with the reason. `now` bounds --as-of (no answers about the future). */
export function parseExplainArgs(args: readonly string[], now = new Date()): ExplainOptions | { error: string } {
  let sisId: string | undefined;
  const options = { json: false, showProtected: false } as Omit<ExplainOptions, 'sisId'>;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--show-protected') options.showProtected = true;
    else if (arg === '--as-of') {
      const value = args[++i];
      if (!value) return { error: '--as-of needs a time, e.g. 2026-03-01 or 2026-03-01T08:00:00Z' };
      const asOf = new Date(value);
      if (!ISO_TIME.test(value) || Number.isNaN(asOf.getTime())) return { error: '--as-of: not a time (ISO 8601 expected); give e.g. 2026-03-01 or 2026-03-01T08:00:00Z' };
      if (asOf.getTime() > now.getTime()) return { error: `--as-of: ${asOf.toISOString()} is in the future; what was desired can only be told up to now` };
      options.asOf = asOf;
    } else if (arg.startsWith('--')) return { error: `unknown option ${arg}` };
    else if (sisId) return { error: 'one SIS id at a time' };
    else sisId = arg;
  }
  if (!sisId) return { error: 'give the SIS id to explain' };
  return { sisId, ...options };
}
