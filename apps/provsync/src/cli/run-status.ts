import { loadConfig, type ProvsyncConfig } from '../config/config.js';
import { openReadModels } from '../read-models/open-read-models.js';
import { readStatus, statusText } from './status.command.js';

/** `provsync status`: from the persisted read models, on the store alone (no Nest context: it starts in milliseconds). */
export async function runStatus(args: string[], config: ProvsyncConfig = loadConfig()): Promise<number> {
  const context = await openReadModels(config);
  try {
    const { report, referenceKnown } = await readStatus(context.store, context.storage);
    console.log(args.includes('--json') ? JSON.stringify(report) : statusText(report, referenceKnown));
    return 0;
  } finally {
    await context.close();
  }
}
