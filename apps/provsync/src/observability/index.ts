/** Logs and metrics: what `provsync serve` wires in (see README, "Metrics" and "Logs"). */
export { createLogger, type Logger } from './logger.js';
export { metrics } from './metrics.js';
export { MetricsController } from './metrics.controller.js';
export { PinoNestLogger } from './nest-logger.js';
export { requestLogging } from './request-logging.js';
export { ingestionLoggerOf, observeServe } from './serve-observability.js';
