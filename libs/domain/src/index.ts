export * from './sis/sis-change.js';
export * from './reference/reference-data.js';
export * from './recording/index.js';
export * from './sis/index.js';
export * from './sync/index.js';
export * from './reconcile/index.js';
export * from './desired-state/index.js';
export * from './audit/index.js';
