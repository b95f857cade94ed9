import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { modelCase, runModelCase } from '../../../../test/support/sync-model.js';

/**
 * Bounded here (SYNC_MODEL_RUNS, default 3 cases); `npm run soak:sync` runs it for as long as it is given.
 * A failure prints fast-check's seed and path: replay with SYNC_MODEL_SEED=<seed> SYNC_MODEL_PATH=<path>.
 */
describe('the sync, model-based: random SIS histories, faults and crashes', () => {
  it('ends with Skolverket holding exactly what the rules say, no object sent more often than the model allows', async () => {
    const tlsDir = mkdtempSync(join(tmpdir(), 'provsync-model-tls-'));
    const seed = process.env['SYNC_MODEL_SEED'] ? Number(process.env['SYNC_MODEL_SEED']) : undefined;
    await fc.assert(
      fc.asyncProperty(modelCase, async (c) => {
        await runModelCase(c, tlsDir);
      }),
      { numRuns: Number(process.env['SYNC_MODEL_RUNS'] ?? 3), seed, path: process.env['SYNC_MODEL_PATH'], endOnFailure: true, verbose: true },
    );
  });
});
