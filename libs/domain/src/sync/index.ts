export * from './sync-events.js';
export * from './sync-state.js';
export * from './plan-sync.js';
export * from './sync-status.js';
export * from './sync-worklist.js';
export * from './job-timing.js';
