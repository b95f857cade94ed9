import { ProvsyncMetrics } from './provsync-metrics.js';

export { DRIFT_KINDS, type DriftKind, type PartitionLag } from './provsync-metrics.js';

/**
 * The process's one set of metrics, served by `provsync serve` at `/metrics`. Code anywhere in the app feeds it
 * through intent-named methods, e.g. `metrics.reconcileDrift('person', 'missing', 3)` or `metrics.holdsOpen(2)`;
 * in a CLI command nothing reads it, and feeding it costs next to nothing.
 */
export const metrics = new ProvsyncMetrics();
