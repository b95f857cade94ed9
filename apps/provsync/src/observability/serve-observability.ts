import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type DesiredItem, openHolds, type SyncState } from '@provsync/domain';
import { SKOLVERKET_ANSWERS, type SkolverketAnswer } from '@provsync/skolverket-client';
import type { KafkaSettings } from '../config/config.js';
import type { IngestionLogger } from '../ingest/kafka/ingestion-logger.js';
import { KafkaLagProbe } from './kafka-lag.js';
import { countOutOfSync } from './object-counts.js';
import type { Logger } from './logger.js';
import { metrics } from './metrics.js';

export interface ServeObservation {
  /** Counts objects per type and state, and open holds, from the sync leader's state (SyncLoop.syncView) at each scrape. */
  watchSync(view: SyncView): void;
  stop(): Promise<void>;
}

/** What the sync leader knows: the live desired state and the recorded sync state (SyncLoop.syncView). */
export type SyncView = () => { desired: ReadonlyMap<string, DesiredItem>; state: SyncState } | undefined;

/**
 * Feeds the metrics `provsync serve` exposes from the parts that do not push to them: Skolverket's answers
 * (the client's diagnostics channel), the per-type object counts (the leader's state, counted at scrape), the
 * consumer group's lag (from the broker, at scrape), and Node's process metrics. Call it before anything calls
 * Skolverket (the sync runtime reads the open data and fetches a token as the application starts).
 */
export function observeServe(kafka: KafkaSettings | undefined): ServeObservation {
  metrics.withProcessMetrics();
  const onAnswer = (message: unknown) => {
    const { call, status } = message as SkolverketAnswer;
    metrics.skolverketAnswered(call, status);
  };
  subscribe(SKOLVERKET_ANSWERS, onAnswer);
  const lag = kafka && new KafkaLagProbe(kafka);
  if (lag) metrics.watchKafkaLag(() => lag.lag());
  return {
    watchSync: (syncView) =>
      metrics.watchObjects(async () => {
        const view = syncView();
        if (!view) return undefined;
        metrics.holdsOpen(openHolds(view.state.holds).length);
        return countOutOfSync(view.desired, view.state);
      }),
    stop: async () => {
      unsubscribe(SKOLVERKET_ANSWERS, onAnswer);
      await lag?.close();
    },
  };
}

/** Kafka ingestion's lines through the process's logger, as `component: kafka-ingestion`. */
export function ingestionLoggerOf(logger: Logger): IngestionLogger {
  const child = logger.child({ component: 'kafka-ingestion' });
  return {
    info: (message, fields) => child.info(fields ?? {}, message),
    warn: (message, fields) => child.warn(fields ?? {}, message),
    error: (message, fields) => child.error(fields ?? {}, message),
  };
}
