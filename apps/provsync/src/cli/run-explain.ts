import { explanationText, refKey, type Verdict } from '@provsync/domain';
import { explainAccess } from '../audit/explain-access.js';
import type { ProvsyncConfig } from '../config/config.js';
import { openReadModels } from '../read-models/open-read-models.js';
import { EXPLAIN_USAGE, parseExplainArgs } from './explain-options.js';
import { printExplanationAsOf } from './run-explain-as-of.js';
import { readStatus } from './status.command.js';

/** `provsync explain <sis-id>`: the projection's verdict, then where each resulting object stands with Skolverket (--as-of: at a past moment). */
export async function runExplain(args: string[], config: ProvsyncConfig): Promise<number> {
  const options = parseExplainArgs(args);
  if ('error' in options) {
    console.error(`provsync explain: ${options.error}\n${EXPLAIN_USAGE}`);
    return 2;
  }
  const { sisId } = options;
  const context = await openReadModels(config);
  try {
    // About a person, the answer is personal data: a protected identity needs --show-protected, and the access is recorded.
    const access = await explainAccess(context.store, sisId, options.showProtected);
    if ('exit' in access) return access.exit;
    if (options.asOf) return await printExplanationAsOf(context.store, sisId, options.asOf, options.json, access.record);
    const { host, planner } = await readStatus(context.store, context.storage, { projection: true });
    if (!host) {
      console.log('Nothing can be explained yet: run `provsync sync` once so provsync has read Skolverket\'s open data.');
      return 1;
    }
    const explanation = host.current.explain(sisId);
    const lines = [explanationText(explanation)];
    for (const object of explanation.sentAs) {
      lines.push(`${object.type} ${object.id} at Skolverket: ${describe(planner.verdict(refKey(object)), planner, refKey(object))}`);
    }
    await access.record();
    if (options.json) console.log(JSON.stringify({ ...explanation, skolverket: explanation.sentAs.map((o) => planner.verdict(refKey(o))) }));
    else console.log(lines.join('\n'));
    return explanation.entity ? 0 : 1;
  } finally {
    await context.close();
  }
}

function describe(verdict: Verdict, planner: { parkedMessages(key: string): string[] }, key: string): string {
  switch (verdict.state) {
    case 'in-sync':
      return 'acknowledged, up to date';
    case 'in-flight':
      return `being sent (batch ${verdict.batchId})`;
    case 'parked':
      return `refused by Skolverket; waits until the SIS data changes: ${planner.parkedMessages(key).join('; ')}`;
    case 'ready':
      return `pending: ${verdict.operation} will be sent in the next sync round`;
    case 'waiting':
      return `pending: ${verdict.operation} waits for ${verdict.on.map(refKey).join(', ')}`;
    case 'held':
      return verdict.holdId
        ? `delete held by the mass-change guard in ${verdict.holdId}: \`provsync holds approve|reject ${verdict.holdId}\``
        : 'delete waits while another hold is open (`provsync holds`)';
    case 'kept':
      return `delete rejected by an operator (${verdict.holdId}): kept at Skolverket`;
    case 'retrying':
      return `pending: Skolverket answered TemporaryError ${verdict.count} time(s) in a row; ${verdict.operation} sent again from ${new Date(verdict.at).toISOString()}`;
  }
}
