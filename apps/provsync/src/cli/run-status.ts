import { openCoreContext } from './context.js';
import { readStatus, statusText } from './status.command.js';

export async function runStatus(args: string[]): Promise<number> {
  const context = await openCoreContext();
  try {
    const { report, host } = await readStatus(context.store);
    console.log(args.includes('--json') ? JSON.stringify(report) : statusText(report, host !== undefined));
    return 0;
  } finally {
    await context.close();
  }
}
