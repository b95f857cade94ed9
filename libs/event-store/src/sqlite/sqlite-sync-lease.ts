import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import type { HeldSyncLease, SyncLease } from '../sync-lease.js';

const TRY_EVERY_MS = 1000;

/** Who holds the lease, as the holder wrote it down: no personal data. */
export interface SyncLeaseHolder {
  pid: number;
  host: string;
  since: string;
}

/**
 * The embedded store is for one process: this guard lets only one process on the machine sync a store file.
 * The holder keeps an exclusive SQLite lock on `<store>.sync-lock` (a file of its own, so the store's writes
 * never wait on it); the operating system drops the lock when the process ends, SIGKILL included, so a dead
 * holder never leaves a stale lease. Who holds it (pid, host, since) is written beside it for the message others show.
 */
export class SqliteSyncLease implements SyncLease {
  private readonly lockFile: string;
  private readonly holderFile: string;

  constructor(storeFile: string) {
    this.lockFile = `${storeFile}.sync-lock`;
    this.holderFile = `${storeFile}.sync-lock.holder`;
  }

  /** The lease now, or undefined when another process holds it (see `holder()`). */
  tryAcquire(): HeldSyncLease | undefined {
    const db = new Database(this.lockFile, { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY' || (error as { code?: string }).code === 'SQLITE_LOCKED') return undefined;
      throw error;
    }
    const holder: SyncLeaseHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    writeFileSync(this.holderFile, JSON.stringify(holder));
    const controller = new AbortController();
    return {
      // The lock cannot be lost while this process lives: only release() aborts it.
      lost: controller.signal,
      release: async () => {
        if (controller.signal.aborted) return;
        controller.abort(new Error('the sync lease was released'));
        rmSync(this.holderFile, { force: true });
        db.close();
      },
    };
  }

  /** Waits for the lease, trying once a second (the organiser is implied: one store file, one organiser). */
  async acquire(_organiser: string, signal?: AbortSignal): Promise<HeldSyncLease> {
    for (;;) {
      signal?.throwIfAborted();
      const held = this.tryAcquire();
      if (held) return held;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, TRY_EVERY_MS);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        }, { once: true });
      });
    }
  }

  /** Who last took the lease, as it wrote down (undefined when unknown); only meaningful while tryAcquire fails. */
  holder(): SyncLeaseHolder | undefined {
    try {
      return JSON.parse(readFileSync(this.holderFile, 'utf8')) as SyncLeaseHolder;
    } catch {
      return undefined;
    }
  }
}
