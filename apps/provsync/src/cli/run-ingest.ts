import type { ProvsyncConfig } from '../config/config.js';
import { openCoreContext } from './context.js';
import { ingestNdjson } from './ingest.command.js';

export async function runIngest(args: string[], config: ProvsyncConfig): Promise<number> {
  const [source] = args;
  if (!source) {
    console.error('usage: provsync ingest <file.ndjson | ->');
    return 2;
  }
  const context = await openCoreContext(config);
  try {
    const summary = await ingestNdjson(context, source, (line) => console.error(line));
    console.log(
      `recorded ${summary.recorded}, out of order (kept for audit) ${summary.stale}, duplicates ${summary.duplicate}, rejected ${summary.rejected}`,
    );
    return 0;
  } finally {
    await context.close();
  }
}
