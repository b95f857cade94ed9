import { z } from 'zod';
import type { KafkaTuning } from '../ingest/kafka/kafka-ingestion.js';

/** Kafka ingestion's settings; absent from the configuration when KAFKA_BROKERS is unset. */
export interface KafkaSettings {
  brokers: string[];
  topic: string;
  groupId: string;
  dlqTopic: string;
  clientId: string;
  /** Only the settings PROVSYNC_KAFKA_TUNING names; the rest keep DEFAULT_KAFKA_TUNING. */
  tuning: Partial<KafkaTuning>;
}

export const KAFKA_DEFAULTS = { topic: 'sis.changes', groupId: 'provsync', dlqTopic: 'sis.changes.dlq', clientId: 'provsync' } as const;

const HOST_PORT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):\d{1,5}$/;

const brokers = z.string().transform((text, ctx) => {
  const list = text.split(',').map((broker) => broker.trim()).filter((broker) => broker !== '');
  const bad = list.find((broker) => !HOST_PORT.test(broker));
  if (bad === undefined) return list;
  ctx.addIssue({ code: 'custom', message: `KAFKA_BROKERS: ${JSON.stringify(bad)} is not host:port (e.g. 127.0.0.1:19092); separate brokers with commas` });
  return z.NEVER;
});

const topic = (name: string) =>
  z.string().superRefine((v, ctx) => {
    if (/^[A-Za-z0-9._-]{1,249}$/.test(v)) return;
    ctx.addIssue({ code: 'custom', message: `${name}: ${JSON.stringify(v)} is not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249)` });
  });

const positiveWhole = (key: string) =>
  z.number({ error: `${key} must be a number` }).int(`${key} must be a whole number`).positive(`${key} must be above 0`);

/** One validator per tuning setting: `satisfies` keeps this list and KafkaTuning's keys the same. */
const tuningShape = {
  heartbeatEveryMs: positiveWhole('heartbeatEveryMs'),
  slowAppendMs: positiveWhole('slowAppendMs'),
  retryFirstDelayMs: positiveWhole('retryFirstDelayMs'),
  retryMaxDelayMs: positiveWhole('retryMaxDelayMs'),
  sessionTimeoutMs: positiveWhole('sessionTimeoutMs'),
  heartbeatIntervalMs: positiveWhole('heartbeatIntervalMs'),
  partitionsConsumedConcurrently: positiveWhole('partitionsConsumedConcurrently'),
  maxBytesPerPartition: positiveWhole('maxBytesPerPartition'),
  maxDeadLetterValueBytes: positiveWhole('maxDeadLetterValueBytes'),
} satisfies Record<keyof KafkaTuning, z.ZodType>;

const tuning = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'PROVSYNC_KAFKA_TUNING must be a JSON object, e.g. {"slowAppendMs":5000}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .strictObject(tuningShape, {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `unknown setting ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (known: ${Object.keys(tuningShape).join(', ')})`
            : 'PROVSYNC_KAFKA_TUNING must be a JSON object, e.g. {"slowAppendMs":5000}',
      })
      .partial(),
  );

/** The KAFKA_* variables and PROVSYNC_KAFKA_TUNING, as zod fields of the environment schema. */
export const kafkaEnvironment = {
  KAFKA_BROKERS: brokers.optional(),
  KAFKA_TOPIC: topic('KAFKA_TOPIC').default(KAFKA_DEFAULTS.topic),
  KAFKA_GROUP_ID: z.string().default(KAFKA_DEFAULTS.groupId),
  KAFKA_DLQ_TOPIC: topic('KAFKA_DLQ_TOPIC').default(KAFKA_DEFAULTS.dlqTopic),
  KAFKA_CLIENT_ID: z.string().default(KAFKA_DEFAULTS.clientId),
  PROVSYNC_KAFKA_TUNING: tuning.optional(),
};

type KafkaEnvironment = z.output<z.ZodObject<typeof kafkaEnvironment>>;

export function kafkaSettings(env: KafkaEnvironment): KafkaSettings | undefined {
  if (!env.KAFKA_BROKERS?.length) return undefined;
  return {
    brokers: env.KAFKA_BROKERS,
    topic: env.KAFKA_TOPIC,
    groupId: env.KAFKA_GROUP_ID,
    dlqTopic: env.KAFKA_DLQ_TOPIC,
    clientId: env.KAFKA_CLIENT_ID,
    tuning: withoutUnset(env.PROVSYNC_KAFKA_TUNING ?? {}),
  };
}

function withoutUnset<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
