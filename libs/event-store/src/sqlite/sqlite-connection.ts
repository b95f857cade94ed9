import Database from 'better-sqlite3';

export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position        INTEGER PRIMARY KEY AUTOINCREMENT,
    stream          TEXT    NOT NULL,
    revision        INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    idempotency_key TEXT    UNIQUE,
    UNIQUE (stream, revision)
  );
  CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
`;

/**
 * Pages in the write-ahead log before it is copied back into the database file. SQLite's default (1,000)
 * copies the freshly written index pages back after almost every large batch; a bigger log copies each
 * page once for many batches. Durability is the same: every commit is fsynced to the log.
 */
const WAL_PAGES_BEFORE_CHECKPOINT = 10_000;

/** One connection to the store's file: WAL mode, every commit fsynced (synchronous=FULL). */
export function openSqliteConnection(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.pragma(`wal_autocheckpoint = ${WAL_PAGES_BEFORE_CHECKPOINT}`);
  db.defaultSafeIntegers(false);
  return db;
}
