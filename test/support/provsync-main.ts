/** The CLI from this build's output (bin/provsync.js runs dist/, which a parallel build may not have yet). */
import { main } from '../../apps/provsync/src/main.js';

process.exitCode = await main(process.argv.slice(2));
