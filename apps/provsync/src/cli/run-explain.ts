import { explanationText, refKey, type Verdict } from '@provsync/domain';
import type { ProvsyncConfig } from '../config/config.js';
import { openCoreContext } from './context.js';
import { readStatus } from './status.command.js';

/** `provsync explain <sis-id>`: the projection's verdict, then where each resulting object stands with Skolverket. */
export async function runExplain(args: string[], config: ProvsyncConfig): Promise<number> {
  const [sisId] = args;
  if (!sisId) {
    console.error('usage: provsync explain <sis-id>');
    return 2;
  }
  const context = await openCoreContext(config);
  try {
    const { host, planner } = await readStatus(context.store);
    if (!host) {
      console.log('Nothing can be explained yet: run `provsync sync` once so provsync has read Skolverket\'s open data.');
      return 1;
    }
    const explanation = host.current.explain(sisId);
    const lines = [explanationText(explanation)];
    for (const object of explanation.sentAs) {
      lines.push(`${object.type} ${object.id} at Skolverket: ${describe(planner.verdict(refKey(object)), planner, refKey(object))}`);
    }
    if (args.includes('--json')) console.log(JSON.stringify({ ...explanation, skolverket: explanation.sentAs.map((o) => planner.verdict(refKey(o))) }));
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
  }
}
