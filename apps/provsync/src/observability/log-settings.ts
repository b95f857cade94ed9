import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How `provsync serve` logs: one JSON object a line (the default), or readable lines for a person at a terminal. */
export interface LogSettings {
  format: 'json' | 'pretty';
  level: LogLevel;
}

/** The variables loadConfig reads for logging (spread into its environment schema). */
export const logEnvironment = {
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'LOG_FORMAT must be json or pretty' }).default('json'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
};

export function logSettings(e: { LOG_FORMAT: LogSettings['format']; LOG_LEVEL: LogLevel }): LogSettings {
  return { format: e.LOG_FORMAT, level: e.LOG_LEVEL };
}
