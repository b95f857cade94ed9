/**
 * What Kafka ingestion logs through. Fields carry counts, topic/partition/offset coordinates, field
 * names and problem reasons, never a message's key or content (they may hold personal data).
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface IngestionLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** One JSON object per line on stderr. */
export const jsonLinesLogger: IngestionLogger = {
  info: (message, fields) => writeLine('info', message, fields),
  warn: (message, fields) => writeLine('warn', message, fields),
  error: (message, fields) => writeLine('error', message, fields),
};

export const silentLogger: IngestionLogger = { info() {}, warn() {}, error() {} };

function writeLine(level: string, message: string, fields?: LogFields): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component: 'kafka-ingestion', message, ...fields })}\n`);
}
