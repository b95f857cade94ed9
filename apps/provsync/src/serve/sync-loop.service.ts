import { Logger } from '@nestjs/common';
import type { SyncRuntime } from '../sync/sync-runtime.js';

const REFERENCE_REFRESH_MS = 6 * 60 * 60 * 1000;

/** Runs sync rounds until stopped; a failed round is logged (no personal data) and retried next interval. */
export class SyncLoop {
  private readonly logger = new Logger('SyncLoop');
  private stopped = false;
  private running?: Promise<void>;
  lastError?: { at: string; message: string };
  lastRoundAt?: string;

  constructor(
    private readonly runtime: SyncRuntime,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.runtime.close();
  }

  private async loop(): Promise<void> {
    let referenceReadAt = Date.now();
    while (!this.stopped) {
      try {
        if (Date.now() - referenceReadAt > REFERENCE_REFRESH_MS) {
          await this.runtime.refreshReference();
          referenceReadAt = Date.now();
        }
        await this.runtime.sync.tick();
        this.lastRoundAt = new Date().toISOString();
        this.lastError = undefined;
      } catch (error) {
        const code = (error as { code?: string }).code;
        this.lastError = { at: new Date().toISOString(), message: `${code ?? 'ERROR'}: ${(error as Error).message}` };
        this.logger.error(`sync round failed: ${this.lastError.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }
}
