import { historyText, isProtectedIdentity } from '@provsync/domain';
import { AuditIndex } from '../audit/audit-index.js';
import { recordPersonalDataAccess } from '../audit/record-access.js';
import type { ProvsyncConfig } from '../config/config.js';
import { openReadModels } from '../read-models/open-read-models.js';

const USAGE = 'usage: provsync history <sis-id> | --civic-no <personnummer> [--json] [--since <time>] [--show-protected]';

/**
 * `provsync history`: every SIS change, desired-state change, call to Skolverket and its answer, and every access,
 * about one SIS object or one person, oldest first, from the audit index. The answer is itself recorded as an access.
 */
export async function runHistory(args: string[], config: ProvsyncConfig): Promise<number> {
  const options = parseArgs(args);
  if ('error' in options) {
    console.error(`${options.error}\n${USAGE}`);
    return 2;
  }
  const context = await openReadModels(config);
  try {
    const index = new AuditIndex(context.store, context.storage);
    await index.catchUp();
    const sisId = options.sisId ?? (await index.personByCivicNo(options.civicNo!));
    if (!sisId) {
      // Never the number itself: it is personal data, and this line may end up in a log.
      console.error('provsync history: no person with that personnummer has been received');
      return 1;
    }
    const object = await index.object(sisId);
    if (object?.entity === 'person' && isProtectedIdentity(object.data) && !options.showProtected) {
      console.error(`provsync history: ${sisId} is a protected identity; add --show-protected to see it (the access is recorded)`);
      return 3;
    }
    const before = await index.history(sisId);
    if (before.entries.length === 0) {
      console.error(`provsync history: nothing is recorded about ${sisId}`);
      return 1;
    }
    const protectedShown = object?.entity === 'person' && isProtectedIdentity(object.data);
    await recordPersonalDataAccess(context.store, { command: 'history', about: [sisId], protectedShown });
    await index.catchUp();
    const history = await index.history(sisId, options.since);
    console.log(options.json ? JSON.stringify(history) : historyText(history));
    return 0;
  } finally {
    await context.close();
  }
}

interface HistoryOptions {
  sisId?: string;
  civicNo?: string;
  json: boolean;
  since?: Date;
  showProtected: boolean;
}

function parseArgs(args: string[]): HistoryOptions | { error: string } {
  const options: HistoryOptions = { json: false, showProtected: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--show-protected') options.showProtected = true;
    else if (arg === '--civic-no') {
      if (!args[i + 1]) return { error: '--civic-no needs a personnummer' };
      options.civicNo = args[++i];
    } else if (arg === '--since') {
      const since = new Date(args[i + 1] ?? '');
      if (Number.isNaN(since.getTime())) return { error: '--since needs a time, e.g. 2026-03-01 or 2026-03-01T08:00:00Z' };
      options.since = since;
      i++;
    } else if (arg.startsWith('--')) return { error: `unknown option ${arg}` };
    else if (options.sisId) return { error: 'one SIS id at a time' };
    else options.sisId = arg;
  }
  if (!options.sisId === !options.civicNo) return { error: 'give either a SIS id or --civic-no' };
  return options;
}
