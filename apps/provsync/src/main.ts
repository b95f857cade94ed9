import 'reflect-metadata';
import { ConfigError, loadConfig, type ProvsyncConfig } from './config/config.js';
import { keepTheHeapTight } from './heap.js';
import { type CommandName, COMMANDS, helpText } from './cli/commands.js';

/** `provsync <command> [args]`: each command's module is loaded only when it runs, to keep start-up quick. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (name !== 'serve') keepTheHeapTight();
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(helpText());
    return 0;
  }
  if (!(name in COMMANDS)) {
    console.error(`provsync: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  try {
    if (name === 'sim') {
      // The bundled simulator is a program of its own, with its own options: provsync's settings are not its.
      await (await import('@provsync/skolverket-sim')).runSimCommand(args);
      return 0;
    }
    // Every variable is checked once, before any command starts, and the one typed result passed down.
    return await run(name as Exclude<CommandName, 'sim'>, args, loadConfig(env));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`provsync: ${error.message}`);
      return 78; // EX_CONFIG
    }
    const code = (error as { code?: unknown }).code;
    console.error(`provsync ${name} failed${typeof code === 'string' ? ` (${code})` : ''}: ${(error as Error).message}`);
    return 1;
  }
}

async function run(name: Exclude<CommandName, 'sim'>, args: string[], config: ProvsyncConfig): Promise<number> {
  switch (name) {
    case 'ingest':
      return (await import('./cli/run-ingest.js')).runIngest(args, config);
    case 'sync':
      return (await import('./cli/run-sync.js')).runSync(args, config);
    case 'status':
      return (await import('./cli/run-status.js')).runStatus(args);
    case 'plan':
      return (await import('./cli/run-plan.js')).runPlan(args, config);
    case 'holds':
      return (await import('./cli/run-holds.js')).runHolds(args, config);
    case 'reconcile':
      return (await import('./cli/run-reconcile.js')).runReconcile(args, config);
    case 'explain':
      return (await import('./cli/run-explain.js')).runExplain(args, config);
    case 'rejected':
      return (await import('./cli/run-rejected.js')).runRejected(args, config);
    case 'serve':
      return (await import('./serve/run-serve.js')).runServe(args, config);
    case 'store':
      return (await import('./cli/run-store.js')).runStore(args, config);
    case 'demo':
      return (await import('./demo/run-demo.js')).runDemo(args);
    case 'history':
      return (await import('./cli/run-history.js')).runHistory(args, config);
    case 'replay':
      return (await import('./cli/run-replay.js')).runReplay(args, config);
    case 'help':
      console.log(helpText());
      return 0;
  }
}
