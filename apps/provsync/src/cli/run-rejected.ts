import { REJECTED_INPUTS_STREAM, type SisInputRejected } from '@provsync/domain';
import type { ProvsyncConfig } from '../config/config.js';
import { openCoreContext } from './context.js';

/** Lists rejected inputs: where they came from and why. The raw input stays in the store (personal data). */
export async function runRejected(args: string[], config: ProvsyncConfig): Promise<number> {
  const context = await openCoreContext(config);
  try {
    const events = await context.store.readStream(REJECTED_INPUTS_STREAM);
    const rows = events.map((e) => {
      const data = e.data as SisInputRejected['data'];
      return { position: String(e.position), recordedAt: e.recordedAt, receipt: data.receipt, problems: data.problems, bytes: data.rawBytes };
    });
    if (args.includes('--json')) console.log(JSON.stringify(rows));
    else for (const row of rows) console.log(`${row.recordedAt} ${whereFrom(row.receipt)}: ${row.problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
    if (!args.includes('--json') && rows.length === 0) console.log('no rejected inputs');
    return 0;
  } finally {
    await context.close();
  }
}

function whereFrom(receipt: SisInputRejected['data']['receipt']): string {
  if (receipt.kafka) return `kafka ${receipt.kafka.topic}/${receipt.kafka.partition}@${receipt.kafka.offset}`;
  if (receipt.file) return `file ${receipt.file.name}:${receipt.file.line}`;
  return receipt.channel;
}
