import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@provsync/event-store';
import type { IngestionLogger, LogFields } from '../../src/ingest/kafka/ingestion-logger.js';

/** A fresh embedded store in a temporary folder; `remove()` deletes it. */
export function tempStoreFile(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'provsync-kafka-'));
  return { file: join(dir, 'events.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openTestStore(file: string): SqliteEventStore {
  return new SqliteEventStore(file);
}

/** A logger that keeps every line as the JSON it would have written. */
export function collectingLogger(): { logger: IngestionLogger; lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: LogFields) => lines.push(JSON.stringify({ level, message, ...fields }));
  return { logger: { info: keep('info'), warn: keep('warn'), error: keep('error') }, lines };
}
